"""SSM: documents not shared with every AWS account."""
from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.policy import Example, resource_policy

_CONTENT = '{"schemaVersion": "2.2", "mainSteps": []}'


def _public(r) -> bool:
    permissions = r.props.get_map("permissions")
    accounts = permissions.get("account_ids")
    return isinstance(accounts, str) and any(a.strip().lower() == "all" for a in accounts.split(","))


@resource_policy(
    name="ssm-document-not-public",
    description="SSM documents must not be shared publicly.",
    resource_types=T.SSM_DOCUMENT,
    severity="high", group="hipaa", citation=C.ACCESS_MANAGEMENT, aws_config_rules=("ssm-document-not-public",),
    remediation="Remove permissions, or set account_ids to the specific accounts that need the document.",
    violating=[Example({"name": "patch-runbook", "documentType": "Command", "content": _CONTENT,
                        "permissions": {"type": "Share", "account_ids": "All"}})],
    compliant=[Example({"name": "patch-runbook", "documentType": "Command", "content": _CONTENT}),
               Example({"name": "patch-runbook", "documentType": "Command", "content": _CONTENT,
                        "permissions": {"type": "Share", "account_ids": "210987654321,123456789013"}})],
)
def ssm_document_not_public(r):
    if _public(r):
        yield "permissions share the document with every AWS account: anyone can read and run its steps."


@ssm_document_not_public.remediator
def _(r):
    return {"permissions": None}
