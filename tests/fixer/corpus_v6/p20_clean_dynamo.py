import pulumi
import pulumi_aws as aws

key = aws.kms.Key("sessions-key", enable_key_rotation=True, deletion_window_in_days=30)
table = aws.dynamodb.Table(
    "patient-sessions",
    billing_mode="PAY_PER_REQUEST",
    hash_key="session_id",
    attributes=[aws.dynamodb.TableAttributeArgs(name="session_id", type="S")],
    server_side_encryption=aws.dynamodb.TableServerSideEncryptionArgs(enabled=True, kms_key_arn=key.arn),
    point_in_time_recovery=aws.dynamodb.TablePointInTimeRecoveryArgs(enabled=True),
    ttl=aws.dynamodb.TableTtlArgs(attribute_name="expires_at", enabled=True),
)
pulumi.export("table", table.name)
