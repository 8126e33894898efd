"""SNS: topics encrypted with KMS."""
from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.policy import Example, resource_policy


@resource_policy(
    name="sns-encrypted-kms",
    description="SNS topics must encrypt messages at rest with KMS.",
    resource_types=T.SNS_TOPIC,
    severity="high", group="hipaa", citation=C.cite(C.ENCRYPTION_AT_REST, "308(a)(1)(ii)(B)", "314(b)(2)(i)"),
    aws_config_rules=("sns-encrypted-kms",),
    remediation="Set kms_master_key_id to a customer-managed key. The AWS-managed alias/aws/sns passes but cannot "
                "admit CloudWatch alarms, EventBridge or other AWS publishers (its policy is not editable): give "
                "the CMK's policy the service principal with kms:GenerateDataKey* and kms:Decrypt.",
    violating=[Example({"name": "alerts"}), Example({"name": "alerts", "kmsMasterKeyId": ""})],
    compliant=[Example({"name": "alerts",
                        "kmsMasterKeyId": "arn:aws:kms:us-east-1:210987654321:key/0b7c2f4e-9a51-4f3e-8c1d-2e5f6a7b8c9d"}),
               Example({"name": "alerts", "kmsMasterKeyId": "alias/aws/sns"},
                       note="the AWS-managed key passes, as in AWS's rule")],
)
def sns_encrypted_kms(r):
    if not r.props.is_set("kmsMasterKeyId"):
        yield (f"kmsMasterKeyId is {r.props.absence('kmsMasterKeyId')}: messages are stored unencrypted until "
               "delivered; use a customer-managed KMS key.")
