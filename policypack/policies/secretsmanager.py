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
    severity="medium", group="hipaa", citation=("164.312(a)(2)(iv)", "164.312(e)(2)(ii)"),
    aws_config_rules=("secretsmanager-using-cmk",),
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
        yield (f"kmsKeyId is {r.props.absence('kmsKeyId')}: the secret uses the AWS managed key aws/secretsmanager, "
               "not a key you control.")
    elif _is_aws_managed(r.props.get_str("kmsKeyId") or ""):
        yield f"kmsKeyId {r.props.show('kmsKeyId')} is the AWS managed key; use a customer-managed key."


# -- issue 9: AWS Config HIPAA conformance pack: secrets rotate ---------------------------------------------
from policypack import hipaa_controls as C  # noqa: E402 - kept inside this block for merges
from policypack.relations import names_of, referrers_named  # noqa: E402
from policypack.policy import stack_policy  # noqa: E402

_ROTATION = T.SECRETSMANAGER_SECRET_ROTATION[0]
_ROTATOR = "arn:aws:lambda:us-east-1:210987654321:function:rotate-db"


@stack_policy(
    name="secretsmanager-rotation-enabled-check",
    description="Secrets Manager secrets should rotate automatically, at least as often as configured.",
    resource_types=T.SECRETSMANAGER_SECRET,
    severity="medium", group="hipaa", citation="164.308(a)(4)(ii)(B)", enforcement="advisory",
    aws_config_rules=("secretsmanager-rotation-enabled-check",),
    config_schema={"maximumAllowedRotationFrequency": {
        "type": "integer", "minimum": 1, "maximum": 1000,
        "description": "Most days allowed between rotations (rotationRules.automaticallyAfterDays); unset, as in "
                       "AWS's HIPAA pack, any automatic rotation passes."}},
    remediation="Add an aws.secretsmanager.SecretRotation for the secret with a rotation Lambda and "
                "rotation_rules {automatically_after_days <= the configured maximum, or schedule_expression}. "
                "Third-party keys that cannot rotate need an exemption with a reason.",
    violating=[
        Example({"name": "db-credentials"}, name="db-credentials", note="no rotation"),
        Example({"name": "db-credentials"}, name="db-credentials", config={"maximumAllowedRotationFrequency": 90},
                stack=[{"type": _ROTATION, "name": "rotate", "property_dependencies": {"secretId": ["db-credentials"]},
                        "props": {"secretId": "db-credentials", "rotationLambdaArn": _ROTATOR,
                                  "rotationRules": {"automaticallyAfterDays": 365}}}]),
    ],
    compliant=[
        Example({"name": "db-credentials"}, name="db-credentials",
                stack=[{"type": _ROTATION, "name": "rotate", "property_dependencies": {"secretId": ["db-credentials"]},
                        "props": {"secretId": "04da6b54-80e4-46f7-96ec-b56ff0331ba9", "rotationLambdaArn": _ROTATOR,
                                  "rotationRules": {"automaticallyAfterDays": 30}}}]),
        Example({"name": "db-credentials"}, name="db-credentials",
                stack=[{"type": _ROTATION, "name": "rotate", "props": {
                    "secretId": "db-credentials", "rotationRules": {"scheduleExpression": "rate(10 days)"}}}]),
    ],
)
def secretsmanager_rotation_enabled_check(secret, stack):
    rotations = referrers_named(secret, stack, T.SECRETSMANAGER_SECRET_ROTATION, "secretId",
                          names_of(secret, ("name", "id", "arn")))
    if not rotations:
        yield "no aws.secretsmanager.SecretRotation rotates this secret: a leaked value stays valid indefinitely."
        return
    maximum = secret.config.get("maximumAllowedRotationFrequency")
    for rotation in rotations:
        if rotation.props.is_set("rotationRules.scheduleExpression"):
            return
        days = rotation.props.get_number("rotationRules.automaticallyAfterDays")
        if days is not None and (maximum is None or days <= maximum):
            return
    if maximum is None:
        yield (f"the rotation {rotations[0].name} of this secret has no rotationRules (automaticallyAfterDays or "
               "scheduleExpression): it never rotates automatically.")
        return
    yield f"the secret rotates less often than every {maximum} days (rotationRules of {rotations[0].name})."
