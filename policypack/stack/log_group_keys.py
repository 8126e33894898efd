"""A log group encrypted with a KMS key needs a key policy that lets CloudWatch Logs use the key."""
import json

from policypack import resource_types as T
from policypack.policy import Example, stack_policy
from policypack.stack import _iam
from policypack.values import Unknown

# What CloudWatch Logs needs on the key (CloudWatch Logs User Guide, "Encrypt log data using AWS KMS").
LOGS_ACTIONS = ("kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:GenerateDataKey", "kms:DescribeKey")
_LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
_KEY = "aws:kms/key:Key"
_ROOT_ONLY = json.dumps({"Version": "2012-10-17", "Statement": [
    {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::210987654321:root"},
     "Action": "kms:*", "Resource": "*"}]})


def _with_logs(region: str, *, service=None, actions=None) -> str:
    statement = {"Sid": "Allow CloudWatch Logs", "Effect": "Allow",
                 "Principal": {"Service": service or f"logs.{region}.amazonaws.com"},
                 "Action": actions or ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                                       "kms:Describe*"], "Resource": "*"}
    return json.dumps({"Version": "2012-10-17", "Statement": [json.loads(_ROOT_ONLY)["Statement"][0], statement]})


def _example(policy, region="us-east-1", note="", key_props=None, extra=(), key_deps=None):
    key = {"type": _KEY, "name": "logs-key", "props": key_props if key_props is not None else {"policy": policy},
           "property_dependencies": key_deps or {}}
    return Example({"name": "/ecs/app", "retentionInDays": 30, "kmsKeyId": "arn:aws:kms:key"}, type=_LOG_GROUP,
                   name="app-logs", region=region, property_dependencies={"kmsKeyId": ["logs-key"]},
                   stack=[key, *extra], note=note)


def _keys(r):
    """The in-stack KMS keys behind the log group's kmsKeyId (directly or through an alias)."""
    found = []
    for d in r.depends_on_prop("kmsKeyId"):
        if d.type in T.KMS_KEY:
            found.append(d)
        elif d.type in T.KMS_ALIAS:
            found += [k for k in d.depends_on_prop("targetKeyId") if k.type in T.KMS_KEY]
    return found


def _key_policy(key, stack):
    """(policy document or None for the default key policy); raises Unknown when it is not known yet."""
    attached = stack.referencing(key, T.KMS_KEY_POLICY, "keyId")
    for holder in attached or [key]:
        if holder.props.is_unknown("policy"):
            # Unknown with nothing in the stack feeding it: the provider computes it, i.e. the program set no
            # policy and AWS will apply its default key policy. Otherwise it is just not known yet.
            if holder is key and not key.depends_on_prop("policy"):
                return None
            raise Unknown("policy")
    documents = [h.props.get_str("policy") for h in attached or [key]]
    return [d for d in documents if d] or None


@stack_policy(
    name="log-group-kms-key-allows-logs",
    description="The KMS key of an encrypted log group must have a key policy that allows CloudWatch Logs "
                "(logs.<region>.amazonaws.com) to use it.",
    resource_types=T.CLOUDWATCH_LOG_GROUP,
    severity="high", group="deploy",
    remediation="Add a key policy statement allowing Principal {\"Service\": \"logs.<region>.amazonaws.com\"} "
                "kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey*, kms:Describe* "
                "(optionally conditioned on kms:EncryptionContext:aws:logs:arn).",
    violating=[
        _example(None, key_props={"enableKeyRotation": True}, region="ap-southeast-1",
                 note="seed 004: no key policy, the default one does not allow the logs service"),
        _example(_ROOT_ONLY, note="seed 001: only the account root"),
        _example(_with_logs("us-east-1"), region="ap-southeast-1", note="the logs principal of another region"),
        _example(_with_logs("us-east-1", actions=["kms:Decrypt"]), note="cannot encrypt"),
        _example(_ROOT_ONLY, key_props={"enableKeyRotation": True}, note="a KeyPolicy resource replaces the key's",
                 extra=[{"type": "aws:kms/keyPolicy:KeyPolicy", "name": "logs-key-policy",
                         "props": {"keyId": "key-id", "policy": _ROOT_ONLY},
                         "property_dependencies": {"keyId": ["logs-key"]}}]),
    ],
    compliant=[
        _example(_with_logs("us-east-1")),
        _example(_with_logs("ap-southeast-1"), region="ap-southeast-1"),
        _example(_with_logs("us-east-1", service="logs.amazonaws.com")),
        _example(_with_logs("us-east-1", actions=["kms:*"])),
        _example(_with_logs("eu-west-1"), region=None, note="region unknown: any logs principal"),
        _example("04da6b54-80e4-46f7-96ec-b56ff0331ba9",
                 key_props={"policy": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"},
                 extra=[{"type": "aws:iam/role:Role", "name": "feeds-policy", "props": {}}],
                 key_deps={"policy": ["feeds-policy"]},
                 note="policy not known yet (built from another resource's output): skipped"),
        _example(_ROOT_ONLY, key_props={"enableKeyRotation": True}, note="a KeyPolicy resource allows logs",
                 extra=[{"type": "aws:kms/keyPolicy:KeyPolicy", "name": "logs-key-policy",
                         "props": {"keyId": "key-id", "policy": _with_logs("us-east-1")},
                         "property_dependencies": {"keyId": ["logs-key"]}}]),
        Example({"name": "/ecs/app", "kmsKeyId": "arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab"},
                note="data missing: a key outside the stack"),
        Example({"name": "/ecs/app", "retentionInDays": 30}, note="not encrypted: log-group-encrypted's concern"),
    ],
)
def log_group_kms_key_allows_logs(r, stack):
    if not r.props.is_set("kmsKeyId"):
        return []
    region = r.region
    principals = {"logs.amazonaws.com"} | ({f"logs.{region}.amazonaws.com"} if region else set())

    def logs_principal(principal) -> bool:
        services = _iam.principal_values(principal, "Service") + [
            a for a in _iam.principal_values(principal, "AWS") if a == "*"]
        return any(s == "*" or s in principals or (region is None and s.startswith("logs.")) for s in services)

    needed = ", ".join(LOGS_ACTIONS)
    who = f"logs.{region}.amazonaws.com" if region else "the CloudWatch Logs service"
    messages = []
    for key in _keys(r):
        documents = _key_policy(key, stack)
        if documents is None:
            messages.append(f"kmsKeyId is KMS key {key.name!r}, which has no key policy: the default key policy does "
                            f"not allow {who}, so creating the log group fails with AccessDeniedException.")
            continue
        parsed = [_iam.statements(d) for d in documents]
        if any(p is None for p in parsed):
            continue  # a malformed document is refused on its own (MalformedPolicyDocument): not this policy's say
        stmts = [s for p in parsed for s in p]
        missing = [a for a in LOGS_ACTIONS if not _iam.allows(stmts, a, principal=logs_principal)]
        if missing:
            needs = "" if len(missing) == len(LOGS_ACTIONS) else f" (it needs {needed})"
            messages.append(f"kmsKeyId is KMS key {key.name!r}, whose key policy does not allow {who} "
                            f"{', '.join(missing)}{needs}: creating the log group fails with AccessDeniedException.")
    return messages
