"""Assemble and serve the `hipaa-guard` policy pack (what the Pulumi CLI runs through `__main__.py`)."""
from __future__ import annotations

from . import PACK_NAME
from .policy import all_policies

DESCRIPTION = "HIPAA data-protection and deploy-blocker policies for AWS Pulumi programs"


def keep_secret_markers() -> None:
    """Keep the engine's secret markers in the properties a policy reads during Analyze.

    The Python SDK unwraps secrets before a validation sees them (design.md), which would leave a policy
    unable to tell a secret from plain text, and so unable to keep it out of its messages. Remediate
    already deserializes with markers kept; this makes Analyze and AnalyzeStack do the same, so
    `values.Props.show` can render every secret as `[secret]`. Policies read values only through
    `values.Props`, which strips the markers for checking.
    """
    from pulumi_policy import policy as sdk_policy
    from pulumi_policy.deserialize import deserialize_properties

    if getattr(sdk_policy.deserialize_properties, "_keeps_secret_markers", False):
        return

    def deserialize(props, proxy_secrets=False):
        if proxy_secrets:
            return deserialize_properties(props, True)
        return deserialize_properties(props, True)["__target"]

    deserialize._keeps_secret_markers = True
    sdk_policy.deserialize_properties = deserialize


def sdk_policies() -> list:
    return [spec.sdk_policy() for spec in all_policies()]


def serve() -> None:
    """Start the gRPC server and block (the SDK writes the port line to stdout first)."""
    from pulumi_policy import EnforcementLevel, PolicyPack

    keep_secret_markers()
    PolicyPack(
        name=PACK_NAME,
        policies=sdk_policies(),
        enforcement_level=EnforcementLevel.MANDATORY,
        description=DESCRIPTION,
        display_name="HIPAA Guard",
        provider="aws",
        tags=["hipaa", "aws", "compliance"],
    )
