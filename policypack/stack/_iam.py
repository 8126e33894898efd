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
