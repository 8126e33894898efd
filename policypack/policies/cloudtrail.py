"""CloudTrail trails of the stack: delivered to CloudWatch Logs, encrypted with KMS, with log file validation.

Trail existence is not checked here (an organisation trail lives in the management account); only trails
the stack declares are judged, so these rules need no managedElsewhere.
"""
from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.policy import Example, resource_policy

_LOG_GROUP = "arn:aws:logs:us-east-1:210987654321:log-group:cloudtrail:*"
_ROLE = "arn:aws:iam::210987654321:role/cloudtrail-to-logs"
_KEY = "arn:aws:kms:us-east-1:210987654321:key/0b7c2f4e-9a51-4f3e-8c1d-2e5f6a7b8c9d"


@resource_policy(
    name="cloud-trail-cloud-watch-logs-enabled",
    description="CloudTrail trails must deliver to CloudWatch Logs, where alarms can watch them.",
    resource_types=T.CLOUDTRAIL_TRAIL,
    severity="medium", group="hipaa", citation=C.AUDIT_AND_REVIEW,
    aws_config_rules=("cloud-trail-cloud-watch-logs-enabled",),
    remediation="Set cloud_watch_logs_group_arn='<log group arn>:*' and cloud_watch_logs_role_arn=<role that "
                "CloudTrail assumes to write there>.",
    violating=[Example({"s3BucketName": "trail-logs"}),
               Example({"s3BucketName": "trail-logs", "cloudWatchLogsGroupArn": _LOG_GROUP}, note="no role")],
    compliant=[Example({"s3BucketName": "trail-logs", "cloudWatchLogsGroupArn": _LOG_GROUP,
                        "cloudWatchLogsRoleArn": _ROLE})],
)
def cloud_trail_cloud_watch_logs_enabled(r):
    missing = [k for k in ("cloudWatchLogsGroupArn", "cloudWatchLogsRoleArn") if not r.props.is_set(k)]
    if missing:
        yield f"{' and '.join(missing)} unset: the trail is not delivered to CloudWatch Logs."


@resource_policy(
    name="cloud-trail-encryption-enabled",
    description="CloudTrail trails must encrypt log files with a KMS key (SSE-KMS).",
    resource_types=T.CLOUDTRAIL_TRAIL,
    severity="high", group="hipaa", citation=C.ENCRYPTION_AT_REST,
    aws_config_rules=("cloud-trail-encryption-enabled",),
    remediation="Set kms_key_id to a customer-managed key whose key policy admits cloudtrail.amazonaws.com "
                "(kms:GenerateDataKey*, with the aws:SourceArn of the trail).",
    violating=[Example({"s3BucketName": "trail-logs"}, note="unset = SSE-S3")],
    compliant=[Example({"s3BucketName": "trail-logs", "kmsKeyId": _KEY})],
)
def cloud_trail_encryption_enabled(r):
    if not r.props.is_set("kmsKeyId"):
        yield (f"kmsKeyId is {r.props.absence('kmsKeyId')}: log files are encrypted only with S3-managed keys, not a "
               "KMS key you control.")


@resource_policy(
    name="cloud-trail-log-file-validation-enabled",
    description="CloudTrail trails must write digest files, so tampering with a log file can be detected.",
    resource_types=T.CLOUDTRAIL_TRAIL,
    severity="high", group="hipaa", citation=("164.312(c)(1)", "164.312(c)(2)"),
    aws_config_rules=("cloud-trail-log-file-validation-enabled",),
    remediation="Set enable_log_file_validation=True.",
    violating=[Example({"s3BucketName": "trail-logs"}, note="unset = false"),
               Example({"s3BucketName": "trail-logs", "enableLogFileValidation": False})],
    compliant=[Example({"s3BucketName": "trail-logs", "enableLogFileValidation": True})],
)
def cloud_trail_log_file_validation_enabled(r):
    if r.props.get_bool("enableLogFileValidation") is not True:
        yield (f"enableLogFileValidation is {r.props.show('enableLogFileValidation')}: a changed or deleted log "
               "file cannot be detected.")


@cloud_trail_log_file_validation_enabled.remediator
def _(r):
    return {"enableLogFileValidation": True}
