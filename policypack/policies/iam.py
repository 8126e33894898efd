"""IAM policies: no broad KMS decryption on every key, no inline policies, no policies on users.

Documents are read by `stack/_iam.py` (JSON strings, `get_policy_document(...).json`, parsed dicts,
value-or-list fields, NotAction, wildcards); an unparsable document is left alone.
"""
from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.policy import Example, resource_policy
from policypack.stack._iam import granted_on_every_resource

BLOCKED_KMS = ["kms:*", "kms:Decrypt", "kms:ReEncrypt*"]
INLINE = T.IAM_ROLE_POLICY + T.IAM_USER_POLICY + T.IAM_GROUP_POLICY
_BLOCKED_SCHEMA = {"blockedActionsPatterns": {
    "type": "array", "items": {"type": "string"}, "default": BLOCKED_KMS,
    "description": "KMS actions (wildcards allowed) no policy may allow on every key (Resource '*')."}}
_DECRYPT_ALL = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["kms:Decrypt", ' \
               '"kms:GenerateDataKey"], "Resource": "*"}]}'
_SCOPED = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "kms:Decrypt",
     "Resource": "arn:aws:kms:us-east-1:210987654321:key/0b7c2f4e-9a51-4f3e-8c1d-2e5f6a7b8c9d"},
    {"Effect": "Allow", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}
_BLOCKED_REMEDIATION = ("Name the keys in Resource (their ARNs) instead of '*', or scope the grant with a "
                        "kms:ViaService condition and narrow the resource.")


def _blocked(r, document_path):
    granted = granted_on_every_resource(r.props.get(document_path), r.config["blockedActionsPatterns"])
    if granted:
        yield (f"{document_path} allows {', '.join(granted)} on every KMS key (Resource '*'): anyone with this "
               "policy can decrypt any data those keys protect.")


@resource_policy(
    name="iam-customer-policy-blocked-kms-actions",
    description="Customer-managed IAM policies must not allow KMS decryption on every key.",
    resource_types=T.IAM_POLICY,
    severity="medium", group="hipaa", citation="164.312(a)(2)(iv)", enforcement="advisory",
    aws_config_rules=("iam-customer-policy-blocked-kms-actions",), config_schema=_BLOCKED_SCHEMA,
    remediation=_BLOCKED_REMEDIATION,
    violating=[Example({"policy": _DECRYPT_ALL}),
               Example({"policy": {"Statement": {"Effect": "Allow", "Action": "kms:Re*", "Resource": ["*"]}}},
                       note="a wildcard that covers kms:ReEncrypt*"),
               Example({"policy": {"Statement": [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}]}},
                       note="NotAction: every action not listed")],
    compliant=[Example({"policy": _SCOPED}),
               Example({"policy": {"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}})],
)
def iam_customer_policy_blocked_kms_actions(r):
    yield from _blocked(r, "policy")


@resource_policy(
    name="iam-inline-policy-blocked-kms-actions",
    description="Inline IAM policies must not allow KMS decryption on every key.",
    resource_types=INLINE + T.IAM_ROLE,
    severity="medium", group="hipaa", citation="164.312(a)(2)(iv)", enforcement="advisory",
    aws_config_rules=("iam-inline-policy-blocked-kms-actions",), config_schema=_BLOCKED_SCHEMA,
    remediation=_BLOCKED_REMEDIATION,
    violating=[Example({"role": "app", "policy": _DECRYPT_ALL}),
               Example({"assumeRolePolicy": "{}", "inlinePolicies": [{"name": "decrypt-all", "policy": _DECRYPT_ALL}]},
                       type=T.IAM_ROLE[0])],
    compliant=[Example({"role": "app", "policy": _SCOPED}),
               Example({"assumeRolePolicy": "{}"}, type=T.IAM_ROLE[0])],
)
def iam_inline_policy_blocked_kms_actions(r):
    if r.type in T.IAM_ROLE:
        for i, _ in enumerate(r.props.each("inlinePolicies")):
            yield from _blocked(r, f"inlinePolicies.{i}.policy")
    else:
        yield from _blocked(r, "policy")


@resource_policy(
    name="iam-no-inline-policy-check",
    description="Roles, users and groups must get permissions from managed policies, not inline ones.",
    resource_types=INLINE + T.IAM_ROLE,
    severity="low", group="hipaa", citation=C.IDENTITY_ACCESS, enforcement="advisory",
    aws_config_rules=("iam-no-inline-policy-check",),
    remediation="Move the document into an aws.iam.Policy and attach it (RolePolicyAttachment, ...): managed "
                "policies are versioned, reusable and reviewable in one place.",
    violating=[Example({"role": "app", "policy": _SCOPED}),
               Example({"assumeRolePolicy": "{}", "inlinePolicies": [{"name": "app-extra", "policy": "{}"}]},
                       type=T.IAM_ROLE[0])],
    compliant=[Example({"assumeRolePolicy": "{}", "managedPolicyArns": [
        "arn:aws:iam::aws:policy/ReadOnlyAccess"]}, type=T.IAM_ROLE[0])],
)
def iam_no_inline_policy_check(r):
    if r.type in T.IAM_ROLE:
        for i, inline in enumerate(r.props.each("inlinePolicies")):
            if inline.is_set("policy"):
                yield f"inlinePolicies.{i} is an inline policy: use a managed policy attached to the role."
    else:
        yield "this is an inline policy: use a managed policy (aws.iam.Policy) attached instead."


@resource_policy(
    name="iam-user-no-policies-check",
    description="IAM users must get permissions through groups or roles, never policies of their own.",
    resource_types=T.IAM_USER_POLICY + T.IAM_USER_POLICY_ATTACHMENT + T.IAM_POLICY_ATTACHMENT,
    severity="low", group="hipaa", citation=C.IDENTITY_ACCESS, enforcement="advisory",
    aws_config_rules=("iam-user-no-policies-check",),
    remediation="Attach the policy to a group (aws.iam.GroupPolicyAttachment) and make the user a member, or "
                "have the user assume a role.",
    violating=[Example({"user": "alice", "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
                       type=T.IAM_USER_POLICY_ATTACHMENT[0]),
               Example({"user": "alice", "policy": "{}"}),
               Example({"users": ["alice"], "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
                       type=T.IAM_POLICY_ATTACHMENT[0])],
    compliant=[Example({"roles": ["app"], "policyArn": "arn:aws:iam::aws:policy/ReadOnlyAccess"},
                       type=T.IAM_POLICY_ATTACHMENT[0])],
)
def iam_user_no_policies_check(r):
    if r.type in T.IAM_POLICY_ATTACHMENT:
        if r.props.get_list("users"):
            yield "this attachment gives users a policy directly: attach it to a group or a role instead."
        return
    yield "this gives a user a policy directly: attach it to a group or a role instead."
