import pulumi_aws as aws

key = aws.kms.Key("p22-key", enable_key_rotation=True)
aws.cloudwatch.LogGroup("p22-logs", name="/p22/app", retention_in_days="365", kms_key_id=key.arn)
aws.cloudwatch.MetricAlarm(
    "p22-alarm", comparison_operator="GreaterThanThreshold", evaluation_periods="2", metric_name="Errors",
    namespace="AWS/Lambda", period="60", statistic="Sum", threshold="1", dimensions={"FunctionName": "p22-fn"},
)
