"""Entry point for the HIPAA-compliant healthcare data pipeline."""
import pulumi
from lib.tap_stack import TapStack, TapStackArgs

config = pulumi.Config()
environment_suffix = config.get("environmentSuffix") or "dev"

stack = TapStack(
    f"TapStack{environment_suffix}",
    TapStackArgs(environment_suffix=environment_suffix, tags={"Project": "HealthcareIngest"}),
)
