import pulumi
import pulumi_aws as aws

stream = aws.kinesis.Stream("vitals-stream", shard_count=2, encryption_type="KMS", kms_key_id="alias/aws/kinesis",
                            retention_period=48)
pulumi.export("stream", stream.arn)
