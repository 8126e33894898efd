"""Entry point for the patient portal stack."""
import pulumi

from lib.tap_stack import TapStack, TapStackArgs

config = pulumi.Config()
environment_suffix = config.get("environmentSuffix") or "dev"

stack = TapStack(
    f"TapStack{environment_suffix}",
    TapStackArgs(environment_suffix=environment_suffix, domain_name=config.require("domainName")),
)

pulumi.export("alb_dns_name", stack.alb.dns_name)
pulumi.export("db_endpoint", stack.db_cluster.endpoint)
