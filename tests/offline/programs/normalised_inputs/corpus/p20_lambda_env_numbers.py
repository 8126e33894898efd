import pulumi
import pulumi_aws as aws

role = aws.iam.Role("p20-role", assume_role_policy={"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]})
fn = aws.lambda_.Function(
    "p20-fn",
    role=role.arn,
    runtime="python3.12",
    handler="index.handler",
    code=pulumi.AssetArchive({"index.py": pulumi.StringAsset("def handler(e, c):\n    return 1\n")}),
    timeout="30",
    memory_size=256,
    environment={"variables": {"PORT": 8080, "DEBUG": False, "STAGE": "prod"}},
)
fn.environment.apply(lambda env: env.variables["PORT"].upper())  # strings, as the provider returns them
