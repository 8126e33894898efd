"""Healthcare API platform entry point."""
import pulumi

from lib.tap_stack import TapStack, TapStackArgs

config = pulumi.Config()
env_suffix = config.get("env") or pulumi.get_stack()

tap = TapStack("tap", TapStackArgs(environment_suffix=env_suffix))

pulumi.export("api_url", tap.api_stage.invoke_url)
pulumi.export("cluster_endpoint", tap.aurora.endpoint)
pulumi.export("alb_dns", tap.alb.dns_name)
