"""CloudWatch Logs: log groups encrypted with a customer-managed key and kept long enough to audit."""
from policypack import resource_types as T
from policypack.policy import Example, resource_policy

_KEY = "arn:aws:kms:us-east-1:210987654321:key/0b7c2f4e-9a51-4f3e-8c1d-2e5f6a7b8c9d"


@resource_policy(
    name="log-group-encrypted",
    description="CloudWatch log groups must be encrypted with a customer-managed KMS key.",
    resource_types=T.CLOUDWATCH_LOG_GROUP,
    severity="high", group="hipaa", citation=("164.312(a)(2)(iv)", "164.312(e)(2)(ii)"),
    remediation="Set kms_key_id to the ARN of a customer-managed KMS key whose key policy allows "
                "logs.<region>.amazonaws.com to use it (see log-group-kms-key-allows-logs).",
    violating=[Example({"name": "/app/audit"}, note="CloudWatch's own encryption: no key you control"),
               Example({"name": "/app/audit", "kmsKeyId": ""})],
    compliant=[Example({"name": "/app/audit", "kmsKeyId": _KEY}),
               Example({"name": "/app/audit", "kmsKeyId": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"},
                       note="unknown at preview: the ARN of a key created in the stack")],
)
def log_group_encrypted(r):
    if not r.props.is_set("kmsKeyId"):
        yield (f"kmsKeyId is {r.props.absence('kmsKeyId')}: log events, which can hold PHI, are not encrypted with a "
               "key you control.")


@resource_policy(
    name="log-group-retention",
    description="CloudWatch log groups must state a retention of at least the configured number of days.",
    resource_types=T.CLOUDWATCH_LOG_GROUP,
    severity="medium", group="hipaa", citation=("164.312(b)",),
    remediation="Set retention_in_days to a value CloudWatch accepts of at least minimumDays (default 30), "
                "for example 365, or 0 to keep the audit trail forever.",
    config_schema={"minimumDays": {"type": "integer", "default": 30, "minimum": 1,
                                   "description": "Fewest days of log events to keep (0 in retentionInDays, "
                                                  "never expire, always passes)."}},
    violating=[Example({"name": "/app/audit"}, note="no retention chosen"),
               Example({"name": "/app/audit", "retentionInDays": 7}),
               Example({"name": "/app/audit", "retentionInDays": 90}, config={"minimumDays": 365})],
    compliant=[Example({"name": "/app/audit", "retentionInDays": 30}),
               Example({"name": "/app/audit", "retentionInDays": 0}, note="0 means never expire"),
               Example({"name": "/app/audit", "retentionInDays": 400}, config={"minimumDays": 365})],
)
def log_group_retention(r):
    days = r.props.get_number("retentionInDays")
    minimum = r.config["minimumDays"]
    if days is None and r.props.is_set("retentionInDays"):
        yield f"retentionInDays is {r.props.show('retentionInDays')}, not a number of days."
    elif days is None:
        yield f"retentionInDays is unset: state how long audit logs are kept (at least {minimum:g} days, or 0 for ever)."
    elif 0 < days < minimum:
        yield f"retentionInDays is {days:g}; audit logs must be kept at least {minimum:g} days."
