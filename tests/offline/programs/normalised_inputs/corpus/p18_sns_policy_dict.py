import pulumi_aws as aws

topic = aws.sns.Topic("p18-topic", kms_master_key_id="alias/aws/sns")
aws.sns.TopicPolicy("p18-policy", arn=topic.arn, policy=topic.arn.apply(lambda arn: {
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"}, "Action": "sns:Publish",
                   "Resource": arn}],
}))
