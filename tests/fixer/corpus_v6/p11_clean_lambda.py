import json

import pulumi
import pulumi_aws as aws

queue = aws.sqs.Queue("lab-results", kms_master_key_id="alias/aws/sqs", visibility_timeout_seconds=120)
dlq = aws.sqs.Queue("lab-results-dlq", kms_master_key_id="alias/aws/sqs")
role = aws.iam.Role("lab-results-consumer", assume_role_policy=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
}))
fn = aws.lambda_.Function("lab-results-consumer", runtime="python3.12", handler="consumer.handle", role=role.arn,
                          code=pulumi.AssetArchive({}), timeout=60,
                          dead_letter_config=aws.lambda_.FunctionDeadLetterConfigArgs(target_arn=dlq.arn))
aws.lambda_.EventSourceMapping("lab-results-mapping", event_source_arn=queue.arn, function_name=fn.arn,
                               batch_size=10)
pulumi.export("queue_url", queue.url)
