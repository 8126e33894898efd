"""KMS: automatic rotation of the keys that protect PHI."""
from policypack import resource_types as T
from policypack.policy import Example, resource_policy

SYMMETRIC = "SYMMETRIC_DEFAULT"


def _key_spec(r) -> str:
    return (r.props.get_str("customerMasterKeySpec") or r.props.get_str("keySpec") or SYMMETRIC).upper()


@resource_policy(
    name="kms-key-rotation",
    description="Symmetric KMS keys must rotate their key material automatically.",
    resource_types=T.KMS_KEY,
    severity="medium", group="hipaa", citation=("164.312(a)(2)(iv)", "164.312(e)(2)(ii)"),
    remediation="Set enable_key_rotation=True (optionally rotation_period_in_days, 90-2560). Asymmetric, HMAC "
                "and custom-key-store keys cannot rotate automatically and are not checked.",
    violating=[Example({"description": "PHI key"}, note="unset means no rotation"),
               Example({"description": "PHI key", "enableKeyRotation": False,
                        "customerMasterKeySpec": "SYMMETRIC_DEFAULT"})],
    compliant=[Example({"description": "PHI key", "enableKeyRotation": True}),
               Example({"description": "signing", "customerMasterKeySpec": "RSA_2048", "keyUsage": "SIGN_VERIFY"},
                       note="asymmetric keys cannot rotate automatically"),
               Example({"description": "cloudhsm", "customKeyStoreId": "cks-1234567890abcdef0"},
                       note="keys in a custom key store cannot rotate automatically")],
)
def kms_key_rotation(r):
    if _key_spec(r) != SYMMETRIC or r.props.is_set("customKeyStoreId"):
        return
    if r.props.get_bool("enableKeyRotation") is not True:
        yield f"enableKeyRotation is {r.props.show('enableKeyRotation')}: the key material never rotates."


@kms_key_rotation.remediator
def _(r):
    return {"enableKeyRotation": True}
