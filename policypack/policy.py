"""The policy mechanism: a policy is metadata plus one small function; this module does everything else.

`@resource_policy` and `@stack_policy` register a `PolicySpec`. The mechanism then gives each policy, once:
the type filter, typed config with schema defaults, the declared unknown strategy (`on_unknown`), secret
redaction of every message, exemptions, never-crash behaviour and remediation plumbing (`PolicySpec.decide`).
Serving them over the Analyzer protocol is `analyzer_service`'s job; this module knows nothing of gRPC or the
SDK. Modules under `policypack/policies/` and `policypack/stack/` are discovered automatically.
"""
from __future__ import annotations

import importlib
import pkgutil
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, Union

from . import exemptions
from .values import Props, Unknown, redact, set_path
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

    def evaluate(self, resource: ResourceView, stack: Optional[StackView] = None
                 ) -> tuple[list[str], Optional[str]]:
        """(messages, the path of a value the policy needed that was unknown, so that it could not decide).

        Messages are redacted here, for every caller: any plaintext that arrived as a secret in this
        resource, its provider or (for a stack policy) anywhere in the stack is shown as `[secret]`.
        """
        if resource.type not in self.resource_types:
            return [], None
        try:
            if self.kind == "stack":
                assert stack is not None, f"{self.name} is a stack policy: pass the stack"
                messages = [m for m in self.check(resource, stack) if m]
            else:
                messages = [m for m in self.check(resource) if m]
        except Unknown as unknown:
            return [], unknown.path
        if messages:
            secrets = stack.secrets if stack is not None else resource.secrets
            if secrets:
                messages = [redact(m, secrets) for m in messages]
        return messages, None

    def decide(self, resource: ResourceView, stack: Optional[StackView] = None, *,
               at_stack: bool = False) -> "Outcome":
        """Everything the pack reports for this policy on one resource, with the unknown strategy applied.

        `at_stack` says the call is the last chance to decide (AnalyzeStack), where `defer` means silence.
        A bug in the policy never escapes: it is named on stderr and the policy says nothing.
        """
        evaluated = self._safely(resource, self.evaluate, resource, stack)
        messages, unknown = evaluated if evaluated is not None else ([], None)
        if unknown is not None:
            if self.on_unknown == "report":
                shown = redact(unknown, resource.secrets)
                return Outcome(advisory=[f"could not be verified at preview: {shown} is not known yet; "
                                         "the check runs when the value is known."])
            return Outcome(deferred=self.on_unknown == "defer" and not at_stack)
        if not messages:
            return Outcome()
        decision = exemptions.decide(self.name, resource.name, resource.urn, resource.tags, resource.config,
                                     secret_tag=exemptions.TAG_KEY in resource.secret_tag_keys)
        if decision.active is not None:
            return Outcome(exempted=exempted_reason(resource.urn, decision.active, messages))
        note = decision.expiry_note()
        return Outcome(violations=[m + note for m in messages])

    def remediation_for(self, resource: ResourceView) -> Optional[dict]:
        """The remediated property tree, or None when nothing needs (or can safely get) a change."""
        if self.remediate is None or not self.findings(resource):
            return None
        decision = exemptions.decide(self.name, resource.name, resource.urn, resource.tags, resource.config)
        if decision.active is not None:
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

    def sdk_config_schema(self) -> dict[str, dict[str, Any]]:
        """The config schema the pack announces (the policy's options plus the shared `exemptions`)."""
        return {**{k: dict(v) for k, v in self.config_schema.items()}, "exemptions": exemptions.CONFIG_SCHEMA}

    def _safely(self, view: ResourceView, fn: Callable[..., Any], *args: Any) -> Any:
        """Run policy code; a bug in one policy must never break a user's preview."""
        try:
            return fn(*args)
        except Exception as exc:  # noqa: BLE001 - reported, never raised into the engine
            print(f"hipaa-guard: policy {self.name} failed on {view.urn}: {type(exc).__name__}",
                  file=sys.stderr, flush=True)
            return None


@dataclass
class Outcome:
    """What one policy reports on one resource: violations at the policy's level, advisory notes (the
    `report` unknown strategy), an exemption (reported as not-applicable), or a deferral to AnalyzeStack."""
    violations: list[str] = field(default_factory=list)
    advisory: list[str] = field(default_factory=list)
    exempted: Optional[str] = None
    deferred: bool = False


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

def example_view(spec: PolicySpec, example: Example, *, provider: Optional[Mapping[str, Any]] = None
                 ) -> tuple[ResourceView, Optional[StackView]]:
    """The view(s) a policy sees for one of its examples, as the engine would present them (`provider`:
    other provider properties than the example's region, e.g. a secret region)."""
    rtype = example.type or spec.resource_types[0]
    if provider is None:
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
