"""CodeBuild: no AWS credentials in plaintext environment variables, no credentials in source URLs."""
import re

from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.policy import Example, resource_policy

_AWS_CREDENTIAL_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")
_REPOSITORY_TYPES = ("GITHUB", "GITHUB_ENTERPRISE", "BITBUCKET")
# user-info in an http(s) URL: https://user:pass@host/, https://token@host/
_USER_INFO = re.compile(r"^[a-z][a-z0-9+.-]*://[^/@?#]+@", re.IGNORECASE)
_ENV = {"computeType": "BUILD_GENERAL1_SMALL", "image": "aws/codebuild/standard:7.0", "type": "LINUX_CONTAINER"}
_SOURCE = {"type": "GITHUB", "location": "https://github.com/example-org/portal.git"}


@resource_policy(
    name="codebuild-project-envvar-awscred-check",
    description="CodeBuild projects must not hold AWS access keys in plaintext environment variables.",
    resource_types=T.CODEBUILD_PROJECT,
    severity="critical", group="hipaa", citation=C.ACCESS_AUTHORIZATION,
    aws_config_rules=("codebuild-project-envvar-awscred-check",),
    remediation="Delete the variables and give the project's service role the permissions it needs; if a key is "
                "unavoidable, use type 'SECRETS_MANAGER' or 'PARAMETER_STORE'. Rotate any key that was exposed.",
    violating=[
        Example({"name": "build", "source": _SOURCE, "environment": {**_ENV, "environmentVariables": [
            {"name": "AWS_ACCESS_KEY_ID", "value": "AKIAEXAMPLEKEYID0001"}]}}, note="type unset means PLAINTEXT"),
        Example({"name": "build", "source": _SOURCE, "environment": {**_ENV, "environmentVariables": [
            {"name": "AWS_SECRET_ACCESS_KEY", "value": "wJalrXUtnFEMIexampleKEY", "type": "PLAINTEXT"}]}}),
    ],
    compliant=[
        Example({"name": "build", "source": _SOURCE, "environment": {**_ENV, "environmentVariables": [
            {"name": "AWS_SECRET_ACCESS_KEY", "value": "ci/aws-secret-key", "type": "SECRETS_MANAGER"},
            {"name": "STAGE", "value": "prod"}]}}),
    ],
)
def codebuild_project_envvar_awscred_check(r):
    for i, variable in enumerate(r.props.each("environment.environmentVariables")):
        name = (variable.get_str("name") or "").strip().upper()
        kind = (variable.get_str("type") or "PLAINTEXT").strip().upper()
        if name in _AWS_CREDENTIAL_VARIABLES and kind == "PLAINTEXT":
            yield (f"environment variable {r.props.show(f'environment.environmentVariables.{i}.name')} holds an AWS "
                   "credential in plaintext, readable by anyone who can view the project.")


@resource_policy(
    name="codebuild-project-source-repo-url-check",
    description="CodeBuild source repository URLs must not embed credentials.",
    resource_types=T.CODEBUILD_PROJECT,
    severity="critical", group="hipaa", citation=C.ACCESS_AUTHORIZATION,
    aws_config_rules=("codebuild-project-source-repo-url-check",),
    remediation="Use a plain repository URL and connect the source provider with aws.codebuild.SourceCredential "
                "or a CodeConnections connection; revoke the embedded token.",
    violating=[
        Example({"name": "build", "environment": _ENV,
                 "source": {"type": "GITHUB", "location": "https://ci-bot:ghp_exampleToken123@github.com/org/portal.git"}}),
        Example({"name": "build", "environment": _ENV, "source": _SOURCE, "secondarySources": [
            {"type": "BITBUCKET", "sourceIdentifier": "lib",
             "location": "https://x-token-auth:exampleToken456@bitbucket.org/org/lib.git"}]}),
    ],
    compliant=[Example({"name": "build", "environment": _ENV, "source": _SOURCE}),
               Example({"name": "build", "environment": _ENV,
                        "source": {"type": "S3", "location": "artifacts-bucket/source.zip"}})],
)
def codebuild_project_source_repo_url_check(r):
    sources = [("source", r.props.child("source"))]
    sources += [(f"secondarySources.{i}", s) for i, s in enumerate(r.props.each("secondarySources"))]
    for path, source in sources:
        if (source.get_str("type") or "").upper() not in _REPOSITORY_TYPES:
            continue
        if _USER_INFO.match((source.get_str("location") or "").strip()):
            # Never show the URL: it carries the credential.
            yield (f"{path}.location embeds a user name or token in the repository URL, readable by anyone who "
                   "can view the project.")
