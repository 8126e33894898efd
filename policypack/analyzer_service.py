"""Serve the pack to the Pulumi engine over the Analyzer gRPC protocol: the one module that knows the SDK.

The Pulumi CLI launches a Python pack as `python -m pulumi.policy <engine> <pack>` (pulumi-policy's launcher),
which runs our `__main__.py`. pulumi-policy's own `PolicyPack` would then serve every policy through its
servicer; that servicer unwraps secrets before a policy sees them, re-reads runtime settings and re-converts
the request once per policy, and has no way to decide at AnalyzeStack what Analyze left unknown. Patching its
private names to fix that breaks whenever a 1.x release renames one, and the CLI installs the newest 1.x into
every user's pack.

So the pack serves the Analyzer service itself, on the protocol's generated messages (`pulumi.runtime.proto`,
the same public protocol module pulumi-policy serves from, shipped by `pulumi`), and uses no private name of
pulumi-policy at all:

* one decoding per request, keeping the engine's secret markers (so every message can be redacted) and its
  unknown sentinels (so each policy's declared `on_unknown` strategy applies: see `policy.PolicySpec.decide`);
* per-type dispatch: a resource request reaches only the policies whose type filter admits it;
* config converted once per Configure (typed, defaults applied), not per call;
* resource policies left undecided by an unknown at Analyze (`on_unknown="defer"`) are decided at AnalyzeStack
  from the stack's view, under their own name, level and severity;
* AnalyzeStack builds one indexed `StackView` for every stack policy, with the cycle collector paused while it
  works and the view's cycles broken afterwards (so memory returns at once).

Where the protocol module lacks what this needs (a future `pulumi` major), `serve` falls back to
pulumi-policy's public `PolicyPack` API, says so once on stderr, and withholds values from messages: without
the engine's secret markers it cannot tell a secret from plain text, and never printing a secret comes first.
"""
from __future__ import annotations

import gc
import os
import sys
import threading
from concurrent import futures
from typing import Any, Iterable, Optional

from . import PACK_NAME
from .policy import HIPAA_FRAMEWORK, HIPAA_FRAMEWORK_VERSION, PolicySpec, all_policies
from .values import Secret, unwrap
from .views import ResourceView, StackResource, StackView

DESCRIPTION = "HIPAA data-protection and deploy-blocker policies for AWS Pulumi programs"
DISPLAY_NAME = "HIPAA Guard"
PACK_TAGS = ("hipaa", "aws", "compliance")
# Python packs report 0.0.1; the CLI uses the version in PulumiPolicy.yaml (as with pulumi-policy).
REPORTED_VERSION = "0.0.1"
MAX_MESSAGE_BYTES = 2**31 - 1  # the engine sends a whole stack in one AnalyzeStack request
FALLBACK_ENV = "HIPAA_GUARD_ANALYZER"  # "sdk" forces the unadapted path (tests of the fallback)
FALLBACK_NOTE = ("hipaa-guard: running on pulumi-policy's public API without the pack's analyzer "
                 "(reason: {reason}); values are withheld from messages because secrets cannot be told apart")

# Wire signatures of the engine's special values (pulumi/sdk resource serialization).
_SIG = "4dabf18193072939515e22adb298388d"
_SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"

_LEVELS = ("advisory", "mandatory", "remediate", "disabled")


# -- wire decoding ---------------------------------------------------------------------------------------

def decode_struct(message) -> dict:
    """A protobuf Struct as plain Python, secrets kept as `Secret` (assets and archives stay wire dicts)."""
    return {key: _decode_value(value) for key, value in message.fields.items()}


def _decode_value(value) -> Any:
    kind = value.WhichOneof("kind")
    if kind == "string_value":
        return value.string_value
    if kind == "number_value":
        return value.number_value
    if kind == "bool_value":
        return value.bool_value
    if kind == "struct_value":
        fields = value.struct_value.fields
        sig = fields.get(_SIG)
        if sig is not None and sig.string_value == _SECRET_SIG:
            inner = fields.get("value")
            return Secret(_decode_value(inner) if inner is not None else None)
        return {key: _decode_value(v) for key, v in fields.items()}
    if kind == "list_value":
        return [_decode_value(v) for v in value.list_value.values]
    return None


def encode_tree(tree: Any) -> Any:
    """Plain Python (with `Secret` markers) back to wire JSON, as a remediation returns it."""
    if isinstance(tree, Secret):
        return {_SIG: _SECRET_SIG, "value": encode_tree(tree.value)}
    if isinstance(tree, dict):
        return {k: encode_tree(v) for k, v in tree.items()}
    if isinstance(tree, (list, tuple)):
        return [encode_tree(v) for v in tree]
    if isinstance(tree, int) and not isinstance(tree, bool):
        return float(tree)
    return tree


# -- the service -------------------------------------------------------------------------------------------

def _protocol():
    """The generated protocol modules, or raise ImportError/AttributeError naming what is missing."""
    from google.protobuf import empty_pb2, struct_pb2
    from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc, plugin_pb2

    needed = {analyzer_pb2: ("AnalyzeResponse", "AnalyzeDiagnostic", "PolicyNotApplicable", "RemediateResponse",
                             "Remediation", "AnalyzerInfo", "PolicyInfo", "AnalyzerStackConfigureResponse",
                             "ADVISORY", "MANDATORY", "REMEDIATE", "DISABLED", "PolicyType"),
              analyzer_pb2_grpc: ("AnalyzerServicer", "add_AnalyzerServicer_to_server"),
              plugin_pb2: ("PluginInfo",)}
    for module, names in needed.items():
        for name in names:
            if not hasattr(module, name):
                raise AttributeError(f"{module.__name__}.{name}")
    return analyzer_pb2, analyzer_pb2_grpc, plugin_pb2, empty_pb2, struct_pb2


def _sdk_version() -> str:
    """pulumi-policy's version, which GetPluginInfo reports (as its own servicer does)."""
    try:
        from importlib.metadata import version
        return version("pulumi-policy")
    except Exception:  # noqa: BLE001 - metadata missing in an unusual install: any version string will do
        return "1.0.0"


def build_service(specs: Optional[list[PolicySpec]] = None):
    """The Analyzer servicer for these policies (all of the pack's by default)."""
    pb, pb_grpc, plugin_pb, empty_pb, struct_pb = _protocol()
    specs = list(specs if specs is not None else all_policies())
    level_wire = {"advisory": pb.ADVISORY, "mandatory": pb.MANDATORY, "remediate": pb.REMEDIATE,
                  "disabled": pb.DISABLED}
    level_name = {v: k for k, v in level_wire.items()}
    severity_wire = {s: getattr(pb, f"POLICY_SEVERITY_{s.upper()}", 0) for s in ("low", "medium", "high", "critical")}

    class AnalyzerService(pb_grpc.AnalyzerServicer):
        def __init__(self) -> None:
            self.specs = specs
            self.resource_specs = [s for s in specs if s.kind == "resource"]
            self.stack_specs = [s for s in specs if s.kind == "stack"]
            self._by_type: dict[str, list[PolicySpec]] = {}
            self.levels = {s.name: s.enforcement for s in specs}
            self.configs = {s.name: s.effective_config(None) for s in specs}
            self.stack_tags: dict[str, str] = {}
            self._deferred: set[tuple[str, str]] = set()
            self._lock = threading.Lock()

        # -- configuration -------------------------------------------------------------------------
        def GetPluginInfo(self, request, context):  # noqa: N802 - protocol names
            return plugin_pb.PluginInfo(version=_sdk_version())

        def GetAnalyzerInfo(self, request, context):  # noqa: N802
            info = pb.AnalyzerInfo(name=PACK_NAME, version=REPORTED_VERSION, supportsConfig=True,
                                   description=DESCRIPTION, displayName=DISPLAY_NAME, provider="aws")
            info.tags.extend(PACK_TAGS)
            for spec in self.specs:
                policy = pb.PolicyInfo(name=spec.name, description=spec.description,
                                       enforcementLevel=level_wire[spec.enforcement],
                                       severity=severity_wire[spec.severity],
                                       remediation_steps=spec.remediation)
                policy.configSchema.properties.update(spec.sdk_config_schema())
                policy.policy_type = (pb.PolicyType.POLICY_TYPE_RESOURCE if spec.kind == "resource"
                                      else pb.PolicyType.POLICY_TYPE_STACK)
                for key, value in framework_of(spec).items():
                    setattr(policy.framework, key, value)
                policy.tags.extend(tags_of_spec(spec))
                info.policies.append(policy)
            return info

        def Configure(self, request, context):  # noqa: N802
            levels, configs = {s.name: s.enforcement for s in self.specs}, {}
            by_name = {s.name: s for s in self.specs}
            for name, entry in request.policyConfig.items():
                if name in by_name:
                    levels[name] = level_name.get(entry.enforcementLevel, by_name[name].enforcement)
                    configs[name] = decode_struct(entry.properties)
            self.levels = levels
            self.configs = {s.name: s.effective_config(configs.get(s.name)) for s in self.specs}
            self._by_type = {}
            return empty_pb.Empty()

        def ConfigureStack(self, request, context):  # noqa: N802
            self.stack_tags = dict(request.tags)
            return pb.AnalyzerStackConfigureResponse()

        # -- analysis ------------------------------------------------------------------------------
        def _for_type(self, rtype: str) -> list[PolicySpec]:
            selected = self._by_type.get(rtype)
            if selected is None:
                selected = [s for s in self.resource_specs
                            if rtype in s.resource_types and self.levels.get(s.name) != "disabled"]
                self._by_type[rtype] = selected
            return selected

        def _diagnostic(self, spec: PolicySpec, message: str, level: str, urn: str = ""):
            return pb.AnalyzeDiagnostic(
                policyName=spec.name, policyPackName=PACK_NAME, policyPackVersion=REPORTED_VERSION,
                message=f"{spec.description}\n{message}", urn=urn, description=spec.description,
                enforcementLevel=level_wire[level], severity=severity_wire[spec.severity])

        def _emit(self, response, spec: PolicySpec, outcome, urn: str = "", exempted: Optional[list] = None):
            level = self.levels.get(spec.name, spec.enforcement)
            level = "mandatory" if level == "remediate" else level
            for message in outcome.violations:
                response.diagnostics.append(self._diagnostic(spec, message, level, urn))
            for message in outcome.advisory:
                response.diagnostics.append(self._diagnostic(spec, message, "advisory", urn))
            if outcome.exempted is not None:
                if exempted is not None:
                    exempted.append(outcome.exempted)
                else:
                    response.not_applicable.append(pb.PolicyNotApplicable(policy_name=spec.name,
                                                                          reason=outcome.exempted))

        def _view(self, request) -> ResourceView:
            provider = decode_struct(request.provider.properties) if request.HasField("provider") else None
            return ResourceView(request.type, request.name, request.urn, decode_struct(request.properties),
                                provider_props=provider)

        def Analyze(self, request, context):  # noqa: N802
            response = pb.AnalyzeResponse()
            selected = self._for_type(request.type)
            if not selected:
                return response
            view = self._view(request)
            for spec in selected:
                outcome = spec.decide(view.with_config(self.configs[spec.name]))
                if outcome.deferred:
                    with self._lock:
                        self._deferred.add((spec.name, request.urn))
                self._emit(response, spec, outcome)
            return response

        def AnalyzeStack(self, request, context):  # noqa: N802
            response = pb.AnalyzeResponse()
            with self._lock:
                deferred, self._deferred = self._deferred, set()
            policies = [s for s in self.stack_specs if self.levels.get(s.name) != "disabled"]
            if not policies and not deferred:
                return response
            collecting = gc.isenabled()
            gc.disable()  # a 10k-resource view is one burst of allocations, freed below by refcounting
            try:
                stack = StackView(_stack_resource(r) for r in request.resources)
                for spec in policies:
                    stack.config = self.configs[spec.name]
                    exempted: list[str] = []
                    for resource in stack.of_type(spec.resource_types):
                        self._emit(response, spec, spec.decide(resource, stack, at_stack=True),
                                   resource.urn, exempted)
                    if exempted:
                        response.not_applicable.append(pb.PolicyNotApplicable(policy_name=spec.name,
                                                                              reason="\n".join(exempted)))
                stack.config = None
                by_name = {s.name: s for s in self.resource_specs}
                for name, urn in sorted(deferred):
                    spec, resource = by_name.get(name), stack.by_urn.get(urn)
                    if spec is None or resource is None or self.levels.get(name) == "disabled":
                        continue
                    view = resource.with_config(self.configs[name])
                    view.stack = None  # a resource policy sees the resource alone, with its own config
                    self._emit(response, spec, spec.decide(view, at_stack=True), urn)
                stack.release()
            finally:
                if collecting:
                    gc.enable()
            return response

        def Remediate(self, request, context):  # noqa: N802
            response = pb.RemediateResponse()
            view = None
            for spec in self._for_type(request.type):
                if self.levels.get(spec.name) != "remediate":
                    continue
                if spec.remediate is None:
                    response.not_applicable.append(pb.PolicyNotApplicable(
                        policy_name=spec.name, reason="Policy does not implement remediate"))
                    continue
                view = view or self._view(request)
                tree = spec._safely(view, spec.remediation_for, view.with_config(self.configs[spec.name]))
                if not tree:
                    continue
                properties = struct_pb.Struct()
                properties.update(encode_tree(tree))
                response.remediations.append(pb.Remediation(
                    policyName=spec.name, policyPackName=PACK_NAME, policyPackVersion=REPORTED_VERSION,
                    description=spec.description, properties=properties))
                # The next remediation sees this one's result, as the engine applies them in order.
                view = ResourceView(view.type, view.name, view.urn, tree,
                                    provider_props=view.provider_props)
            return response

    return AnalyzerService()


def _stack_resource(r) -> StackResource:
    return StackResource(
        r.type, r.name, r.urn, decode_struct(r.properties),
        provider_props=decode_struct(r.provider.properties) if r.HasField("provider") else None,
        parent_urn=r.parent or None,
        dependency_urns=list(r.dependencies),
        property_dependency_urns={k: list(v.urns) for k, v in r.propertyDependencies.items()},
    )


def framework_of(spec: PolicySpec) -> dict[str, str]:
    """The compliance framework a HIPAA policy announces (empty for deploy policies)."""
    if spec.group != "hipaa" or not spec.citation:
        return {}
    return {"name": HIPAA_FRAMEWORK, "version": HIPAA_FRAMEWORK_VERSION, "reference": spec.citation,
            "specification": f"45 CFR {spec.citation}"}


def tags_of_spec(spec: PolicySpec) -> list[str]:
    return [spec.group] + [f"45 CFR {c}" for c in spec.citations]


def serve(specs: Optional[list[PolicySpec]] = None) -> None:
    """Start the gRPC server, write the port line the engine reads, and block (all of the pack's policies,
    or `specs`: test packs)."""
    reason = "forced by HIPAA_GUARD_ANALYZER=sdk" if os.environ.get(FALLBACK_ENV) == "sdk" else None
    service = None
    if reason is None:
        try:
            service = build_service(specs)
        except (ImportError, AttributeError) as exc:
            reason = f"the protocol module lacks {exc}"
    if service is None:
        print(FALLBACK_NOTE.format(reason=reason), file=sys.stderr, flush=True)
        serve_with_sdk(specs)
        return
    import grpc
    from pulumi.runtime.proto import analyzer_pb2_grpc

    gc.freeze()  # everything built so far lives as long as the process: keep it out of every collection
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4),
                         options=[("grpc.max_receive_message_length", MAX_MESSAGE_BYTES)])
    analyzer_pb2_grpc.add_AnalyzerServicer_to_server(service, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    sys.stdout.write(f"{port}\n")
    sys.stdout.flush()
    try:
        server.wait_for_termination()
    except KeyboardInterrupt:
        server.stop(0)


# -- the fallback: pulumi-policy's public API only ------------------------------------------------------------

def withheld(spec: PolicySpec, messages: Iterable[str]) -> list[str]:
    """Messages as the fallback reports them: one per finding, with no value from the program."""
    return ["details withheld: secret values cannot be told apart without the pack's analyzer"
            for _ in messages]


def _public_view(args) -> ResourceView:
    provider = getattr(args, "provider", None)
    return ResourceView(args.resource_type, args.name, args.urn, unwrap(args.props),
                        provider_props=unwrap(provider.props) if provider is not None else None)


def sdk_policy(spec: PolicySpec, *, withhold: bool = True):
    """`spec` as a pulumi-policy public policy object (the fallback; also what tests drive in-process).

    `withhold=False` keeps the messages: only for callers that pass secrets as `Secret` markers themselves.
    """
    import pulumi_policy as sdk

    framework = framework_of(spec)
    common = dict(
        name=spec.name, description=spec.description,
        enforcement_level=sdk.EnforcementLevel(spec.enforcement),
        config_schema=sdk.PolicyConfigSchema(properties=spec.sdk_config_schema()),
        severity=sdk.Severity(spec.severity),
        framework=sdk.PolicyComplianceFramework(**framework) if framework else None,
        tags=tags_of_spec(spec), remediation_steps=spec.remediation,
    )

    def shown(messages: list[str]) -> list[str]:
        return withheld(spec, messages) if withhold else messages

    def shown_exemption(urn: str, reason: str) -> str:
        return f"exempted {urn}: reason and finding withheld without the pack's analyzer" if withhold else reason

    if spec.kind == "stack":
        def validate_stack(args, report_violation):
            config = spec.effective_config(args.get_config())
            stack = StackView(StackResource(
                r.resource_type, r.name, r.urn, unwrap(r.props),
                provider_props=unwrap(r.provider.props) if r.provider is not None else None,
                parent_urn=r.parent.urn if r.parent is not None else None,
                dependency_urns=[d.urn for d in r.dependencies],
                property_dependency_urns={k: [d.urn for d in v] for k, v in r.property_dependencies.items()})
                for r in args.resources)
            stack.config = config
            exempted = []
            for resource in stack.of_type(spec.resource_types):
                outcome = spec.decide(resource, stack, at_stack=True)
                for message in shown(outcome.violations + outcome.advisory):
                    report_violation(message, resource.urn)
                if outcome.exempted is not None:
                    exempted.append(shown_exemption(resource.urn, outcome.exempted))
            stack.release()
            if exempted:
                args.not_applicable("\n".join(exempted))
        return sdk.StackValidationPolicy(validate=validate_stack, **common)

    def validate(args, report_violation):
        if args.resource_type not in spec.resource_types:
            return
        view = _public_view(args).with_config(spec.effective_config(args.get_config()))
        outcome = spec.decide(view, at_stack=True)  # no AnalyzeStack recheck without the analyzer
        for message in shown(outcome.violations + outcome.advisory):
            report_violation(message, None)
        if outcome.exempted is not None:
            args.not_applicable(shown_exemption(view.urn, outcome.exempted))

    def remediate(args):
        if args.resource_type not in spec.resource_types:
            return None
        view = _public_view(args).with_config(spec.effective_config(args.get_config()))
        return spec._safely(view, spec.remediation_for, view)

    return sdk.ResourceValidationPolicy(validate=validate, remediate=remediate if spec.remediate else None,
                                        **common)


def serve_with_sdk(specs: Optional[list[PolicySpec]] = None) -> None:
    """Serve through pulumi-policy's public `PolicyPack` (blocks; the SDK writes the port line)."""
    from pulumi_policy import EnforcementLevel, PolicyPack

    specs = list(specs if specs is not None else all_policies())
    PolicyPack(name=PACK_NAME, policies=[sdk_policy(spec) for spec in specs],
               enforcement_level=EnforcementLevel.MANDATORY, description=DESCRIPTION,
               display_name=DISPLAY_NAME, provider="aws", tags=list(PACK_TAGS))
