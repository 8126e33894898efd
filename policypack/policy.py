"""The policy mechanism: a policy is metadata plus one small function; this module does everything else.

`@resource_policy` and `@stack_policy` register a `PolicySpec`. The mechanism then gives each policy, once:
the type filter, config defaults, unknown handling (an unknown input makes the policy silent for that
resource), exemptions, never-crash behaviour, remediation plumbing and the SDK objects the pack serves.
Modules under `policypack/policies/` and `policypack/stack/` are discovered automatically.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, Union

from . import exemptions, sdk_bridge
from .values import Props, Unknown, set_path, unwrap
from .views import ResourceView, StackResource, StackView

SEVERITIES = ("low", "medium", "high", "critical")
GROUPS = ("hipaa", "deploy")
ENFORCEMENTS = ("advisory", "mandatory", "remediate", "disabled")
# What a policy does when a value it needs is unknown (preview, not yet computed); declared per policy.
#   defer:  decide at AnalyzeStack from the stack's view (outputs and dependencies); silent if still unknown.
#   skip:   stay silent for that resource.
#   report: one advisory finding saying what could not be verified at preview.
# Stack policies already run at AnalyzeStack, the last chance to decide: for them defer means skip.
UNKNOWN_STRATEGIES = ("defer", "skip", "report")
# The config option every policy that accepts a control living in another stack declares, under one name.
MANAGED_ELSEWHERE = "managedElsewhere"
MANAGED_ELSEWHERE_SCHEMA = {
    "type": "boolean", "default": False,
    "description": "The control is provided by another stack (a landing zone, an organisation baseline): "
                   "a resource with no match in this stack passes. A match that is present is still checked.",
}
HIPAA_FRAMEWORK = "HIPAA Security Rule"
HIPAA_FRAMEWORK_VERSION = "45 CFR Part 164 Subpart C"

_REGISTRY: dict[str, "PolicySpec"] = {}


@dataclass(frozen=True)
class Example:
    """Properties (wire names) a policy must flag (violating) or pass (compliant); tests and docs read them.

    `stack` lists other resources for stack policies: dicts with type, name, props and optional
    `property_dependencies` naming, per property, the names of the resources that feed it.
    """
    props: Mapping[str, Any]
    region: Optional[str] = "us-east-1"
    config: Optional[Mapping[str, Any]] = None
    type: Optional[str] = None
    name: str = "example"
    property_dependencies: Optional[Mapping[str, Sequence[str]]] = None
    stack: Sequence[Mapping[str, Any]] = ()
    note: str = ""


@dataclass
class PolicySpec:
    name: str
    description: str
    kind: str  # "resource" or "stack"
    check: Callable[..., Iterable[str]]
    resource_types: tuple[str, ...]
    severity: str
    group: str
    remediation: str
    citation: Optional[str] = None
    enforcement: str = "mandatory"
    config_schema: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    violating: Sequence[Example] = ()
    compliant: Sequence[Example] = ()
    data_sources: Sequence[str] = ()
    on_unknown: str = "defer"
    aws_config_rules: tuple[str, ...] = ()
    citations: tuple[str, ...] = ()
    remediate: Optional[Callable[[ResourceView], Optional[Mapping[str, Any]]]] = None
    module: str = ""

    # -- declaration helpers ---------------------------------------------------------------------
    def remediator(self, fn: Callable[[ResourceView], Optional[Mapping[str, Any]]]) -> Callable:
        """Register the remediation: returns {property path: new value}; may only turn on or tighten."""
        if self.kind != "resource":
            raise TypeError(f"{self.name}: only resource policies can remediate")
        self.remediate = fn
        return fn

    @property
    def remediates(self) -> bool:
        return self.remediate is not None

    def default_config(self) -> dict[str, Any]:
        return {k: v["default"] for k, v in self.config_schema.items() if "default" in v}

    def effective_config(self, config: Optional[Mapping[str, Any]]) -> dict[str, Any]:
        """Schema defaults, overlaid by the user's values, each converted to its schema type (the wire
        carries every number as a float): a policy reads `r.config["minimumDays"]` and gets an int."""
        merged = self.default_config()
        merged.update({k: v for k, v in (config or {}).items() if k != "enforcementLevel"})
        for key, schema in self.config_schema.items():
            if key in merged:
                merged[key] = typed_config_value(schema, merged[key])
        return merged

    # -- evaluation (pure: tests call these; they raise if the policy has a bug) -------------------
    def findings(self, resource: ResourceView, stack: Optional[StackView] = None) -> list[str]:
        """The policy's messages for one resource; [] when it passes or a needed value is unknown."""
        return self.evaluate(resource, stack)[0]

    def evaluate(self, resource: ResourceView, stack: Optional[StackView] = None) -> tuple[list[str], bool]:
        """(messages, whether a value the policy needed was unknown, so that it could not decide)."""
        if resource.type not in self.resource_types:
            return [], False
        try:
            if self.kind == "stack":
                assert stack is not None, f"{self.name} is a stack policy: pass the stack"
                return [m for m in self.check(resource, stack) if m], False
            return [m for m in self.check(resource) if m], False
        except Unknown:
            return [], True

    def remediation_for(self, resource: ResourceView) -> Optional[dict]:
        """The remediated property tree, or None when nothing needs (or can safely get) a change."""
        if self.remediate is None or not self.findings(resource):
            return None
        try:
            changes = self.remediate(resource)
        except Unknown:
            return None
        if not changes:
            return None
        tree = resource.props.raw()
        for path, value in changes.items():
            tree = set_path(tree, path, value)
        return tree

    # -- SDK adapters ------------------------------------------------------------------------------
    def sdk_policy(self):
        import pulumi_policy as sdk

        common = dict(
            name=self.name,
            description=self.description,
            enforcement_level=sdk.EnforcementLevel(self.enforcement),
            config_schema=sdk.PolicyConfigSchema(properties=self.sdk_config_schema()),
            severity=sdk.Severity(self.severity),
            framework=(sdk.PolicyComplianceFramework(
                name=HIPAA_FRAMEWORK, version=HIPAA_FRAMEWORK_VERSION, reference=self.citation,
                specification=f"45 CFR {self.citation}") if self.group == "hipaa" and self.citation else None),
            tags=[self.group] + ([f"45 CFR {self.citation}"] if self.citation else []),
            remediation_steps=self.remediation,
        )
        if self.kind == "stack":
            return sdk.StackValidationPolicy(validate=self._validate_stack, **common)
        policy = sdk.ResourceValidationPolicy(
            validate=self._validate_resource,
            remediate=self._remediate_resource if self.remediate else None,
            **common)
        policy.hipaa_guard_types = self.resource_types  # read by sdk_bridge.PolicyList for per-type dispatch
        return policy

    def sdk_config_schema(self) -> dict[str, dict[str, Any]]:
        return {**{k: dict(v) for k, v in self.config_schema.items()}, "exemptions": exemptions.CONFIG_SCHEMA}

    def _view(self, args) -> ResourceView:
        """The resource as policies see it, built once per request and shared by every policy."""
        provider = getattr(args, "provider", None)
        cache = sdk_bridge.request_cache()
        # The SDK wraps the same deserialized tree anew for each policy: key on the tree, not the wrapper.
        tree = _tree_of(args.props)
        key = ("view", args.urn, id(tree), id(_tree_of(provider.props)) if provider is not None else None)
        base = cache.get(key) if cache is not None else None
        if base is None or base[0] is not tree:
            view = ResourceView(args.resource_type, args.name, args.urn, _plain(args.props),
                                provider_props=_plain(provider.props) if provider is not None else None)
            base = (tree, view)
            if cache is not None:
                cache[key] = base
        return base[1].with_config(self.effective_config(args.get_config()))

    def _validate_resource(self, args, report_violation) -> None:
        if args.resource_type not in self.resource_types:
            return
        view = self._view(args)
        messages, undecided = self._safely(view, self.evaluate, view) or ([], False)
        if undecided:
            _DEFERRED.add((self.name, view.urn))  # decided at AnalyzeStack if the stack knows more
        self._report(view, messages, lambda message: report_violation(message, None), args.not_applicable)

    def _report(self, view: ResourceView, messages: Sequence[str], report: Callable[[str], None],
                not_applicable: Callable[[str], None]) -> None:
        """Report findings, or route them to not-applicable when an active exemption excuses them."""
        if not messages:
            return
        decision = exemptions.decide(self.name, view.name, view.urn, view.tags, view.config)
        if decision.active is not None:
            not_applicable(exempted_reason(view.urn, decision.active, messages))
            return
        for message in messages:
            report(message + decision.expiry_note())

    def _remediate_resource(self, args) -> Optional[dict]:
        if args.resource_type not in self.resource_types:
            return None
        view = self._view(args)
        if exemptions.decide(self.name, view.name, view.urn, view.tags, view.config).active is not None:
            return None
        return self._safely(view, self.remediation_for, view)

    def _validate_stack(self, args, report_violation) -> None:
        config = self.effective_config(args.get_config())
        stack = _stack_view(args.resources)
        stack.config = config
        exempted = []
        for resource in stack.of_type(self.resource_types):
            messages = self._safely(resource, self.findings, resource, stack)
            if not messages:
                continue
            decision = exemptions.decide(self.name, resource.name, resource.urn, resource.tags, config)
            if decision.active is not None:
                exempted.append(exempted_reason(resource.urn, decision.active, messages))
                continue
            for message in messages:
                report_violation(message + decision.expiry_note(), resource.urn)
        if exempted:
            args.not_applicable("\n".join(exempted))

    def _safely(self, view: ResourceView, fn: Callable[..., Any], *args: Any) -> Any:
        """Run policy code; a bug in one policy must never break a user's preview."""
        try:
            return fn(*args)
        except Exception as exc:  # noqa: BLE001 - reported, never raised into the engine
            print(f"hipaa-guard: policy {self.name} failed on {view.urn}: {type(exc).__name__}",
                  file=sys.stderr, flush=True)
            return None


# (policy name, urn) pairs a resource policy could not decide at Analyze because an input was unknown.
_DEFERRED: set[tuple[str, str]] = set()


def has_deferred() -> bool:
    return bool(_DEFERRED)


def recheck_deferred(servicer, response, sdk_resources) -> None:
    """At AnalyzeStack, decide what Analyze could not: each deferred resource policy runs again on the
    resource as the stack sees it (its outputs, where the engine may know values its inputs lacked).

    Findings carry the resource policy's own name, level and severity, as if Analyze had made them; a value
    still unknown keeps the policy silent. Called by `sdk_bridge.analyze_stack`.
    """
    pending = set(_DEFERRED)
    _DEFERRED.difference_update(pending)
    if not pending:
        return
    import pulumi_policy as sdk

    by_name = {p.name: p for p in servicer._PolicyAnalyzerServicer__policies
               if isinstance(p, sdk.ResourceValidationPolicy)}
    stack = _stack_view(sdk_resources)
    for name, urn in sorted(pending):
        policy, spec, resource = by_name.get(name), _REGISTRY.get(name), stack.by_urn.get(urn)
        if policy is None or spec is None or resource is None:
            continue
        level = servicer._get_enforcement_level(policy)
        if level == sdk.EnforcementLevel.DISABLED:
            continue
        if level == sdk.EnforcementLevel.REMEDIATE:
            level = sdk.EnforcementLevel.MANDATORY
        view = resource.with_config(spec.effective_config(servicer._get_policy_config(name)))
        view.stack = None  # a resource policy sees the resource alone, with its own config
        report = servicer._create_report_violation(response, name, policy.description, level, policy.severity)
        exempted: list[str] = []
        messages, _ = spec._safely(view, spec.evaluate, view) or ([], False)
        spec._report(view, messages, lambda message: report(message, urn), exempted.append)
        for reason in exempted:
            response.not_applicable.append(sdk.proto.PolicyNotApplicable(policy_name=name, reason=reason))


def typed_config_value(schema: Mapping[str, Any], value: Any) -> Any:
    """A config value as its JSON-schema type says (validation already ran in the engine: convert only)."""
    kind = schema.get("type")
    if kind == "integer" and isinstance(value, float) and value.is_integer():
        return int(value)
    if kind == "number" and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if kind == "array" and isinstance(value, (list, tuple)):
        items = schema.get("items")
        return [typed_config_value(items, v) for v in value] if isinstance(items, Mapping) else list(value)
    return value


def exempted_reason(urn: str, exemption: exemptions.Exemption, messages: Sequence[str]) -> str:
    """The not-applicable reason that carries an exempted finding (parsed back by the preview report)."""
    return f"exempted {urn}: {exemption.describe()} | " + " / ".join(messages)


def _tree_of(props: Any) -> Any:
    return props["__target"] if isinstance(props, sdk_bridge.RawProps) else props


def _plain(props: Any) -> Any:
    """The property tree: already plain behind the bridge's RawProps, else unwrapped from the SDK's proxies."""
    tree = _tree_of(props)
    return tree if type(tree) is dict else unwrap(tree)


def _stack_view(resources) -> StackView:
    """The stack as policies see it, built once per AnalyzeStack request and shared by every stack policy."""
    cache = sdk_bridge.request_cache()
    if cache is not None and cache.get("stack") is not None and len(cache["stack"].resources) == len(resources):
        return cache["stack"]
    stack = StackView(_stack_resource(r) for r in resources)
    if cache is not None:
        cache["stack"] = stack
    return stack


def _stack_resource(r) -> StackResource:
    return StackResource(
        r.resource_type, r.name, r.urn, _plain(r.props),
        provider_props=_plain(r.provider.props) if r.provider is not None else None,
        parent_urn=r.parent.urn if r.parent is not None else None,
        dependency_urns=[d.urn for d in r.dependencies],
        property_dependency_urns={k: [d.urn for d in v] for k, v in r.property_dependencies.items()},
    )


def _declare(kind: str, *, name: str, description: str, resource_types: Sequence[str], severity: str,
             group: str, remediation: str, citation: Union[str, Sequence[str], None] = None,
             enforcement: str = "mandatory", config_schema: Optional[Mapping[str, Mapping[str, Any]]] = None,
             violating: Sequence[Example] = (), compliant: Sequence[Example] = (),
             data_sources: Sequence[str] = (), on_unknown: str = "defer",
             aws_config_rules: Sequence[str] = (), managed_elsewhere: bool = False,
             ) -> Callable[[Callable], PolicySpec]:
    if severity not in SEVERITIES or group not in GROUPS or enforcement not in ENFORCEMENTS:
        raise ValueError(f"{name}: bad severity/group/enforcement {severity}/{group}/{enforcement}")
    if on_unknown not in UNKNOWN_STRATEGIES:
        raise ValueError(f"{name}: on_unknown must be one of {', '.join(UNKNOWN_STRATEGIES)}, not {on_unknown!r}")
    citations = (citation,) if isinstance(citation, str) else tuple(citation or ())
    if group == "hipaa" and not citations:
        raise ValueError(f"{name}: a HIPAA policy needs its citation")
    schema = dict(config_schema or {})
    if managed_elsewhere:
        schema.setdefault(MANAGED_ELSEWHERE, dict(MANAGED_ELSEWHERE_SCHEMA))

    def register(fn: Callable) -> PolicySpec:
        if name in _REGISTRY and _REGISTRY[name].module != fn.__module__:
            raise ValueError(f"policy name {name} declared twice ({_REGISTRY[name].module}, {fn.__module__})")
        spec = PolicySpec(
            name=name, description=description, kind=kind, check=fn,
            resource_types=resource_types if isinstance(resource_types, tuple) else tuple(resource_types),
            severity=severity, group=group, remediation=remediation,
            citation=citations[0] if citations else None, citations=citations,
            enforcement=enforcement, config_schema=schema, violating=tuple(violating),
            compliant=tuple(compliant), data_sources=tuple(data_sources), on_unknown=on_unknown,
            aws_config_rules=tuple(aws_config_rules), module=fn.__module__)
        _REGISTRY[name] = spec
        return spec
    return register


def resource_policy(**meta) -> Callable[[Callable], PolicySpec]:
    """Declare a policy over single resources: `fn(resource: ResourceView) -> Iterable[str]`."""
    return _declare("resource", **meta)


def stack_policy(**meta) -> Callable[[Callable], PolicySpec]:
    """Declare a policy that needs other resources: `fn(resource: StackResource, stack: StackView)`.

    It runs once per resource of `resource_types` at AnalyzeStack, where every resource's outputs and
    dependencies are known; findings attach to that resource.
    """
    return _declare("stack", **meta)


def all_policies() -> list[PolicySpec]:
    """Every declared policy, importing each module of `policies/` and `stack/` once."""
    for package in ("policypack.policies", "policypack.stack"):
        pkg = importlib.import_module(package)
        for info in pkgutil.iter_modules(pkg.__path__):
            if not info.name.startswith("_"):
                importlib.import_module(f"{package}.{info.name}")
    return sorted(_REGISTRY.values(), key=lambda s: (GROUPS.index(s.group), s.name))


def get_policy(name: str) -> PolicySpec:
    all_policies()
    return _REGISTRY[name]


# -- building views from Examples (tests, docs, the hypothesis sweep) --------------------------------

def example_view(spec: PolicySpec, example: Example) -> tuple[ResourceView, Optional[StackView]]:
    """The view(s) a policy sees for one of its examples, as the engine would present them."""
    rtype = example.type or spec.resource_types[0]
    provider = {"region": example.region} if example.region else None
    config = spec.effective_config(example.config)
    if spec.kind == "resource":
        return ResourceView(rtype, example.name, _urn(rtype, example.name), dict(example.props),
                            provider_props=provider, config=config), None
    others = [dict(o) for o in example.stack]
    urns = {o["name"]: _urn(o["type"], o["name"]) for o in others}
    urns[example.name] = _urn(rtype, example.name)

    def build(rtype_: str, name: str, props: Mapping[str, Any], deps: Mapping[str, Sequence[str]]) -> StackResource:
        prop_deps = {k: [urns[n] for n in v if n in urns] for k, v in deps.items()}
        return StackResource(rtype_, name, urns[name], dict(props), provider_props=provider, config=config,
                             dependency_urns=sorted({u for v in prop_deps.values() for u in v}),
                             property_dependency_urns=prop_deps)

    target = build(rtype, example.name, example.props, example.property_dependencies or {})
    rest = [build(o["type"], o["name"], o.get("props", {}), o.get("property_dependencies", {})) for o in others]
    stack = StackView([target, *rest])
    return target, stack


def _urn(rtype: str, name: str) -> str:
    return f"urn:pulumi:dev::example::{rtype}::{name}"


def evaluate_example(spec: PolicySpec, example: Example) -> list[str]:
    resource, stack = example_view(spec, example)
    return spec.findings(resource, stack)


__all__ = ["Example", "PolicySpec", "resource_policy", "stack_policy", "all_policies", "get_policy",
           "example_view", "evaluate_example", "Props", "ResourceView", "StackResource", "StackView"]
