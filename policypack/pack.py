"""Assemble and serve the `hipaa-guard` policy pack (what the Pulumi CLI runs through `__main__.py`)."""
from __future__ import annotations

from . import PACK_NAME
from . import sdk_bridge
from .policy import all_policies

DESCRIPTION = "HIPAA data-protection and deploy-blocker policies for AWS Pulumi programs"


def sdk_policies() -> list:
    """The SDK policy objects, in a list that serves each resource request only its type's policies."""
    return sdk_bridge.PolicyList(spec.sdk_policy() for spec in all_policies())


def serve() -> None:
    """Start the gRPC server and block (the SDK writes the port line to stdout first)."""
    from pulumi_policy import EnforcementLevel, PolicyPack

    sdk_bridge.install()
    PolicyPack(
        name=PACK_NAME,
        policies=sdk_policies(),
        enforcement_level=EnforcementLevel.MANDATORY,
        description=DESCRIPTION,
        display_name="HIPAA Guard",
        provider="aws",
        tags=["hipaa", "aws", "compliance"],
    )
