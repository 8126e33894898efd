"""FHIR API stack entry point."""
import pulumi

from lib.tap_stack import TapStack, TapStackArgs

cfg = pulumi.Config()
suffix = cfg.get("environmentSuffix") or "dev"
tap = TapStack(
    name=f"fhir-api-{suffix}",
    args=TapStackArgs(environment_suffix=suffix, hosted_zone_id=cfg.require("hostedZoneId"),
                      domain=cfg.require("domain")),
)
pulumi.export("api_url", pulumi.Output.concat("https://", cfg.require("domain")))
pulumi.export("cluster_name", tap.ecs.cluster.name)
