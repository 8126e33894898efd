"""ECS pulls a container's `secrets` with the task's execution role: without secretsmanager:GetSecretValue
(ssm:GetParameters for Parameter Store) and kms:Decrypt on a customer-managed key, the task never starts
("ResourceInitializationError: unable to pull secrets")."""
import json

from policypack import arns
from policypack import resource_types as T
from policypack.policy import Example, stack_policy
from policypack.stack import _iam
from policypack.values import UNKNOWN

_TASK = "aws:ecs/taskDefinition:TaskDefinition"
_ROLE = "aws:iam/role:Role"
_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:210987654321:secret:db-credentials-a1b2c3"
_KEY_ARN = "arn:aws:kms:us-east-1:210987654321:key/0e6d3b9e-8f0a-4b59-9b53-3c8d1a3c2f10"
_ROLE_ARN = "arn:aws:iam::210987654321:role/task-exec"


class _Opaque(Exception):
    """A permission source the stack does not show (a policy outside the stack, a document not known yet)."""


def _secrets(containers) -> list[tuple[str, str, str]]:
    """(container name, secret name, valueFrom) of every container's `secrets` (and log configuration's)."""
    found = []
    for c in containers if isinstance(containers, list) else []:
        if not isinstance(c, dict):
            continue
        log_configuration = c.get("logConfiguration")
        entries = [*_entries(c.get("secrets")),
                   *_entries(log_configuration.get("secretOptions") if isinstance(log_configuration, dict) else None)]
        for s in entries:
            if isinstance(s, dict) and isinstance(s.get("valueFrom"), str):
                found.append((str(c.get("name", "?")), str(s.get("name", "?")), s["valueFrom"]))
    return found


def _entries(value) -> list:
    """A container definition's list field; anything else (a number, an object, text) holds no entries."""
    return value if isinstance(value, list) else []


def _doc(props, prop):
    """The statements of a policy document property; _Opaque when not known or not parseable."""
    text = props.peek(prop)
    if text is UNKNOWN:
        raise _Opaque(prop)
    stmts = _iam.statements(text)
    if stmts is None:
        raise _Opaque(prop)
    return stmts


def _attached(attachment):
    for policy in (p for p in attachment.depends_on_prop("policyArn") if p.type in T.IAM_POLICY):
        return _doc(policy.props, "policy")
    arn = attachment.props.peek("policyArn")
    if arn is UNKNOWN:
        raise _Opaque("policyArn")
    arn = arn if isinstance(arn, str) else None
    stmts = _iam.managed_policy(arn)
    if stmts is None:
        raise _Opaque("policyArn")
    return stmts


def role_statements(role, stack) -> list[dict]:
    """Every identity-policy statement of an in-stack role; raises _Opaque when one cannot be read."""
    stmts = []
    for inline in role.props.each("inlinePolicies"):
        if inline.is_set("policy"):
            stmts += _doc(inline, "policy")
    for arn in role.props.get_list("managedPolicyArns"):
        known = _iam.managed_policy(arn)
        if known is None:
            raise _Opaque("managedPolicyArns")
        stmts += known
    for rp in stack.referencing(role, T.IAM_ROLE_POLICY, "role"):
        stmts += _doc(rp.props, "policy")
    for attachment in stack.referencing(role, T.IAM_ROLE_POLICY_ATTACHMENT, "role"):
        stmts += _attached(attachment)
    for attachment in stack.referencing(role, T.IAM_POLICY_ATTACHMENT, "roles"):
        stmts += _attached(attachment)
    return stmts


def _secret_base(value_from: str) -> str:
    """A Secrets Manager valueFrom may end in ':json-key:version-stage:version-id': keep the secret's ARN."""
    return ":".join(value_from.split(":")[:7])


def _needs(value_from: str, task, stack):
    """(action, resource, in-stack secret or None) for one valueFrom; the secrets that feed the container
    definitions are preferred, then any secret of the stack with that ARN."""
    arn = arns.parse(value_from)
    if arn is not None and arn.service == "secretsmanager":
        base = _secret_base(value_from)
        feeding = [s for s in task.depends_on_prop("containerDefinitions") if s.type in T.SECRETSMANAGER_SECRET]
        secret = next((s for s in feeding + stack.of_type(T.SECRETSMANAGER_SECRET)
                       if not s.props.is_unknown("arn") and s.props.get_str("arn") == base), None)
        return "secretsmanager:GetSecretValue", base, secret
    return "ssm:GetParameters", value_from if arn is not None else f"parameter/{value_from.lstrip('/')}", None


def _covers_parameter(stmts, resource: str) -> bool:
    """ssm:GetParameters on a parameter given by ARN or by bare name (then compared by its `parameter/...` part)."""
    if resource.startswith("arn:"):
        return _iam.allows(stmts, "ssm:GetParameters", resource)
    def relative(pattern):
        return pattern.split(":", 5)[-1] if isinstance(pattern, str) and pattern.startswith("arn:") else pattern

    relative_stmts = [dict(s, Resource=[relative(p) for p in _iam.as_list(s["Resource"])])
                      for s in stmts if "Resource" in s]
    return _iam.allows(relative_stmts, "ssm:GetParameters", resource)


def _key_grants_role(key, role, action="kms:Decrypt") -> bool:
    """Whether the key's own policy names the role (a key policy can grant without any IAM policy)."""
    policy, role_arn = key.props.peek("policy"), role.props.peek("arn")
    if policy is UNKNOWN or role_arn is UNKNOWN:
        return True  # not known yet: assume it may
    stmts = _iam.statements(policy) or []
    role_arn = role_arn if isinstance(role_arn, str) else None
    return bool(role_arn) and _iam.allows(stmts, action, principal=lambda p: any(
        a == "*" or a == role_arn for a in _iam.principal_values(p, "AWS")))


def _example(containers, statements=None, *, role_props=None, secret_props=None, extra=(), note=""):
    secret = {"type": "aws:secretsmanager/secret:Secret", "name": "db-credentials",
              "props": secret_props if secret_props is not None else {"arn": _SECRET_ARN, "name": "db-credentials"}}
    role = {"type": _ROLE, "name": "task-exec", "props": role_props if role_props is not None else {
        "arn": _ROLE_ARN, "inlinePolicies": [{"name": "secrets", "policy": json.dumps(
            {"Version": "2012-10-17", "Statement": statements or []})}]}}
    return Example({"family": "app", "containerDefinitions": json.dumps(containers), "executionRoleArn": _ROLE_ARN},
                   type=_TASK, name="app-task",
                   property_dependencies={"executionRoleArn": ["task-exec"],
                                          "containerDefinitions": ["db-credentials"]},
                   stack=[role, secret, *extra], note=note)


_APP = [{"name": "app", "image": "nginx",
         "secrets": [{"name": "DB_PASSWORD", "valueFrom": _SECRET_ARN + ":password::"}]}]
_READ = {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": _SECRET_ARN}
_DECRYPT = {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": _KEY_ARN}
_CMK_SECRET = {"arn": _SECRET_ARN, "kmsKeyId": _KEY_ARN}
_EXECUTION_POLICY = {"type": "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "name": "exec-policy",
                     "props": {"role": "task-exec",
                               "policyArn": "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"},
                     "property_dependencies": {"role": ["task-exec"]}}


@stack_policy(
    name="ecs-execution-role-can-read-secrets",
    description="A task definition's secrets must be readable by its execution role (secretsmanager:GetSecretValue "
                "or ssm:GetParameters, and kms:Decrypt for a customer-managed key).",
    resource_types=T.ECS_TASK_DEFINITION,
    severity="high", group="deploy",
    remediation="Give the execution role a policy allowing secretsmanager:GetSecretValue on the secrets (and "
                "kms:Decrypt on their KMS key), e.g. an aws.iam.RolePolicy built from the secrets' ARNs.",
    violating=[
        _example(_APP, role_props={"arn": _ROLE_ARN}, extra=[_EXECUTION_POLICY],
                 note="seed 001: only the managed execution policy (ECR and logs)"),
        _example(_APP, [_READ], secret_props=_CMK_SECRET, note="a CMK-encrypted secret without kms:Decrypt"),
        _example(_APP, [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                         "Resource": "arn:aws:secretsmanager:us-east-1:210987654321:secret:other-*"}],
                 note="allowed on another secret only"),
        Example({"family": "app", "containerDefinitions": json.dumps(_APP)}, type=_TASK,
                note="no execution role at all"),
        _example([{"name": "app", "image": "nginx", "secrets": [{"name": "API_KEY", "valueFrom": "/app/api-key"}]}],
                 [_READ], note="an SSM parameter without ssm:GetParameters"),
    ],
    compliant=[
        _example(_APP, [_READ]),
        _example(_APP, [{"Effect": "Allow", "Action": ["secretsmanager:*", "kms:Decrypt"], "Resource": "*"}],
                 secret_props=_CMK_SECRET, note="wildcards count"),
        _example(_APP, [_READ, _DECRYPT], secret_props=_CMK_SECRET),
        _example(_APP, role_props={"arn": _ROLE_ARN}, note="a managed policy that allows everything",
                 extra=[{"type": "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "name": "admin",
                         "props": {"role": "task-exec", "policyArn": "arn:aws:iam::aws:policy/AdministratorAccess"},
                         "property_dependencies": {"role": ["task-exec"]}}]),
        _example(_APP, role_props={"arn": _ROLE_ARN}, note="an in-stack policy attached to the role",
                 extra=[{"type": "aws:iam/policy:Policy", "name": "read-secrets",
                         "props": {"policy": json.dumps({"Statement": [_READ]})}},
                        {"type": "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "name": "attach",
                         "props": {"role": "task-exec", "policyArn": "arn:aws:iam::210987654321:policy/read-secrets"},
                         "property_dependencies": {"role": ["task-exec"], "policyArn": ["read-secrets"]}}]),
        _example(_APP, role_props={"arn": _ROLE_ARN}, note="data missing: a customer policy outside the stack",
                 extra=[{"type": "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "name": "attach",
                         "props": {"role": "task-exec", "policyArn": "arn:aws:iam::210987654321:policy/external"},
                         "property_dependencies": {"role": ["task-exec"]}}]),
        _example([{"name": "app", "image": "nginx", "secrets": [{"name": "API_KEY", "valueFrom": "/app/api-key"}]}],
                 [{"Effect": "Allow", "Action": "ssm:GetParameters",
                   "Resource": "arn:aws:ssm:us-east-1:210987654321:parameter/app/*"}]),
        Example({"family": "app", "containerDefinitions": "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
                 "executionRoleArn": _ROLE_ARN}, type=_TASK, note="definitions unknown at preview: skipped"),
        Example({"family": "app", "containerDefinitions": json.dumps([{"name": "app", "image": "nginx"}])},
                type=_TASK, note="no secrets"),
    ],
)
def ecs_execution_role_can_read_secrets(r, stack):
    text = r.props.get_str("containerDefinitions")
    try:
        containers = json.loads(text) if text else None
    except ValueError:
        return []
    secrets = _secrets(containers)
    if not secrets:
        return []
    hidden = r.props.is_secret("containerDefinitions")
    if not r.props.is_set("executionRoleArn"):
        return [f"containers read {len(secrets)} secret(s) but the task definition has no executionRoleArn: ECS "
                "fetches secrets with the execution role, so the task cannot start."]
    messages = []
    for role in (d for d in r.depends_on_prop("executionRoleArn") if d.type in T.IAM_ROLE):
        try:
            stmts = role_statements(role, stack)
        except _Opaque:
            continue  # a policy we cannot read may grant it
        for container, name, value_from in secrets:
            what = "a secret" if hidden else f"secret {name} of container {container!r}"
            action, resource, secret = _needs(value_from, r, stack)
            granted = (_covers_parameter(stmts, resource) if action.startswith("ssm:")
                       else _iam.allows(stmts, action, resource))
            if not granted:
                target = "" if hidden else f" on {resource}"
                messages.append(f"execution role {role.name!r} cannot read {what}: nothing allows {action}{target}.")
                continue
            if secret is None or not secret.props.is_set("kmsKeyId") or secret.props.is_unknown("kmsKeyId"):
                continue
            key_id = secret.props.get_str("kmsKeyId") or ""
            keys = [k for k in secret.depends_on_prop("kmsKeyId") if k.type in T.KMS_KEY]
            key_arns = [key_id] + [k.props.get_str("arn") for k in keys if not k.props.is_unknown("arn")]
            if any(_iam.allows(stmts, "kms:Decrypt", a) for a in key_arns if a) or any(
                    _key_grants_role(k, role) for k in keys):
                continue
            messages.append(f"execution role {role.name!r} cannot decrypt {what}: its secret {secret.name!r} uses a "
                            "customer-managed KMS key and nothing allows kms:Decrypt on it.")
    return messages
