"""Lambda functions: settings CreateFunction refuses (reserved environment keys, blocked runtimes)."""
import re

from policypack import data
from policypack import resource_types as T
from policypack.policy import Example, resource_policy

_LAMBDA = "lambda.json"


@resource_policy(
    name="lambda-reserved-env-vars",
    description="A Lambda function must not set environment variables that Lambda reserves (AWS_REGION, ...).",
    resource_types=T.LAMBDA_FUNCTION,
    severity="high", group="deploy",
    remediation="Remove the variable: Lambda sets it itself (read AWS_REGION at run time), or use another name.",
    data_sources=(_LAMBDA,),
    violating=[
        Example({"runtime": "python3.12", "environment": {"variables": {"AWS_REGION": "us-east-1", "TABLE": "t"}}}),
        Example({"runtime": "python3.12", "environment": {"variables": {"AWS_ACCESS_KEY_ID": "AKIA0000EXAMPLE"}}}),
    ],
    compliant=[
        Example({"runtime": "python3.12", "environment": {"variables": {"TABLE": "patients", "REGION": "us-east-1"}}}),
        Example({"runtime": "python3.12"}, note="no environment"),
        Example({"runtime": "python3.12", "environment": {"variables": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"}},
                note="variables unknown at preview: skipped"),
    ],
)
def lambda_reserved_env_vars(r):
    variables = r.props.get_map("environment.variables")
    reserved = sorted(k for k in variables if isinstance(k, str) and k in data.lambda_reserved_env_vars())
    if not reserved:
        return
    names = f"{len(reserved)} reserved key(s)" if r.props.is_secret("environment.variables") else ", ".join(reserved)
    yield f"environment.variables sets {names}, which Lambda reserves: CreateFunction fails with InvalidParameterValue."


def _family(runtime: str) -> str:
    match = re.match(r"[a-z]+", runtime)
    return match.group(0) if match else runtime


def _numbers(runtime: str) -> tuple:
    return tuple(int(n) for n in re.findall(r"\d+", runtime))


def _newest_supported(runtime: str) -> str | None:
    """The newest runtime of the same family (python, nodejs, ...) that can still be created, from the data."""
    family = _family(runtime)
    candidates = [name for name in data.load(_LAMBDA)["runtimes"]
                  if _family(name) == family and _numbers(name)
                  and (data.lambda_runtime_status(name) or {}).get("status") != "blocked"]
    return max(candidates, key=_numbers, default=None)


@resource_policy(
    name="lambda-runtime-supported",
    description="A Lambda function's runtime must not be one AWS has blocked for function creation.",
    resource_types=T.LAMBDA_FUNCTION,
    severity="high", group="deploy",
    remediation="Move to a supported runtime of the same language (see the Lambda runtimes page) and test the "
                "code on it.",
    data_sources=(_LAMBDA,),
    violating=[
        Example({"runtime": "python3.7", "handler": "index.handler"}),
        Example({"runtime": "nodejs12.x", "handler": "index.handler"}),
    ],
    compliant=[
        Example({"runtime": "python3.12", "handler": "index.handler"}),
        Example({"packageType": "Image", "imageUri": "210987654321.dkr.ecr.us-east-1.amazonaws.com/app:1"},
                note="container image: no runtime"),
        Example({"runtime": "python4.0", "handler": "index.handler"},
                note="data missing: a runtime the data does not know"),
    ],
)
def lambda_runtime_supported(r):
    runtime = r.props.get_str("runtime")
    status = data.lambda_runtime_status(runtime) if runtime else None
    if not status or status["status"] != "blocked":
        return
    if r.props.is_secret("runtime"):
        yield f"runtime {r.props.show('runtime')} can no longer be used to create functions."
        return
    newest = _newest_supported(runtime)
    hint = f"; use {newest}" if newest else ""
    yield (f"runtime {runtime!r} can no longer be used to create functions "
           f"(blocked since {status['block_create']}){hint}.")


# -- issue 9: AWS Config HIPAA conformance pack: functions not invocable by anyone ------------------------
from policypack import hipaa_controls as C  # noqa: E402 - kept inside this block for merges

# An ARN whose account field is set (arn:partition:service:region:account:...) scopes a grant to that account.
_ACCOUNT_ARN = re.compile(r"^arn:[^:]+:[^:]*:[^:]*:\d{12}:", re.IGNORECASE)


@resource_policy(
    name="lambda-function-public-access-prohibited",
    description="Lambda function permissions must not let anyone invoke the function.",
    resource_types=T.LAMBDA_PERMISSION,
    severity="critical", group="hipaa", citation=C.ACCESS_CONTROL,
    aws_config_rules=("lambda-function-public-access-prohibited",),
    remediation="Grant a specific principal (an account, a service) and scope a service grant with "
                "source_account and source_arn; for a function URL use function_url_auth_type 'AWS_IAM'.",
    violating=[
        Example({"action": "lambda:InvokeFunction", "function": "intake", "principal": "*"}),
        Example({"action": "lambda:InvokeFunctionUrl", "function": "intake", "principal": "*",
                 "functionUrlAuthType": "NONE"}, note="a public function URL"),
        Example({"action": "lambda:InvokeFunction", "function": "intake", "principal": "s3.amazonaws.com",
                 "sourceArn": "arn:aws:s3:::intake-uploads"},
                note="an S3 bucket ARN carries no account: any account's bucket of that name could invoke"),
    ],
    compliant=[
        Example({"action": "lambda:InvokeFunction", "function": "intake", "principal": "s3.amazonaws.com",
                 "sourceArn": "arn:aws:s3:::intake-uploads", "sourceAccount": "210987654321"}),
        Example({"action": "lambda:InvokeFunction", "function": "intake", "principal": "events.amazonaws.com",
                 "sourceArn": "arn:aws:events:us-east-1:210987654321:rule/nightly"}),
        Example({"action": "lambda:InvokeFunction", "function": "intake", "principal": "*",
                 "principalOrgId": "o-a1b2c3d4e5"}, note="limited to one AWS Organization"),
        Example({"action": "lambda:InvokeFunction", "function": "intake", "principal": "210987654321"}),
    ],
)
def lambda_function_public_access_prohibited(r):
    principal = (r.props.get_str("principal") or "").strip().lower()
    if principal == "*":
        scoped = (r.props.is_set("sourceAccount") or r.props.is_set("principalOrgId")
                  or bool(_ACCOUNT_ARN.match(r.props.get_str("sourceArn") or "")))
        if not scoped:
            yield ("principal is '*' with no sourceAccount, principalOrgId or account-scoped sourceArn: anyone can "
                   "invoke the function.")
    elif principal == "s3.amazonaws.com" and not r.props.is_set("sourceAccount"):
        yield ("principal is the S3 service without sourceAccount: a bucket of the same name in another account "
               "could invoke the function.")
