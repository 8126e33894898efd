"""The deploy group through the real protocol: the repo root pack, launched as the CLI launches it, analyses a
batch built from each deploy policy's own examples and reports that policy, mandatory, on the violating
resources only."""
from pathlib import Path

import pytest

from policypack.engine import run_analysis
from policypack.policy import all_policies

ROOT = Path(__file__).resolve().parents[2]
PROJECT, STACK = "deploy", "dev"
PREFIX = f"urn:pulumi:{STACK}::{PROJECT}::"
STACK_URN = PREFIX + f"pulumi:pulumi:Stack::{PROJECT}-{STACK}"
DEPLOY = [s for s in all_policies() if s.group == "deploy"]


def _urn(rtype, name):
    return f"{PREFIX}{rtype}::{name}"


def _provider(region):
    name = f"aws-{region or 'noregion'}"
    urn = _urn("pulumi:providers:aws", name)
    inputs = {"version": "7.51.1", **({"region": region} if region else {})}
    return urn, {"type": "pulumi:providers:aws", "name": name, "urn": urn, "custom": True, "id": name,
                 "inputs": inputs, "outputs": inputs, "parent": STACK_URN, "dependencies": [],
                 "property_dependencies": {}, "provider": None, "options": {}, "source": None}


def _resource(rtype, name, props, provider_urn, deps):
    urn = _urn(rtype, name)
    prop_deps = {k: [_urn(t, n) for t, n in v] for k, v in deps.items()}
    return {"type": rtype, "name": name, "urn": urn, "custom": True, "id": f"{name}-id", "inputs": dict(props),
            "outputs": dict(props), "parent": STACK_URN,
            "dependencies": sorted({u for v in prop_deps.values() for u in v}),
            "property_dependencies": prop_deps,
            "provider": f"{provider_urn}::{name}-provider-id" if rtype.startswith("aws:") else None,
            "options": {}, "source": None}


def batch(spec):
    """Captured resources for every example of `spec`: {target name: violating?} and the resource list."""
    resources = [{"type": "pulumi:pulumi:Stack", "name": f"{PROJECT}-{STACK}", "urn": STACK_URN, "custom": False,
                  "id": None, "inputs": {}, "outputs": {}, "parent": None, "dependencies": [],
                  "property_dependencies": {}, "provider": None, "options": {}, "source": None}]
    providers, targets = {}, {}
    for kind in ("violating", "compliant"):
        for i, example in enumerate(getattr(spec, kind)):
            if example.region not in providers:
                urn, provider = _provider(example.region)
                providers[example.region] = urn
                resources.append(provider)
            prefix = f"{kind[0]}{i}-"
            types = {o["name"]: o["type"] for o in example.stack}
            types[example.name] = example.type or spec.resource_types[0]

            def deps(mapping):
                return {k: [(types[n], prefix + n) for n in v if n in types] for k, v in (mapping or {}).items()}

            for other in example.stack:
                resources.append(_resource(other["type"], prefix + other["name"], other.get("props", {}),
                                           providers[example.region], deps(other.get("property_dependencies"))))
            resources.append(_resource(types[example.name], prefix + example.name, example.props,
                                       providers[example.region], deps(example.property_dependencies)))
            targets[prefix + example.name] = kind == "violating"
    return targets, resources


@pytest.mark.parametrize("spec", DEPLOY, ids=[s.name for s in DEPLOY])
def test_deploy_policy_fires_mandatory_on_violating_resources_only(spec):
    targets, resources = batch(spec)
    result = run_analysis(ROOT, resources, project=PROJECT, stack=STACK, config={"aws:region": "us-east-1"})
    mine = [d for d in result.diagnostics if d.policy_name == spec.name]
    assert all(d.enforcement_level == "mandatory" for d in mine)
    flagged = {d.urn.rsplit("::", 1)[-1] for d in mine}
    # a helper resource of an example may be flagged too (the other subnet of an overlapping pair)
    assert {name for name, violating in targets.items() if violating} <= flagged
    assert not {name for name, violating in targets.items() if not violating} & flagged
    assert not [log for log in result.logs if f"policy {spec.name} failed" in getattr(log, "message", "")]
