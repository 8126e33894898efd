"""run_analysis: drive a pack over captured resources in the order the CLI uses during a preview.

Handshake (UNIMPLEMENTED tolerated), ConfigureStack, GetPluginInfo, GetAnalyzerInfo, Configure, then for every
registered resource Remediate and Analyze (Analyze sees the remediated inputs), then one AnalyzeStack over every
resource's outputs, then Cancel.

Which resources get Analyze: every one, in registration order -- the stack, components and providers included --
because the CLI's step generator runs the analyzers on every RegisterResource event (pkg/resource/deploy/
step_generator.go, continueStepsFromImport) without filtering on custom/provider. Policies that filter by
resource type never notice; a policy without a type filter sees the stack resource, as it would under the CLI.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

from .client import AnalyzerClient
from .config import build_policy_config
from .engine_service import LogRecord
from .launch import PackProcess
from .results import AnalyzeResponse, Diagnostic, NotApplicable, Remediation


@dataclass
class AnalysisResult:
    analyzer_info: dict
    diagnostics: list[Diagnostic] = field(default_factory=list)
    remediations: list[Remediation] = field(default_factory=list)
    not_applicable: list[NotApplicable] = field(default_factory=list)
    logs: list[LogRecord] = field(default_factory=list)
    policy_config: dict = field(default_factory=dict)  # what was sent with Configure
    remediated_properties: dict[str, dict] = field(default_factory=dict)  # urn -> inputs after remediation

    @property
    def mandatory(self) -> list[Diagnostic]:
        return [d for d in self.diagnostics if d.enforcement_level == "mandatory"]


def parse_provider_reference(ref: str) -> tuple[str, str]:
    """``<provider urn>::<provider id>`` -> (urn, id)."""
    urn, sep, ident = ref.rpartition("::")
    if not sep or not urn.startswith("urn:"):
        raise ValueError(f"invalid provider reference {ref!r}: expected '<urn>::<id>'")
    return urn, ident


def _urn_name(urn: str) -> str:
    return urn.rsplit("::", 1)[-1]


def _urn_type(urn: str) -> str:
    qualified = urn.split("::")[2] if urn.count("::") >= 3 else ""
    return qualified.rsplit("$", 1)[-1]


class ResourceIndex:
    """Captured resources by URN, and the AnalyzerProviderResource of each resource's provider."""

    def __init__(self, resources: Iterable[Mapping[str, Any]]) -> None:
        self.by_urn = {r["urn"]: r for r in resources}

    def provider_of(self, resource: Mapping[str, Any]) -> dict | None:
        ref = resource.get("provider")
        if not ref:
            return None
        urn, _ = parse_provider_reference(ref)
        provider = self.by_urn.get(urn)
        if provider is None:  # not captured: keep the identity, without properties
            return {"type": _urn_type(urn), "urn": urn, "name": _urn_name(urn), "properties": {}}
        return {"type": provider["type"], "urn": urn, "name": provider.get("name") or _urn_name(urn),
                "properties": provider.get("inputs") or {}}


def owned(resources: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The resources a policy pack is shown: not those the program only reads (`Bucket.get(...)`, a
    ReadResource), which the CLI never sends to an analyzer (pulumi/pulumi#3950). They stay in the index, so
    what refers to them still resolves."""
    return [r for r in resources if not r.get("external")]


def analyzer_resource(resource: Mapping[str, Any], index: ResourceIndex, *,
                      properties: Mapping[str, Any] | None = None) -> dict:
    """The Analyze/Remediate request for a CapturedResource (its inputs, unless `properties` is given)."""
    return {
        "type": resource["type"], "urn": resource["urn"], "name": resource.get("name") or _urn_name(resource["urn"]),
        "properties": resource.get("inputs") or {} if properties is None else properties,
        "options": resource.get("options") or {},
        "parent": resource.get("parent"),
        "provider": index.provider_of(resource),
    }


def analyzer_stack_resource(resource: Mapping[str, Any], index: ResourceIndex, *,
                            remediated: Mapping[str, Any] | None = None) -> dict:
    """The AnalyzeStack entry for a CapturedResource: its outputs, parent and dependencies.

    In a preview the engine's outputs of a resource to be created derive from its (remediated) inputs, so
    remediated input values are laid over the captured outputs.
    """
    outputs = resource.get("outputs")
    if outputs is None:
        outputs = resource.get("inputs") or {}
    if remediated:
        outputs = {**outputs, **remediated}
    entry = analyzer_resource(resource, index, properties=outputs)
    entry["dependencies"] = list(resource.get("dependencies") or [])
    entry["property_dependencies"] = dict(resource.get("property_dependencies") or {})
    return entry


class AnalysisSession:
    """One launched and configured pack that can analyse many resource sets (tests, benchmarks).

    Start-up runs Handshake, ConfigureStack, GetPluginInfo, GetAnalyzerInfo and Configure; closing sends Cancel
    and stops the pack.
    """

    def __init__(self, pack_dir: str | os.PathLike, *, project: str, stack: str,
                 organization: str = "organization", config: Mapping[str, str] | None = None,
                 policy_config: Mapping[str, Any] | None = None, python: str | None = None,
                 dry_run: bool = True, tags: Mapping[str, str] | None = None,
                 env: Mapping[str, str | None] | None = None, start_timeout: float = 30.0) -> None:
        self.pack = PackProcess(pack_dir, python=python, project=project, stack=stack, organization=organization,
                                dry_run=dry_run, config=dict(config or {}), env=env, start_timeout=start_timeout)
        self.pack.start()
        try:
            client = self.pack.client
            client.handshake(self.pack.engine_address, str(self.pack.pack_dir), str(self.pack.pack_dir))
            client.configure_stack(stack=stack, project=project, organization=organization,
                                   config=dict(config or {}), tags=dict(tags or {}), dry_run=dry_run)
            self.plugin_info = client.get_plugin_info()
            self.analyzer_info = client.get_analyzer_info()
            self.policy_config: dict = {}
            self.configure(policy_config)
        except BaseException:
            self.pack.close()
            raise

    @property
    def client(self) -> AnalyzerClient:
        return self.pack.client

    def configure(self, policy_config: Mapping[str, Any] | None) -> dict:
        """Build (defaults, initialConfig, `policy_config`, validation) and send the Configure request."""
        self.policy_config = build_policy_config(self.analyzer_info, policy_config)
        self.client.configure(self.policy_config)
        return self.policy_config

    def __enter__(self) -> "AnalysisSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.pack.close()

    def analyze(self, resources: Sequence[Mapping[str, Any]], *, remediate: bool = True,
                analyze_stack: bool = True, known: Mapping[str, list[Diagnostic]] | None = None,
                per_resource: dict[str, list[Diagnostic]] | None = None) -> AnalysisResult:
        """Remediate and Analyze each resource, then AnalyzeStack.

        `per_resource`, when given, is filled with each resource's Analyze diagnostics (by URN). `known` gives
        them for resources whose Analyze is already answered (the same request in an earlier analysis): those
        are not sent again. Only without remediation, whose rewritten inputs AnalyzeStack would need.
        """
        result = AnalysisResult(analyzer_info=self.analyzer_info, policy_config=self.policy_config)
        index = ResourceIndex(resources)
        for resource in owned(resources):
            urn = resource["urn"]
            if known is not None and not remediate and urn in known:
                result.diagnostics.extend(known[urn])
                continue
            before = len(result.diagnostics)
            self.analyze_resource(resource, index, result, remediate=remediate)
            if per_resource is not None:
                per_resource[urn] = result.diagnostics[before:]
        if analyze_stack:
            self.analyze_stack(resources, index, result)
        result.logs = self.pack.logs
        return result

    def analyze_resource(self, resource: Mapping[str, Any], index: ResourceIndex, result: AnalysisResult,
                         *, remediate: bool = True) -> None:
        """Remediate then Analyze one resource, adding what the pack reports to `result`."""
        urn = resource["urn"]
        request = analyzer_resource(resource, index)
        if remediate:
            response = self.client.remediate(request)
            for r in response.remediations:
                result.remediations.append(r)
                if r.diagnostic:
                    # The CLI shows a remediation that could not run as an advisory policy violation.
                    result.diagnostics.append(Diagnostic(
                        policy_name=r.policy_name, policy_pack_name=r.policy_pack_name,
                        policy_pack_version=r.policy_pack_version, message=r.diagnostic, urn=urn,
                        enforcement_level="advisory", severity=self.client._severity_of(r.policy_name),
                        description=r.description))
                elif r.properties is not None:
                    request["properties"] = r.properties
                    result.remediated_properties[urn] = r.properties
            result.not_applicable.extend(response.not_applicable)
        self._collect(self.client.analyze(request), result, urn=urn)

    def analyze_stack(self, resources: Sequence[Mapping[str, Any]], index: ResourceIndex | None = None,
                      result: AnalysisResult | None = None) -> AnalysisResult:
        index = index or ResourceIndex(resources)
        if result is None:
            result = AnalysisResult(analyzer_info=self.analyzer_info, policy_config=self.policy_config)
        entries = [analyzer_stack_resource(r, index, remediated=result.remediated_properties.get(r["urn"]))
                   for r in owned(resources)]
        self._collect(self.client.analyze_stack(entries), result, urn=None)
        return result

    @staticmethod
    def _collect(response: AnalyzeResponse, result: AnalysisResult, *, urn: str | None) -> None:
        for d in response.diagnostics:
            if d.enforcement_level == "remediate":  # the CLI downgrades a violation that survived remediation
                d.enforcement_level = "mandatory"
            if urn is not None:  # for Analyze the CLI always reports the analysed resource's URN
                d.urn = urn
            result.diagnostics.append(d)
        result.not_applicable.extend(response.not_applicable)


def run_analysis(pack_dir: str | os.PathLike, resources: Sequence[Mapping[str, Any]], *, project: str, stack: str,
                 organization: str = "organization", config: Mapping[str, str] | None = None,
                 policy_config: Mapping[str, Any] | None = None, python: str | None = None,
                 dry_run: bool = True, remediate: bool = True, tags: Mapping[str, str] | None = None,
                 env: Mapping[str, str | None] | None = None, start_timeout: float = 30.0) -> AnalysisResult:
    """Launch the pack, analyse `resources` (CapturedResource dicts) as a preview would, and stop it."""
    with AnalysisSession(pack_dir, project=project, stack=stack, organization=organization, config=config,
                         policy_config=policy_config, python=python, dry_run=dry_run, tags=tags, env=env,
                         start_timeout=start_timeout) as session:
        result = session.analyze(resources, remediate=remediate)
    result.logs = session.pack.logs
    return result
