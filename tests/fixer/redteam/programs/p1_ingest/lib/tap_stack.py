"""
tap_stack.py

HIPAA-compliant healthcare data ingestion stack: Kinesis ingestion, encrypted S3
data lake, Lambda processing and an audit trail.
"""
import json
from typing import Optional

import pulumi
import pulumi_aws as aws
from pulumi import ResourceOptions
from pulumi_aws import logs


class TapStackArgs:
    """Arguments for the TapStack component."""

    def __init__(self, environment_suffix: Optional[str] = None, tags: Optional[dict] = None):
        self.environment_suffix = environment_suffix or "dev"
        self.tags = tags or {}


class TapStack(pulumi.ComponentResource):
    """Main stack for the healthcare ingestion pipeline."""

    def __init__(self, name: str, args: TapStackArgs, opts: Optional[ResourceOptions] = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        self.environment_suffix = args.environment_suffix
        self.tags = {**args.tags, "Environment": self.environment_suffix, "Compliance": "HIPAA"}

        # KMS key for encrypting PHI at rest
        self.kms_key = aws.kms.Key(
            f"phi-key-{self.environment_suffix}",
            description="KMS key for PHI encryption",
            deletion_window_in_days=10,
            enable_key_rotation=True,
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )
        self.kms_alias = aws.kms.Alias(
            f"phi-key-alias-{self.environment_suffix}",
            name=f"alias/phi-key-{self.environment_suffix}",
            target_key_id=self.kms_key.key_id,
            opts=ResourceOptions(parent=self),
        )

        # Data lake bucket (pulumi-aws v7 resources)
        self.data_bucket = aws.s3.Bucket(
            f"phi-data-{self.environment_suffix}",
            force_destroy=True,
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )
        aws.s3.BucketVersioningV2(
            f"phi-data-versioning-{self.environment_suffix}",
            bucket=self.data_bucket.id,
            versioning_configuration={"status": "Enabled"},
            opts=ResourceOptions(parent=self),
        )
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"phi-data-sse-{self.environment_suffix}",
            bucket=self.data_bucket.id,
            rules=[aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
                apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                    sse_algorithm="aws:kms",
                    kms_master_key_id=self.kms_key.arn,
                ),
                bucket_key_enabled=True,
            )],
            opts=ResourceOptions(parent=self),
        )
        aws.s3.BucketPublicAccessBlock(
            f"phi-data-pab-{self.environment_suffix}",
            bucket=self.data_bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=ResourceOptions(parent=self),
        )
        # Deny non-TLS access to the bucket
        aws.s3.BucketPolicy(
            f"phi-data-tls-{self.environment_suffix}",
            bucket=self.data_bucket.id,
            policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{
                    "Sid": "DenyInsecureTransport",
                    "Effect": "Deny",
                    "Principal": "*",
                    "Action": "s3:*",
                    "Resource": [self.data_bucket.arn, f"{self.data_bucket.arn}/*"],
                    "Condition": {"Bool": {"aws:SecureTransport": "false"}},
                }],
            }),
            opts=ResourceOptions(parent=self),
        )

        # Kinesis stream for incoming patient records
        self.stream = aws.kinesis.Stream(
            f"patient-records-{self.environment_suffix}",
            shard_count=1,
            retention_period=168,
            encryption_type="KMS",
            kms_key_id=self.kms_key.arn,
            shard_level_metrics=["IncomingRecords", "OutgoingRecords"],
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )

        # Audit log group
        self.log_group = logs.LogGroup(
            f"/aws/lambda/phi-processor-{self.environment_suffix}",
            retention_in_days=2557,  # six years for HIPAA
            kms_key_id=self.kms_key.arn,
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )

        # Lambda execution role
        self.lambda_role = aws.iam.Role(
            f"phi-processor-role-{self.environment_suffix}",
            assume_role_policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Principal": {"Service": "lambda.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }],
            }),
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )
        aws.iam.RolePolicyAttachment(
            f"phi-processor-basic-{self.environment_suffix}",
            role=self.lambda_role.name,
            policy_arn="arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
            opts=ResourceOptions(parent=self),
        )
        self.lambda_policy = aws.iam.RolePolicy(
            f"phi-processor-policy-{self.environment_suffix}",
            role=self.lambda_role.id,
            policy=pulumi.Output.all(self.stream.arn, self.data_bucket.arn, self.kms_key.arn).apply(
                lambda args: json.dumps({
                    "Version": "2012-10-17",
                    "Statement": [
                        {"Effect": "Allow", "Action": ["kinesis:GetRecords", "kinesis:GetShardIterator",
                                                       "kinesis:DescribeStream", "kinesis:ListShards"],
                         "Resource": args[0]},
                        {"Effect": "Allow", "Action": ["s3:PutObject"], "Resource": f"{args[1]}/*"},
                        {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": args[2]},
                    ],
                })
            ),
            opts=ResourceOptions(parent=self),
        )

        # Processing function
        self.processor = aws.lambda_.Function(
            f"phi-processor-{self.environment_suffix}",
            runtime=aws.lambda_.Runtime.PYTHON3_11,
            handler="index.handler",
            role=self.lambda_role.arn,
            code=pulumi.AssetArchive({
                "index.py": pulumi.StringAsset("def handler(event, context):\n    return {'ok': True}\n"),
            }),
            timeout=60,
            memory_size=256,
            kms_key_arn=self.kms_key.arn,
            environment=aws.lambda_.FunctionEnvironmentArgs(
                variables={
                    "BUCKET": self.data_bucket.bucket,
                    "LOG_LEVEL": "INFO",
                },
            ),
            tracing_config={"mode": "Active"},
            tags=self.tags,
            depends_on=[self.log_group, self.lambda_policy],
            opts=ResourceOptions(parent=self),
        )
        aws.lambda_.EventSourceMapping(
            f"phi-processor-trigger-{self.environment_suffix}",
            event_source_arn=self.stream.arn,
            function_name=self.processor.arn,
            starting_position="LATEST",
            batch_size=100,
            opts=ResourceOptions(parent=self),
        )

        # Alarm on processing errors
        self.alerts = aws.sns.Topic(
            f"phi-alerts-{self.environment_suffix}",
            kms_master_key_id=self.kms_key.id,
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )
        aws.cloudwatch.MetricAlarm(
            f"phi-processor-errors-{self.environment_suffix}",
            alarm_name=f"phi-processor-errors-{self.environment_suffix}",
            comparison_operator="GreaterThanThreshold",
            evaluation_periods=1,
            metric_name="Errors",
            namespace="AWS/Lambda",
            period=300,
            statistic="Sum",
            threshold=0,
            dimensions={"FunctionName": self.processor.name},
            alarm_actions=[self.alerts.arn],
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )

        self.register_outputs({
            "bucket_name": self.data_bucket.bucket,
            "stream_arn": self.stream.arn,
        })

        pulumi.export("data_bucket", self.data_bucket.bucket)
        pulumi.export("stream_name", self.stream.name)
        pulumi.export("processor_arn", self.processor.arn)
        pulumi.export("log_group", f"Logs: {self.log_group.name}")
