from pulumi_aws import ec2, kms, logs

key = kms.Key("logs-key", enable_key_rotation=True)
vpc = ec2.Vpc("main", cidr_block="10.0.0.0/16")
# application logs, kept for a month
app_logs = logs.LogGroup("app-logs", retention_in_days=30, kms_key_id=key.arn)
