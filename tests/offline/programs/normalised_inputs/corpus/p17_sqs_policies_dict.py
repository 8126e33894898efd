import pulumi_aws as aws

dlq = aws.sqs.Queue("p17-dlq", sqs_managed_sse_enabled=True, message_retention_seconds="1209600")
aws.sqs.Queue(
    "p17-queue",
    sqs_managed_sse_enabled=True,
    visibility_timeout_seconds="60",
    redrive_policy=dlq.arn.apply(lambda arn: {"deadLetterTargetArn": arn, "maxReceiveCount": 5}),
    policy={"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "sqs:*", "Resource": "*",
         "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]},
)
