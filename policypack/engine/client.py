"""AnalyzerClient: one method per Analyzer RPC, in plain Python types.

Requests are "analyzer resource" dicts::

    {"type": ..., "urn": ..., "name": ..., "properties": {wire-form dict},
     "options": {CapturedResource options: protect, ignore_changes, delete_before_replace, aliases,
                 additional_secret_outputs, custom_timeouts, parent},
     "provider": {"type", "urn", "name", "properties"} or None,
     # AnalyzeStack only:
     "parent": urn or None, "dependencies": [urn, ...], "property_dependencies": {prop: [urn, ...]}}

Marshalling follows the CLI's analyzer plugin: internal ``__`` keys are dropped for Analyze, AnalyzeStack and
provider properties but kept for Remediate; CustomTimeouts is always sent (zeros when unset); empty property
dependency lists are skipped; the version from PulumiPolicy.yaml replaces the one the pack reports (the Python
SDK always says 0.0.1); a diagnostic without a severity takes its policy's severity; policies are sorted by
name; the description falls back to PulumiPolicy.yaml's.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc

from . import wire
from .results import AnalyzeResponse, Diagnostic, NotApplicable, Remediation, RemediateResponse

# The same limit the SDK's server and the CLI's client use (400 MB).
MAX_MESSAGE_SIZE = 1024 * 1024 * 400
_CHANNEL_OPTIONS = [("grpc.max_receive_message_length", MAX_MESSAGE_SIZE),
                    ("grpc.max_send_message_length", MAX_MESSAGE_SIZE)]

LEVEL_NAMES = {analyzer_pb2.ADVISORY: "advisory", analyzer_pb2.MANDATORY: "mandatory",
               analyzer_pb2.REMEDIATE: "remediate", analyzer_pb2.DISABLED: "disabled"}
LEVEL_VALUES = {name: value for value, name in LEVEL_NAMES.items()}
SEVERITY_NAMES = {analyzer_pb2.POLICY_SEVERITY_LOW: "low", analyzer_pb2.POLICY_SEVERITY_MEDIUM: "medium",
                  analyzer_pb2.POLICY_SEVERITY_HIGH: "high", analyzer_pb2.POLICY_SEVERITY_CRITICAL: "critical"}
POLICY_TYPE_NAMES = {analyzer_pb2.POLICY_TYPE_RESOURCE: "resource", analyzer_pb2.POLICY_TYPE_STACK: "stack"}


class AnalyzerRPCError(Exception):
    """An Analyzer RPC failed (for example a policy raised): carries the RPC name, status code and details."""

    def __init__(self, rpc: str, error: grpc.RpcError) -> None:
        self.rpc = rpc
        self.code = error.code() if hasattr(error, "code") else None
        self.details = error.details() if hasattr(error, "details") else str(error)
        code = self.code.name if self.code is not None else "UNKNOWN"
        super().__init__(f"{rpc} failed ({code}): {self.details}")


class AnalyzerClient:
    def __init__(self, port: int, *, host: str = "127.0.0.1", pack_version: str = "",
                 pack_description: str = "", timeout: float | None = None) -> None:
        """`pack_version`/`pack_description`: PulumiPolicy.yaml's, which the CLI prefers/falls back to."""
        self.address = f"{host}:{port}"
        self.pack_version = pack_version
        self.pack_description = pack_description
        self.timeout = timeout
        self._channel = grpc.insecure_channel(self.address, options=_CHANNEL_OPTIONS)
        self._stub = analyzer_pb2_grpc.AnalyzerStub(self._channel)
        self._severity_by_policy: dict[str, str] | None = None

    def wait_ready(self, timeout: float = 30.0) -> None:
        grpc.channel_ready_future(self._channel).result(timeout=timeout)

    def close(self) -> None:
        self._channel.close()

    def __enter__(self) -> "AnalyzerClient":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _call(self, rpc: str, request, *, tolerate_unimplemented: bool = False, timeout: float | None = None):
        try:
            return getattr(self._stub, rpc)(request, timeout=timeout if timeout is not None else self.timeout)
        except grpc.RpcError as e:
            if tolerate_unimplemented and e.code() == grpc.StatusCode.UNIMPLEMENTED:
                return None
            raise AnalyzerRPCError(rpc, e) from None

    # -- set-up RPCs ---------------------------------------------------------------------------------
    def handshake(self, engine_address: str = "", root_directory: str | None = None,
                  program_directory: str | None = None) -> bool:
        """False when the pack does not implement Handshake (Python packs don't), which the CLI tolerates."""
        request = analyzer_pb2.AnalyzerHandshakeRequest(engine_address=engine_address,
                                                        root_directory=root_directory,
                                                        program_directory=program_directory)
        return self._call("Handshake", request, tolerate_unimplemented=True) is not None

    def configure_stack(self, stack: str, project: str, organization: str = "organization",
                        config: Mapping[str, str] | None = None, tags: Mapping[str, str] | None = None,
                        dry_run: bool = True, config_secret_keys: Iterable[str] = ()) -> bool:
        request = analyzer_pb2.AnalyzerStackConfigureRequest(
            stack=stack, project=project, organization=organization, dry_run=dry_run,
            config=dict(config or {}), tags=dict(tags or {}), config_secret_keys=list(config_secret_keys))
        return self._call("ConfigureStack", request, tolerate_unimplemented=True) is not None

    def get_plugin_info(self) -> dict:
        return {"version": self._call("GetPluginInfo", empty_pb2.Empty()).version}

    def get_analyzer_info(self) -> dict:
        info = self._call("GetAnalyzerInfo", empty_pb2.Empty())
        policies = sorted((_policy_info(p) for p in info.policies), key=lambda p: p["name"])
        self._severity_by_policy = {p["name"]: p["severity"] for p in policies if p["severity"]}
        return {
            "name": info.name,
            "displayName": info.displayName,
            "version": self.pack_version or info.version,
            "description": info.description or self.pack_description,
            "supportsConfig": info.supportsConfig,
            "initialConfig": {name: _policy_config(cfg) for name, cfg in info.initialConfig.items()},
            "policies": policies,
            "readme": info.readme,
            "provider": info.provider,
            "tags": list(info.tags),
            "repository": info.repository,
        }

    def configure(self, policy_config: Mapping[str, Mapping[str, Any]]) -> None:
        """`policy_config`: {policy: {"enforcementLevel": level, **properties}} (see build_policy_config).

        Like the CLI, an empty config sends nothing.
        """
        if not policy_config:
            return
        request = analyzer_pb2.ConfigureAnalyzerRequest()
        for name, entry in policy_config.items():
            level = entry.get("enforcementLevel")
            if level not in LEVEL_VALUES:
                raise ValueError(f"policy {name!r}: invalid enforcement level {level!r}")
            props = {k: v for k, v in entry.items() if k != "enforcementLevel"}
            request.policyConfig[name].CopyFrom(
                analyzer_pb2.PolicyConfig(enforcementLevel=LEVEL_VALUES[level], properties=wire.to_struct(props)))
        self._call("Configure", request)

    # -- analysis RPCs -------------------------------------------------------------------------------
    def analyze(self, resource: Mapping[str, Any]) -> AnalyzeResponse:
        response = self._call("Analyze", _analyze_request(resource, strip_internal=True))
        return self._analyze_response(response, resource.get("urn", ""))

    def remediate(self, resource: Mapping[str, Any]) -> RemediateResponse:
        """Remediations in order; UNIMPLEMENTED (an old pack) is an empty response, as in the CLI."""
        response = self._call("Remediate", _analyze_request(resource, strip_internal=False),
                              tolerate_unimplemented=True)
        if response is None:
            return RemediateResponse()
        urn = resource.get("urn", "")
        remediations = [Remediation(
            policy_name=r.policyName, urn=urn,
            properties=wire.from_struct(r.properties) if r.HasField("properties") else None,
            diagnostic=r.diagnostic, description=r.description, policy_pack_name=r.policyPackName,
            policy_pack_version=self.pack_version or r.policyPackVersion) for r in response.remediations]
        return RemediateResponse(remediations, _not_applicable(response.not_applicable, urn))

    def call(self, rpc: str, request):
        """One raw RPC with a request built beforehand (benchmarks time the pack, not request building)."""
        return self._call(rpc, request)

    def analyze_stack(self, resources: Iterable[Mapping[str, Any]]) -> AnalyzeResponse:
        request = analyzer_pb2.AnalyzeStackRequest(resources=[_stack_resource(r) for r in resources])
        response = self._call("AnalyzeStack", request, tolerate_unimplemented=True)
        if response is None:
            return AnalyzeResponse()
        return self._analyze_response(response, "")

    def cancel(self, timeout: float | None = None) -> bool:
        """False when the pack does not implement Cancel (Python packs don't)."""
        return self._call("Cancel", empty_pb2.Empty(), tolerate_unimplemented=True,
                          timeout=timeout) is not None

    # -- conversions ---------------------------------------------------------------------------------
    def _severity_of(self, policy_name: str) -> str | None:
        if self._severity_by_policy is None:
            self.get_analyzer_info()  # the CLI also fetches (and caches) the info for this lookup
        return self._severity_by_policy.get(policy_name)

    def _analyze_response(self, response, urn: str) -> AnalyzeResponse:
        diagnostics = []
        for d in response.diagnostics:
            severity = SEVERITY_NAMES.get(d.severity) or self._severity_of(d.policyName)
            diagnostics.append(Diagnostic(
                policy_name=d.policyName, policy_pack_name=d.policyPackName,
                policy_pack_version=self.pack_version or d.policyPackVersion, message=d.message, urn=d.urn,
                enforcement_level=LEVEL_NAMES[d.enforcementLevel], severity=severity,
                description=d.description))
        return AnalyzeResponse(diagnostics, _not_applicable(response.not_applicable, urn))


def _not_applicable(items, urn: str) -> list[NotApplicable]:
    return [NotApplicable(n.policy_name, n.reason, urn) for n in items]


def _policy_info(p) -> dict:
    framework = None
    if p.HasField("framework"):
        f = p.framework
        framework = {"name": f.name, "version": f.version, "reference": f.reference,
                     "specification": f.specification}
    schema = None
    if p.HasField("configSchema"):
        schema = {"properties": wire.from_struct(p.configSchema.properties),
                  "required": list(p.configSchema.required)}
    return {
        "name": p.name,
        "displayName": p.displayName,
        "description": p.description,
        "enforcementLevel": LEVEL_NAMES[p.enforcementLevel],
        "severity": SEVERITY_NAMES.get(p.severity),
        "framework": framework,
        "tags": list(p.tags),
        "remediationSteps": p.remediation_steps,
        "url": p.url,
        "configSchema": schema,
        "policyType": POLICY_TYPE_NAMES.get(p.policy_type, "unknown"),
    }


def _policy_config(cfg) -> dict:
    # proto3 enums have no presence: an entry given with properties only reads as ADVISORY, as in the CLI.
    return {"enforcementLevel": LEVEL_NAMES[cfg.enforcementLevel], **wire.from_struct(cfg.properties)}


def _analyze_request(resource: Mapping[str, Any], *, strip_internal: bool) -> analyzer_pb2.AnalyzeRequest:
    props = resource.get("properties") or {}
    if strip_internal:
        props = wire.strip_internal_keys(props)
    request = analyzer_pb2.AnalyzeRequest(
        type=resource["type"], urn=resource.get("urn", ""), name=resource.get("name", ""),
        properties=wire.to_struct(props), options=_options(resource.get("options"), resource.get("parent")))
    provider = _provider(resource.get("provider"))
    if provider is not None:
        request.provider.CopyFrom(provider)
    return request


def _stack_resource(resource: Mapping[str, Any]) -> analyzer_pb2.AnalyzerResource:
    props = wire.strip_internal_keys(resource.get("properties") or {})
    message = analyzer_pb2.AnalyzerResource(
        type=resource["type"], urn=resource.get("urn", ""), name=resource.get("name", ""),
        properties=wire.to_struct(props), options=_options(resource.get("options"), resource.get("parent")),
        parent=resource.get("parent") or "", dependencies=list(resource.get("dependencies") or []))
    for prop, urns in (resource.get("property_dependencies") or {}).items():
        if urns:  # the CLI skips properties without dependencies
            message.propertyDependencies[prop].urns.extend(urns)
    provider = _provider(resource.get("provider"))
    if provider is not None:
        message.provider.CopyFrom(provider)
    return message


def _provider(provider: Mapping[str, Any] | None) -> analyzer_pb2.AnalyzerProviderResource | None:
    if not provider:
        return None
    return analyzer_pb2.AnalyzerProviderResource(
        type=provider.get("type", ""), urn=provider.get("urn", ""), name=provider.get("name", ""),
        properties=wire.to_struct(wire.strip_internal_keys(provider.get("properties") or {})))


def _options(options: Mapping[str, Any] | None, parent: str | None) -> analyzer_pb2.AnalyzerResourceOptions:
    o = options or {}
    dbr = o.get("delete_before_replace")
    timeouts = o.get("custom_timeouts") or {}
    return analyzer_pb2.AnalyzerResourceOptions(
        protect=bool(o.get("protect")),
        ignoreChanges=list(o.get("ignore_changes") or []),
        deleteBeforeReplace=bool(dbr),
        deleteBeforeReplaceDefined=dbr is not None,
        additionalSecretOutputs=list(o.get("additional_secret_outputs") or []),
        aliases=[a for a in (_alias_urn(a) for a in o.get("aliases") or []) if a],
        # The CLI always sends CustomTimeouts, in seconds.
        customTimeouts=analyzer_pb2.AnalyzerResourceOptions.CustomTimeouts(
            create=duration_seconds(timeouts.get("create")), update=duration_seconds(timeouts.get("update")),
            delete=duration_seconds(timeouts.get("delete"))),
        parent=o.get("parent") or parent or "",
    )


def _alias_urn(alias: Any) -> str:
    if isinstance(alias, str):
        return alias
    if isinstance(alias, Mapping):
        return alias.get("urn") or ""
    return ""


_DURATION_PART = re.compile(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)")
_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}


def duration_seconds(value: Any) -> float:
    """A Pulumi custom timeout ("5m", "1h30m", a number of seconds, or None) in seconds."""
    if value in (None, ""):
        return 0.0
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    parts = _DURATION_PART.findall(text)
    if not parts or "".join(n + u for n, u in parts) != text:
        raise ValueError(f"invalid custom timeout {value!r}: expected a duration such as '5m' or '1h30m'")
    return sum(float(n) * _UNIT_SECONDS[u] for n, u in parts)


def analyze_request(resource: Mapping[str, Any]):
    """The AnalyzeRequest `analyze` sends for a resource."""
    return _analyze_request(resource, strip_internal=True)


def analyze_stack_request(resources: Iterable[Mapping[str, Any]]):
    """The AnalyzeStackRequest `analyze_stack` sends for these stack entries."""
    return analyzer_pb2.AnalyzeStackRequest(resources=[_stack_resource(r) for r in resources])
