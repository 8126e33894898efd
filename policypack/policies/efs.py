"""EFS: file systems encrypted at rest."""
from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.policy import Example, resource_policy


@resource_policy(
    name="efs-encrypted-check",
    description="EFS file systems must be encrypted at rest.",
    resource_types=T.EFS_FILE_SYSTEM,
    severity="high", group="hipaa", citation=C.ENCRYPTION_AT_REST, aws_config_rules=("efs-encrypted-check",),
    remediation="Set encrypted=True with a customer-managed kms_key_id. Encryption is fixed at creation: an "
                "existing file system is replaced, so copy its data (AWS DataSync) to a new encrypted one.",
    violating=[Example({"creationToken": "phi-share"}, note="unset means unencrypted"),
               Example({"creationToken": "phi-share", "encrypted": False})],
    compliant=[Example({"creationToken": "phi-share", "encrypted": True,
                        "kmsKeyId": "arn:aws:kms:us-east-1:210987654321:key/0b7c2f4e-9a51-4f3e-8c1d-2e5f6a7b8c9d"})],
)
def efs_encrypted_check(r):
    if r.props.get_bool("encrypted") is not True:
        yield f"encrypted is {r.props.show('encrypted')}: files are stored unencrypted at rest."
