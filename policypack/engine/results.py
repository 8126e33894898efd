"""Plain result types of the Analyzer protocol (what the CLI turns the responses into)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Diagnostic:
    policy_name: str
    policy_pack_name: str
    policy_pack_version: str
    message: str
    urn: str
    enforcement_level: str  # advisory, mandatory, remediate, disabled
    severity: str | None  # low, medium, high, critical, or None when unspecified
    description: str = ""


@dataclass
class Remediation:
    policy_name: str
    urn: str
    properties: dict | None  # the remediated wire-form properties, or None
    diagnostic: str  # set when the remediation could not run (e.g. an unknown value during preview)
    description: str = ""
    policy_pack_name: str = ""
    policy_pack_version: str = ""


@dataclass
class NotApplicable:
    policy_name: str
    reason: str
    urn: str = ""


@dataclass
class AnalyzeResponse:
    diagnostics: list[Diagnostic] = field(default_factory=list)
    not_applicable: list[NotApplicable] = field(default_factory=list)


@dataclass
class RemediateResponse:
    remediations: list[Remediation] = field(default_factory=list)
    not_applicable: list[NotApplicable] = field(default_factory=list)
