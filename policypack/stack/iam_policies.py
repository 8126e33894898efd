"""Customer-managed IAM policies that grant everything, or whole services; a permissions boundary (which only
caps what other policies grant) legitimately allows `*` and passes."""
from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.policy import Example, stack_policy
from policypack.relations import referrers
from policypack.stack._iam import admin_statements, full_access_actions

U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
_ADMIN = '{"Version": "2012-10-17", "Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}'
_S3_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:*"], "Resource": "*"}]}
_READ = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject"],
                                                 "Resource": "arn:aws:s3:::phi-data/*"}]}
_BOUNDARY = [{"type": T.IAM_ROLE[0], "name": "app", "property_dependencies": {"permissionsBoundary": ["policy"]},
              "props": {"assumeRolePolicy": "{}", "permissionsBoundary": U}}]


def is_boundary(policy, stack) -> bool:
    """Whether a role or user of the stack uses this policy as its permissions boundary."""
    return bool(referrers(stack, policy, T.IAM_ROLE + T.IAM_USER, "permissionsBoundary", ("arn",)))


@stack_policy(
    name="iam-policy-no-statements-with-admin-access",
    description="Customer-managed IAM policies must not allow every action on every resource.",
    resource_types=T.IAM_POLICY,
    severity="high", group="hipaa", citation=C.IDENTITY_ACCESS,
    aws_config_rules=("iam-policy-no-statements-with-admin-access",),
    remediation="List the actions and resources the principal needs (least privilege).",
    violating=[Example({"policy": _ADMIN}, name="policy")],
    compliant=[Example({"policy": _S3_ALL}, name="policy"),
               Example({"policy": _ADMIN}, name="policy", stack=_BOUNDARY, note="a permissions boundary")],
)
def iam_policy_no_statements_with_admin_access(policy, stack):
    found = admin_statements(policy.props.get("policy"))
    if found and not is_boundary(policy, stack):
        yield f"statement {found[0]} allows every action ('*') on every resource: administrator access."


@stack_policy(
    name="iam-policy-no-statements-with-full-access",
    description="Customer-managed IAM policies must not allow every action of a service (`<service>:*`).",
    resource_types=T.IAM_POLICY,
    severity="medium", group="hipaa", citation=C.IDENTITY_ACCESS, enforcement="advisory",
    aws_config_rules=("iam-policy-no-statements-with-full-access",),
    remediation="List the actions of the service the principal needs instead of '<service>:*'.",
    violating=[Example({"policy": _S3_ALL}, name="policy")],
    compliant=[Example({"policy": _READ}, name="policy"),
               Example({"policy": _S3_ALL}, name="policy", stack=_BOUNDARY, note="a permissions boundary")],
)
def iam_policy_no_statements_with_full_access(policy, stack):
    found = full_access_actions(policy.props.get("policy"))
    if found and not is_boundary(policy, stack):
        shown = "a service-wide action" if policy.props.is_secret("policy") else ", ".join(found[:3])
        yield f"the policy allows {shown}: every action of the service, present and future."
