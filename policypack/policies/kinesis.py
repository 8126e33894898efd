"""Kinesis Data Streams: records encrypted at rest with KMS."""
from policypack import resource_types as T
from policypack.policy import Example, resource_policy

AWS_MANAGED_KINESIS_KEY = "alias/aws/kinesis"


@resource_policy(
    name="kinesis-stream-encrypted",
    description="Kinesis streams must encrypt records at rest with KMS.",
    resource_types=T.KINESIS_STREAM,
    severity="high", group="hipaa", citation=("164.312(a)(2)(iv)", "164.312(e)(2)(ii)"),
    aws_config_rules=("kinesis-stream-encrypted",),
    remediation="Set encryption_type='KMS' and kms_key_id to a customer-managed key (remediation uses "
                "alias/aws/kinesis when no key is given). Producers and consumers need kms:GenerateDataKey / "
                "kms:Decrypt on a customer-managed key.",
    violating=[Example({"shardCount": 1}, note="unset means NONE"),
               Example({"shardCount": 1, "encryptionType": "NONE"})],
    compliant=[Example({"shardCount": 1, "encryptionType": "KMS", "kmsKeyId": "alias/phi-stream"})],
)
def kinesis_stream_encrypted(r):
    if (r.props.get_str("encryptionType") or "").upper() != "KMS":
        yield f"encryptionType is {r.props.show('encryptionType')}: stream records are stored unencrypted."


@kinesis_stream_encrypted.remediator
def _(r):
    changes = {"encryptionType": "KMS"}
    if not r.props.is_set("kmsKeyId"):
        changes["kmsKeyId"] = AWS_MANAGED_KINESIS_KEY  # AWS requires a key with KMS; never replace a chosen one
    return changes
