import pulumi
from lib.tap_stack import TapStack, TapStackArgs

config = pulumi.Config()
environment_suffix = config.get("environmentSuffix") or "dev"
stack = TapStack(name="pulumi-infra", args=TapStackArgs(environment_suffix=environment_suffix))
pulumi.export("api_endpoint", stack.api_stage.invoke_url)
pulumi.export("cluster_arn", stack.cluster.arn)
