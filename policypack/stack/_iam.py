"""Reading IAM and KMS policy documents, for the stack policies that follow permissions across resources.

Evaluation is deliberately simple and one-sided: an Allow statement whose Action and Resource match counts;
Deny statements and Conditions are ignored. So a finding ("nothing allows X") is sound, while a permission
that a Deny or a Condition takes away again is missed, never invented.
"""
from __future__ import annotations

import functools
import json
import re
from typing import Any, Callable, Iterable, Optional


def statements(document: Any) -> Optional[list[dict]]:
    """The statements of a policy document (a JSON string or a parsed dict); None when it does not parse."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except ValueError:
            return None
    if not isinstance(document, dict):
        return None
    found = document.get("Statement", [])
    found = found if isinstance(found, list) else [found]
    return [s for s in found if isinstance(s, dict)]


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else ([] if value is None else [value])


def wildcard_match(pattern: Any, text: str, *, ignore_case: bool = False) -> bool:
    """IAM wildcard matching: `*` any run of characters, `?` one character."""
    if not isinstance(pattern, str):
        return False
    if "*" not in pattern and "?" not in pattern:
        return pattern.lower() == text.lower() if ignore_case else pattern == text
    return _wildcard_regex(pattern, ignore_case).fullmatch(text) is not None


@functools.lru_cache(maxsize=4096)
def _wildcard_regex(pattern: str, ignore_case: bool) -> "re.Pattern[str]":
    regex = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(regex, re.IGNORECASE | re.DOTALL if ignore_case else re.DOTALL)


def _matches(statement: dict, key: str, value: str, ignore_case: bool) -> bool:
    """Whether `Key`/`NotKey` of a statement covers `value` (a statement without either covers everything)."""
    if key in statement:
        return any(wildcard_match(p, value, ignore_case=ignore_case) for p in as_list(statement[key]))
    if "Not" + key in statement:
        return not any(wildcard_match(p, value, ignore_case=ignore_case) for p in as_list(statement["Not" + key]))
    return key == "Resource"  # a key policy statement may omit nothing; an identity policy needs Action


def allows(stmts: Iterable[dict], action: str, resource: Optional[str] = None,
           principal: Optional[Callable[[Any], bool]] = None) -> bool:
    """Whether some Allow statement grants `action` (on `resource`, when given) (to `principal`, when given)."""
    for s in stmts:
        if str(s.get("Effect", "")).lower() != "allow":
            continue
        if not _matches(s, "Action", action, True):
            continue
        if resource is not None and not _matches(s, "Resource", resource, False):
            continue
        if principal is not None and not principal(s.get("Principal")):
            continue
        return True
    return False


def principal_values(principal: Any, kind: str) -> list[str]:
    """The `Service` / `AWS` entries of a Principal; `*` stands for everyone."""
    if principal == "*":
        return ["*"]
    if isinstance(principal, dict):
        return [v for v in as_list(principal.get(kind)) if isinstance(v, str)]
    return []


# AWS managed policies an execution role commonly carries, reduced to the statements that matter here
# (AWS Managed Policy Reference Guide, policy versions current in 2026). Any other managed policy is unknown:
# the policy reading it must stay silent rather than guess.
MANAGED_POLICIES: dict[str, list[dict]] = {
    "AdministratorAccess": [{"Effect": "Allow", "Action": "*", "Resource": "*"}],
    "PowerUserAccess": [{"Effect": "Allow", "NotAction": ["iam:*", "organizations:*", "account:*"], "Resource": "*"}],
    "SecretsManagerReadWrite": [{"Effect": "Allow", "Action": ["secretsmanager:*"], "Resource": "*"},
                                {"Effect": "Allow", "Action": ["kms:DescribeKey", "kms:ListAliases", "kms:ListKeys"],
                                 "Resource": "*"}],
    "AmazonSSMReadOnlyAccess": [{"Effect": "Allow", "Action": ["ssm:Describe*", "ssm:Get*", "ssm:List*"],
                                 "Resource": "*"}],
    "AmazonSSMFullAccess": [{"Effect": "Allow", "Action": ["ssm:*"], "Resource": "*"}],
    "service-role/AmazonECSTaskExecutionRolePolicy": [
        {"Effect": "Allow", "Action": ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability",
                                       "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage", "logs:CreateLogStream",
                                       "logs:PutLogEvents"], "Resource": "*"}],
}
_MANAGED_ARN = re.compile(r"^arn:aws[a-z-]*:iam::aws:policy/(.+)$")


def managed_policy(arn: Any) -> Optional[list[dict]]:
    """The statements of a known AWS managed policy ARN, else None."""
    match = _MANAGED_ARN.match(arn) if isinstance(arn, str) else None
    return MANAGED_POLICIES.get(match.group(1)) if match else None


# -- reading whole documents (the IAM conformance rules) ----------------------------------------------------
# One reader for every shape a program writes: a JSON string (what `iam.get_policy_document(...).json` and
# `json.dumps` give), a parsed dict, `Statement` / `Action` / `Resource` as a value or a list, Allow with
# `NotAction` = every action not listed. Conditions are not read (a Condition only narrows a grant).

def allow_statements(document: Any) -> Optional[list[dict]]:
    """The Allow statements of a document; None when it does not parse."""
    stmts = statements(document)
    if stmts is None:
        return None
    return [s for s in stmts if str(s.get("Effect", "")).lower() == "allow"]


def _literal_match(pattern: str, text: str) -> bool:
    """`pattern` matches `text` with the wildcards of `text` taken literally: pattern covers text's actions."""
    return wildcard_match(pattern, text, ignore_case=True)


def action_grant(statement: dict, action: str) -> bool:
    """Whether an Allow statement grants `action`, itself a name or a pattern (`kms:ReEncrypt*`): a statement
    pattern that covers it, or a statement action that falls inside it (wildcards expanded both ways)."""
    if "Action" in statement:
        return any(isinstance(p, str) and (_literal_match(p, action) or _literal_match(action, p))
                   for p in as_list(statement["Action"]))
    if "NotAction" in statement:  # every action not listed
        return not any(isinstance(p, str) and _literal_match(p, action) for p in as_list(statement["NotAction"]))
    return False


def on_every_resource(statement: dict) -> bool:
    """`Resource` `*` (or a `NotResource` that leaves `*` in)."""
    if "Resource" in statement:
        return "*" in as_list(statement["Resource"])
    if "NotResource" in statement:
        return "*" not in as_list(statement["NotResource"])
    return False


def actions_of(statement: dict) -> list[str]:
    """The action patterns an Allow statement lists under `Action` (strings only)."""
    return [a for a in as_list(statement.get("Action")) if isinstance(a, str)]


def granted_on_every_resource(document: Any, patterns: Iterable[str]) -> Optional[list[str]]:
    """The `patterns` (action names or wildcards) some Allow statement grants on `*`; None if unparsable."""
    stmts = allow_statements(document)
    if stmts is None:
        return None
    broad = [s for s in stmts if on_every_resource(s)]
    return [p for p in patterns if any(action_grant(s, p) for s in broad)]


def admin_statements(document: Any) -> list[int]:
    """Indexes of Allow statements with Action `*` on Resource `*`."""
    return [i for i, s in enumerate(statements(document) or [])
            if str(s.get("Effect", "")).lower() == "allow" and on_every_resource(s) and "*" in actions_of(s)]


_SERVICE_WIDE = re.compile(r"^[a-z0-9-]+:\*$", re.IGNORECASE)


def full_access_actions(document: Any) -> list[str]:
    """The `<service>:*` actions Allow statements grant (an Allow + NotAction grants whole services too)."""
    found = []
    for s in statements(document) or []:
        if str(s.get("Effect", "")).lower() != "allow":
            continue
        found += [a for a in actions_of(s) if _SERVICE_WIDE.match(a)]
        if "NotAction" in s:
            found.append("every service but " + ", ".join(str(a) for a in as_list(s["NotAction"])))
    return found
