"""Audit plane: a multi-region CloudTrail into KMS-encrypted S3 and CloudWatch Logs, CIS metric alarms
publishing to an encrypted SNS topic, flow logs, and rotated integration secrets."""
import json

import pulumi
import pulumi_aws as aws

config = pulumi.Config()
retention = config.get_int("logRetentionDays") or 2192
alert_email = config.require("alertEmail")
stack = pulumi.get_stack()
tags = {"team": "secops", "stack": stack, "compliance": "hipaa"}

caller = aws.get_caller_identity_output()
region_name = aws.get_region_output().region


def audit_key_policy(args):
    account, region = args
    root = f"arn:aws:iam::{account}:root"
    return json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": root}, "Action": "kms:*", "Resource": "*"},
        {"Sid": "CloudTrailEncrypt", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": ["kms:GenerateDataKey*", "kms:DescribeKey"], "Resource": "*",
         "Condition": {"StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": f"arn:aws:cloudtrail:*:{account}:trail/*"}}},
        {"Sid": "Logs", "Effect": "Allow", "Principal": {"Service": f"logs.{region}.amazonaws.com"},
         "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
         "Resource": "*"},
        {"Sid": "AlarmsPublish", "Effect": "Allow", "Principal": {"Service": "cloudwatch.amazonaws.com"},
         "Action": ["kms:GenerateDataKey*", "kms:Decrypt"], "Resource": "*"},
    ]})


audit_key = aws.kms.Key("audit-key", description="audit trail, logs, alerts, secrets", enable_key_rotation=True,
                        policy=pulumi.Output.all(caller.account_id, region_name).apply(audit_key_policy),
                        opts=pulumi.ResourceOptions(protect=True))
aws.kms.Alias("audit-key-alias", name="alias/hipaa-audit", target_key_id=audit_key.id)

# ---------------------------------------------------------------- trail bucket
trail_bucket = aws.s3.Bucket("audit-trail-logs", force_destroy=False, object_lock_enabled=True, tags=tags)
access_log_bucket = aws.s3.Bucket("audit-access-logs", tags={  # no Object Lock: S3 access log targets refuse it
    **tags, "hipaa-guard:exempt": "s3-bucket-replication-enabled,s3-event-notifications-enabled: "
                                  "secondary log store, replicated by the log-archive account; "
                                  "s3-bucket-default-lock-enabled: server access log targets cannot use Object Lock"})
for label, b in (("trail", trail_bucket), ("access", access_log_bucket)):
    aws.s3.BucketServerSideEncryptionConfiguration(f"audit-{label}-sse", bucket=b.bucket, rules=[{
        "apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms", "kms_master_key_id": audit_key.arn},
        "bucket_key_enabled": True}])
    aws.s3.BucketVersioning(f"audit-{label}-versioning", bucket=b.bucket,
                            versioning_configuration={"status": "Enabled"})
    aws.s3.BucketPublicAccessBlock(f"audit-{label}-pab", bucket=b.bucket, block_public_acls=True,
                                   block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True)
    aws.s3.BucketLifecycleConfiguration(f"audit-{label}-lifecycle", bucket=b.bucket, rules=[{
        "id": "archive", "status": "Enabled", "filter": {},
        "transitions": [{"days": 90, "storage_class": "GLACIER"}],
        "noncurrent_version_expiration": {"noncurrent_days": retention}}])

aws.s3.BucketLogging("audit-trail-logging", bucket=trail_bucket.id, target_bucket=access_log_bucket.id,
                     target_prefix="trail/")
aws.s3.BucketNotification("audit-trail-events", bucket=trail_bucket.id, eventbridge=True)
aws.s3.BucketReplicationConfig("audit-trail-replication", bucket=trail_bucket.id,
                               role=caller.account_id.apply(lambda a: f"arn:aws:iam::{a}:role/log-archive-replication"),
                               rules=[{"id": "to-archive", "status": "Enabled", "filter": {},
                                       "delete_marker_replication": {"status": "Enabled"},
                                       "destination": {"bucket": "arn:aws:s3:::hipaa-log-archive-example"}}])

trail_policy = aws.iam.get_policy_document_output(statements=[
    {"sid": "DenyInsecureTransport", "effect": "Deny", "actions": ["s3:*"],
     "principals": [{"type": "*", "identifiers": ["*"]}],
     "resources": [trail_bucket.arn, pulumi.Output.concat(trail_bucket.arn, "/*")],
     "conditions": [{"test": "Bool", "variable": "aws:SecureTransport", "values": ["false"]}]},
    {"sid": "CloudTrailAclCheck", "effect": "Allow", "actions": ["s3:GetBucketAcl"],
     "principals": [{"type": "Service", "identifiers": ["cloudtrail.amazonaws.com"]}], "resources": [trail_bucket.arn]},
    {"sid": "CloudTrailWrite", "effect": "Allow", "actions": ["s3:PutObject"],
     "principals": [{"type": "Service", "identifiers": ["cloudtrail.amazonaws.com"]}],
     "resources": [pulumi.Output.concat(trail_bucket.arn, "/AWSLogs/", caller.account_id, "/*")],
     "conditions": [{"test": "StringEquals", "variable": "s3:x-amz-acl", "values": ["bucket-owner-full-control"]}]},
])
trail_bucket_policy = aws.s3.BucketPolicy("audit-trail-policy", bucket=trail_bucket.id, policy=trail_policy.json)
aws.s3.BucketPolicy("audit-access-policy", bucket=access_log_bucket.id,
                    policy=access_log_bucket.arn.apply(lambda arn: json.dumps({"Version": "2012-10-17", "Statement": [{
                        "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*",
                        "Resource": [arn, arn + "/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})))

# ---------------------------------------------------------------- trail -> CloudWatch Logs
trail_group = aws.cloudwatch.LogGroup("audit-trail-group", name="/hipaa/cloudtrail", retention_in_days=retention,
                                      kms_key_id=audit_key.arn, tags=tags)
trail_role = aws.iam.Role("audit-trail-cwl-role", assume_role_policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                            "Principal": {"Service": "cloudtrail.amazonaws.com"}}]}))
trail_write = aws.iam.Policy("audit-trail-cwl-write", policy=trail_group.arn.apply(lambda arn: json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                                            "Resource": f"{arn}:*"}]})))
aws.iam.RolePolicyAttachment("audit-trail-cwl-attach", role=trail_role.name, policy_arn=trail_write.arn)

management_trail = aws.cloudtrail.Trail(
    "audit-management-trail", s3_bucket_name=trail_bucket.id, is_multi_region_trail=True,
    include_global_service_events=True, enable_log_file_validation=True, kms_key_id=audit_key.arn,
    cloud_watch_logs_group_arn=trail_group.arn.apply(lambda arn: f"{arn}:*"),
    cloud_watch_logs_role_arn=trail_role.arn, tags=tags,
    opts=pulumi.ResourceOptions(depends_on=[trail_bucket_policy]))

# PHI object reads are data events: a second trail, scoped to the PHI buckets.
# defect: cloud-trail-log-file-validation-enabled (digest files forgotten on the data-event trail)
# defect: cloud-trail-cloud-watch-logs-enabled (data events only land in S3; no CloudWatch delivery)
data_trail = aws.cloudtrail.Trail(
    "audit-phi-data-trail", s3_bucket_name=trail_bucket.id, s3_key_prefix="data-events", kms_key_id=audit_key.key_id,
    event_selectors=[{"read_write_type": "All", "include_management_events": False,
                      "data_resources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3:::phi-"]}]}],
    opts=pulumi.ResourceOptions(depends_on=[trail_bucket_policy]))

# ---------------------------------------------------------------- alarms
alerts = aws.sns.Topic("audit-alerts", kms_master_key_id=audit_key.id, tags=tags)
aws.sns.TopicSubscription("audit-alerts-email", topic=alerts.arn, protocol="email", endpoint=alert_email)

CIS_FILTERS = {
    "unauthorized-api-calls": '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
    "root-account-usage": '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS }',
    "console-signin-failures": '{ ($.eventName = ConsoleLogin) && ($.errorMessage = "Failed authentication") }',
    "kms-key-deletion": '{ ($.eventSource = kms.amazonaws.com) && ($.eventName = ScheduleKeyDeletion) }',
}
for metric, pattern in CIS_FILTERS.items():
    aws.cloudwatch.LogMetricFilter(f"cis-{metric}", log_group_name=trail_group.name, pattern=pattern,
                                   metric_transformation={"name": metric, "namespace": "CISBenchmark", "value": "1"})
    actions = [alerts.arn] if metric != "kms-key-deletion" else []
    # defect: cloudwatch-alarm-action-check (kms-key-deletion alarm gets an empty alarm_actions list)
    aws.cloudwatch.MetricAlarm(f"cis-{metric}-alarm", metric_name=metric, namespace="CISBenchmark",
                               statistic="Sum", period=300, evaluation_periods=1, threshold=1,
                               comparison_operator="GreaterThanOrEqualToThreshold", treat_missing_data="notBreaching",
                               alarm_actions=actions, insufficient_data_actions=[alerts.arn], ok_actions=[alerts.arn])

# ---------------------------------------------------------------- network with flow logs
for name, cidr, whole_vpc in (("audit-tools", "10.70.0.0/16", True), ("audit-sandbox", "10.71.0.0/16", False)):
    vpc = aws.ec2.Vpc(f"{name}-vpc", cidr_block=cidr, tags={**tags, "Name": name})
    aws.ec2.DefaultSecurityGroup(f"{name}-default-sg", vpc_id=vpc.id)
    subnet = aws.ec2.Subnet(f"{name}-subnet", vpc_id=vpc.id, cidr_block=cidr.replace("0.0/16", "1.0/24"),
                            availability_zone="eu-west-1a")
    target = {"vpc_id": vpc.id} if whole_vpc else {"subnet_id": subnet.id}
    # defect: vpc-flow-logs-enabled (sandbox VPC logs only its subnet; a subnet flow log does not count)
    aws.ec2.FlowLog(f"{name}-flow", traffic_type="ALL", log_destination_type="s3",
                    log_destination=pulumi.Output.concat(trail_bucket.arn, "/flow/", name), **target)

# ---------------------------------------------------------------- integration secrets
rotator_arn = config.get("rotatorArn") or "arn:aws:lambda:eu-west-1:210987654321:function:secret-rotator"
SECRETS = {
    "clearinghouse-sftp": {"automatically_after_days": 30},
    "lab-hl7-mllp": {"schedule_expression": "rate(10 days)"},
    "pharmacy-api": None,
}
for secret_name, rules in SECRETS.items():
    secret = aws.secretsmanager.Secret(f"audit-{secret_name}", name=f"hipaa/{stack}/{secret_name}",
                                       kms_key_id=audit_key.arn, recovery_window_in_days=30, tags=tags)
    if rules:
        aws.secretsmanager.SecretRotation(f"audit-{secret_name}-rotation", secret_id=secret.id,
                                          rotation_lambda_arn=rotator_arn, rotation_rules=rules)
    # defect: secretsmanager-rotation-enabled-check (pharmacy-api key never rotates)

pulumi.export("trail_arn", management_trail.arn)
