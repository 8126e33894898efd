"""Secrets Manager: secrets encrypted with a customer-managed KMS key."""
from policypack import resource_types as T
from policypack.policy import Example, resource_policy

_AWS_MANAGED_KEY = "alias/aws/secretsmanager"


def _is_aws_managed(key_id: str) -> bool:
    return key_id.strip().lower().endswith(_AWS_MANAGED_KEY)


@resource_policy(
    name="secret-encrypted-with-cmk",
    description="Secrets Manager secrets must be encrypted with a customer-managed KMS key.",
    resource_types=T.SECRETSMANAGER_SECRET,
    severity="medium", group="hipaa", citation="164.312(a)(2)(iv)",
    remediation="Set kms_key_id to a customer-managed KMS key, so key use is controlled by its key policy "
                "and logged in CloudTrail; the execution role then needs kms:Decrypt on it.",
    violating=[Example({"name": "prod/db"}, note="unset uses the AWS managed key aws/secretsmanager"),
               Example({"name": "prod/db", "kmsKeyId": "alias/aws/secretsmanager"}),
               Example({"name": "prod/db",
                        "kmsKeyId": "arn:aws:kms:us-east-1:210987654321:alias/aws/secretsmanager"})],
    compliant=[Example({"name": "prod/db",
                        "kmsKeyId": "arn:aws:kms:us-east-1:210987654321:key/0b7c2f4e-9a51-4f3e-8c1d-2e5f6a7b8c9d"}),
               Example({"name": "prod/db", "kmsKeyId": "alias/phi-secrets"}),
               Example({"name": "prod/db", "kmsKeyId": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"},
                       note="unknown at preview: a key created in the stack")],
)
def secret_encrypted_with_cmk(r):
    if not r.props.is_set("kmsKeyId"):
        yield "kmsKeyId is unset: the secret uses the AWS managed key aws/secretsmanager, not a key you control."
    elif _is_aws_managed(r.props.get_str("kmsKeyId") or ""):
        yield f"kmsKeyId {r.props.show('kmsKeyId')} is the AWS managed key; use a customer-managed key."
