import pulumi
import pulumi_aws as aws

key = aws.kms.Key("alerts-key", enable_key_rotation=True)
topic = aws.sns.Topic("clinical-alerts", kms_master_key_id=key.id)
queue = aws.sqs.Queue("clinical-alerts-queue", kms_master_key_id=key.id)
aws.sns.TopicSubscription("alerts-to-queue", topic=topic.arn, protocol="sqs", endpoint=queue.arn)
pulumi.export("topic", topic.arn)
