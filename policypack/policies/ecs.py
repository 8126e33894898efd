"""ECS: tasks without public addresses, and credentials passed as secrets, not environment literals."""
import json
import re

from policypack import resource_types as T
from policypack.policy import Example, resource_policy

# An environment variable whose name says it holds a credential.
_SECRET_NAME = re.compile(r"secret|passw(?:or)?d|pwd|token|api[-_]?key|private[-_]?key|credential", re.IGNORECASE)
# ...unless the name says the value only points at one (an ARN, a name, a path), or the value is an ARN.
# Likewise a name that says the value is a setting about credentials (a lifetime, an endpoint, a switch).
_REFERENCE_NAME = re.compile(
    r"(?:^|[-_])(?:arn|name|id|path|file|region|url|uri|endpoint|host|port|ttl|length|expiry|expiration|expires"
    r"|timeout|seconds|minutes|hours|days|enabled|disabled|header|issuer|audience|type|version)$", re.IGNORECASE)
# ...or a name that turns a feature on or off (ENABLE_TOKEN_AUTH, USE_SECRETS_MANAGER) with a boolean.
_SWITCH_NAME = re.compile(r"^(?:enable|disable|use|require)[-_]", re.IGNORECASE)
_BOOLEAN_VALUE = ("true", "false", "yes", "no", "on", "off", "enabled", "disabled")
_ARN_VALUE = re.compile(r"^arn:aws[a-z-]*:", re.IGNORECASE)


@resource_policy(
    name="ecs-no-public-ip",
    description="ECS services must not give their tasks public IP addresses.",
    resource_types=T.ECS_SERVICE,
    severity="high", group="hipaa",
    citation=(
        "164.312(a)(1)", "164.308(a)(3)(i)", "164.308(a)(4)(ii)(A)", "164.308(a)(4)(ii)(C)", "164.312(e)(1)",
    ),
    remediation="Set network_configuration.assign_public_ip=False, run the tasks in private subnets, and reach "
                "AWS APIs and image registries through a NAT gateway or VPC endpoints.",
    violating=[Example({"launchType": "FARGATE",
                        "networkConfiguration": {"subnets": ["subnet-0a1b2c3d"], "assignPublicIp": True}})],
    compliant=[Example({"launchType": "FARGATE",
                        "networkConfiguration": {"subnets": ["subnet-0a1b2c3d"], "assignPublicIp": False}}),
               Example({"launchType": "FARGATE", "networkConfiguration": {"subnets": ["subnet-0a1b2c3d"]}},
                       note="AWS defaults to no public IP")],
)
def ecs_no_public_ip(r):
    if r.props.get_bool("networkConfiguration.assignPublicIp") is True:
        yield "networkConfiguration.assignPublicIp is true: every task gets an address reachable from the internet."


@ecs_no_public_ip.remediator
def _(r):
    return {"networkConfiguration.assignPublicIp": False}


def _container_definitions(r) -> list:
    """The task definition's containers: the wire carries `containerDefinitions` as a JSON string."""
    value = r.props.get("containerDefinitions")
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return []
    if isinstance(value, dict):
        value = [value]
    return [c for c in value if isinstance(c, dict)] if isinstance(value, list) else []


def _plaintext_credentials(container: dict) -> list[str]:
    """Names of environment variables that hold a literal credential."""
    found = []
    environment = container.get("environment")
    for entry in environment if isinstance(environment, list) else []:
        if not isinstance(entry, dict):
            continue
        name, value = entry.get("name"), entry.get("value")
        if not isinstance(name, str) or not isinstance(value, (str, int, float)) or isinstance(value, bool):
            continue
        text = str(value).strip()
        if _SWITCH_NAME.search(name) and text.lower() in _BOOLEAN_VALUE:
            continue
        if (_SECRET_NAME.search(name) and not _REFERENCE_NAME.search(name) and text
                and not _ARN_VALUE.match(text)):
            found.append(name)
    return found


@resource_policy(
    name="ecs-no-plaintext-secrets",
    description="ECS task definitions must pass credentials through `secrets`, not as environment literals.",
    resource_types=T.ECS_TASK_DEFINITION,
    severity="critical", group="hipaa",
    citation=("164.312(a)(1)", "164.308(a)(3)(i)", "164.308(a)(4)(ii)(A)", "164.308(a)(4)(ii)(C)"),
    remediation="Store the value in Secrets Manager or SSM Parameter Store and reference it from the container's "
                "`secrets` list ({name, valueFrom: <secret ARN>}); the execution role needs "
                "secretsmanager:GetSecretValue (and kms:Decrypt for a customer-managed key).",
    violating=[
        Example({"family": "api", "containerDefinitions": json.dumps([{
            "name": "api", "image": "app:1",
            "environment": [{"name": "DB_PASSWORD", "value": "hunter2-prod"}, {"name": "PORT", "value": "8080"}]}])}),
        Example({"family": "api", "containerDefinitions": json.dumps([{
            "name": "worker", "image": "app:1", "environment": [{"name": "STRIPE_API_KEY", "value": "sk_live_abc123"}]}])}),
    ],
    compliant=[
        Example({"family": "api", "containerDefinitions": json.dumps([{
            "name": "api", "image": "app:1", "environment": [{"name": "PORT", "value": "8080"}],
            "secrets": [{"name": "DB_PASSWORD",
                         "valueFrom": "arn:aws:secretsmanager:us-east-1:210987654321:secret:prod/db-AbCdEf"}]}])}),
        Example({"family": "api", "containerDefinitions": json.dumps([{
            "name": "api", "image": "app:1",
            "environment": [{"name": "DB_SECRET_ARN",
                             "value": "arn:aws:secretsmanager:us-east-1:210987654321:secret:prod/db-AbCdEf"},
                            {"name": "TOKEN_TTL", "value": "3600"}]}])},
                note="variables that only point at a secret are fine"),
        Example({"family": "api", "containerDefinitions": json.dumps([{
            "name": "api", "image": "app:1",
            "environment": [{"name": "JWT_TOKEN_EXPIRY", "value": "900"},
                            {"name": "SECRETS_MANAGER_ENDPOINT", "value": "https://secretsmanager.us-east-1.amazonaws.com"},
                            {"name": "ENABLE_TOKEN_AUTH", "value": "true"},
                            {"name": "USE_SECRETS_MANAGER", "value": "yes"}]}])},
                note="settings about credentials (lifetimes, endpoints, switches) are not credentials"),
    ],
)
def ecs_no_plaintext_secrets(r):
    secret = r.props.is_secret("containerDefinitions")
    for i, container in enumerate(_container_definitions(r)):
        for name in _plaintext_credentials(container):
            # The value is never shown; names are shown only when the definitions are not secret.
            where = "an environment variable" if secret else f"environment variable {name!r}"
            label = f"container {i}" if secret or not isinstance(container.get("name"), str) \
                else f"container {container['name']!r}"
            yield (f"{label} sets {where} that names a credential to a literal value, visible to anyone who can "
                   "describe the task definition; pass it through `secrets` instead.")


# -- issue 9: AWS Config HIPAA conformance pack rules for task definitions ---------------------------------
from policypack import hipaa_controls as C  # noqa: E402 - kept inside this block for merges


def _container_label(r, i: int, container: dict) -> str:
    """How a message names a container: by name unless the definitions are secret."""
    name = container.get("name")
    if r.props.is_secret("containerDefinitions") or not isinstance(name, str):
        return f"container {i}"
    return f"container {name!r}"


def _definitions_json(containers) -> str:
    return json.dumps(containers)


@resource_policy(
    name="ecs-containers-readonly-access",
    description="ECS containers should run with a read-only root file system.",
    resource_types=T.ECS_TASK_DEFINITION,
    severity="low", group="hipaa", citation=C.INTEGRITY, enforcement="advisory",
    aws_config_rules=("ecs-containers-readonly-access",),
    remediation="Set readonlyRootFilesystem: true in each container definition and mount a volume (or tmpfs) "
                "for the paths the application must write.",
    violating=[
        Example({"family": "api", "containerDefinitions": _definitions_json([{"name": "api", "image": "app:1"}])},
                note="readonlyRootFilesystem unset means writable"),
        Example({"family": "api", "containerDefinitions": _definitions_json([
            {"name": "api", "image": "app:1", "readonlyRootFilesystem": True},
            {"name": "sidecar", "image": "proxy:1", "readonlyRootFilesystem": False}])}),
    ],
    compliant=[Example({"family": "api", "containerDefinitions": _definitions_json([
        {"name": "api", "image": "app:1", "readonlyRootFilesystem": True}])})],
)
def ecs_containers_readonly_access(r):
    for i, container in enumerate(_container_definitions(r)):
        if container.get("readonlyRootFilesystem") is not True:
            yield (f"{_container_label(r, i, container)} has a writable root file system: a compromised process "
                   "can alter the container's binaries and configuration.")


_ROOT_USERS = ("root", "0")


def _runs_as_root(user) -> bool:
    if user is None:
        return True
    if not isinstance(user, str):
        return False
    return user.strip().lower().split(":", 1)[0] in _ROOT_USERS + ("",)


@resource_policy(
    name="ecs-task-definition-user-for-host-mode-check",
    description="ECS tasks on the host network must not run containers as root unless they are privileged "
                "on purpose.",
    resource_types=T.ECS_TASK_DEFINITION,
    severity="high", group="hipaa", citation=C.cite(C.ACCESS_AUTHORIZATION, "308(a)(3)(ii)(A)"),
    aws_config_rules=("ecs-task-definition-user-for-host-mode-check",),
    remediation="Set a non-root user (\"1000\", \"app:app\") in each container definition, or use the awsvpc "
                "network mode so containers do not share the host's network stack.",
    violating=[
        Example({"family": "agent", "networkMode": "host",
                 "containerDefinitions": _definitions_json([{"name": "agent", "image": "agent:1"}])},
                note="user unset means root"),
        Example({"family": "agent", "networkMode": "host",
                 "containerDefinitions": _definitions_json([{"name": "agent", "image": "agent:1", "user": "0:0"}])}),
    ],
    compliant=[
        Example({"family": "agent", "networkMode": "host",
                 "containerDefinitions": _definitions_json([{"name": "agent", "image": "agent:1", "user": "1000"}])}),
        Example({"family": "agent", "networkMode": "host", "containerDefinitions": _definitions_json([
            {"name": "agent", "image": "agent:1", "privileged": True}])}, note="privileged on purpose, as AWS"),
        Example({"family": "api", "networkMode": "awsvpc",
                 "containerDefinitions": _definitions_json([{"name": "api", "image": "app:1"}])}),
    ],
)
def ecs_task_definition_user_for_host_mode_check(r):
    if (r.props.get_str("networkMode") or "").lower() != "host":
        return
    for i, container in enumerate(_container_definitions(r)):
        if container.get("privileged") is True or not _runs_as_root(container.get("user")):
            continue
        yield (f"{_container_label(r, i, container)} runs as root and shares the instance's network stack: it can "
               "bind any port of the instance and reach its local services; set a non-root user.")
