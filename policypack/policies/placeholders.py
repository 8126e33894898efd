"""ARNs that carry a documentation or filler account id can never name a resource of the deploying account."""
import re

from policypack import data
from policypack import resource_types as T
from policypack.policy import Example, resource_policy
from policypack.values import Secret

_PLACEHOLDERS = "placeholders.json"
# An ARN anywhere in a string, JSON policy documents included; group 1 is the account id.
_EMBEDDED_ARN = re.compile(r"arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):")
_SKIPPED = ("tagsAll",)  # the provider's copy of `tags`: one finding per value is enough


def _arn_strings(value, parts: list, secret: bool):
    """(path, text, secret) for every string that can hold an ARN (contains "arn:") in a property tree.

    Runs for every resource of every type, so it builds a path only for the few strings that match: the
    walk keeps the keys on a list and joins them on a hit."""
    kind = type(value)
    if kind is str:
        if "arn:" in value:
            yield ".".join(parts), value, secret
    elif kind is dict:
        for key, item in value.items():
            if type(item) in (int, float, bool) or item is None:
                continue
            parts.append(str(key))
            yield from _arn_strings(item, parts, secret)
            parts.pop()
    elif kind is list:
        for i, item in enumerate(value):
            parts.append(str(i))
            yield from _arn_strings(item, parts, secret)
            parts.pop()
    elif isinstance(value, Secret):
        yield from _arn_strings(value.value, parts, True)


@resource_policy(
    name="no-placeholder-account-ids",
    description="No property may hold an ARN whose account id is a placeholder (123456789012, 000000000000, ...).",
    resource_types=T.ANY,
    severity="high", group="deploy",
    remediation="Reference the real resource (its .arn output), or build the ARN from "
                "aws.get_caller_identity().account_id.",
    data_sources=(_PLACEHOLDERS,),
    violating=[
        Example({"protocol": "HTTPS", "port": 443,
                 "certificateArn": "arn:aws:acm:sa-east-1:123456789012:certificate/placeholder"},
                type="aws:lb/listener:Listener", note="seed 002"),
        Example({"policy": '{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", '
                           '"Principal": {"AWS": "arn:aws:iam::000000000000:root"}, "Resource": "*"}]}'},
                type="aws:s3/bucketPolicy:BucketPolicy", note="inside a JSON policy document"),
        Example({"defaultActions": [{"type": "forward",
                                     "targetGroupArn": "arn:aws:elasticloadbalancing:us-east-1:111122223333:"
                                                       "targetgroup/tg/0123456789abcdef"}]},
                type="aws:lb/listener:Listener", note="nested"),
    ],
    compliant=[
        Example({"certificateArn": "arn:aws:acm:us-east-1:210987654321:certificate/5e1c6c2a"},
                type="aws:lb/listener:Listener"),
        Example({"policyArn": "arn:aws:iam::aws:policy/AmazonECSTaskExecutionRolePolicy"},
                type="aws:iam/rolePolicyAttachment:RolePolicyAttachment", note="AWS managed: no account id"),
        Example({"description": "account 123456789012 is the AWS example account"}, type="aws:kms/key:Key",
                note="not an ARN"),
        Example({"certificateArn": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"}, type="aws:lb/listener:Listener",
                note="unknown at preview: a reference to a resource of the stack"),
    ],
)
def no_placeholder_account_ids(r):
    placeholders = data.placeholder_account_ids()
    for path, text, secret in _arn_strings(r.props.raw(), [], False):
        if path.split(".", 1)[0] in _SKIPPED:
            continue
        account = next((m.group(1) for m in _EMBEDDED_ARN.finditer(text) if m.group(1) in placeholders), None)
        if account is None:
            continue
        if secret:
            yield f"{path} holds an ARN with a placeholder account id: it cannot name a resource of this account."
        else:
            yield (f"{path} holds an ARN with the placeholder account {account}: it cannot name a resource "
                   "of this account.")

