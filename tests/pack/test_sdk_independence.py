"""The pack survives pulumi-policy releases: the CLI installs the newest 1.x into every user's pack virtualenv.

The pack serves the Analyzer protocol itself and uses only public names of pulumi-policy. These tests launch
the repo root as the CLI would, against a copy of pulumi-policy in which every private name (the servicer
class, its mangled attributes, its helpers, the proxies) is renamed and the `secret` module has moved, and
assert the very same diagnostics as with the real SDK. They also force the fallback onto the SDK's public
`PolicyPack`: the same findings (policy, resource, level), a one-line note on stderr, and no secret in any
message.
"""
import re
import shutil
from pathlib import Path

import pytest
from pulumi_policy import Secret

import pulumi_policy
from policypack.analyzer_service import FALLBACK_ENV
from policypack.engine import AnalysisSession, wire
from policypack.policy import all_policies
from support import secret_sweep

ROOT = Path(__file__).resolve().parents[2]
PROJECT, STACK = "independence", "dev"
STACK_URN = f"urn:pulumi:{STACK}::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-{STACK}"
PROVIDER_URN = f"urn:pulumi:{STACK}::{PROJECT}::pulumi:providers:aws::default_7_51_1"
PRIVATE_NAME = re.compile(r"(?<![\w])(_{1,2}[A-Za-z][A-Za-z0-9_]*)(?![\w])")


def renamed_sdk(into: Path) -> Path:
    """A copy of the installed pulumi-policy with every private name renamed and `secret.py` moved."""
    target = into / "pulumi_policy"
    shutil.copytree(Path(pulumi_policy.__file__).parent, target, ignore=shutil.ignore_patterns("__pycache__"))
    (target / "secret.py").rename(target / "secret_values.py")
    for path in target.glob("*.py"):
        text = PRIVATE_NAME.sub(lambda m: m.group(1) if m.group(1).endswith("__") else m.group(1) + "_v2",
                                path.read_text())
        path.write_text(re.sub(r"\.secret\b", ".secret_values", text))
    return into


def to_wire(value):
    if isinstance(value, Secret):
        return wire.secret(to_wire(value.value))
    if isinstance(value, dict):
        return {k: to_wire(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_wire(v) for v in value]
    return value


def resource(rtype, name, props, tag, deps=None):
    urn = lambda t, n: f"urn:pulumi:{STACK}::{PROJECT}::{t}::{tag}{n}"
    prop_deps = {k: [urn(t, n) for t, n in v] for k, v in (deps or {}).items()}
    return {"type": rtype, "name": tag + name, "urn": urn(rtype, name), "custom": True, "inputs": to_wire(props),
            "outputs": None, "parent": STACK_URN, "provider": f"{PROVIDER_URN}::{wire.UNKNOWN}",
            "dependencies": sorted({u for v in prop_deps.values() for u in v}), "property_dependencies": prop_deps}


def example_stack():
    """Every violating example of every policy (default config, us-east-1), once as written and once with
    every string a secret; URNs made unique per example. Returns (resources, {urn: its secret plaintexts}) for
    the all-secret targets (their neighbours stay plain and may show their own values)."""
    resources = [
        {"type": "pulumi:pulumi:Stack", "name": f"{PROJECT}-{STACK}", "urn": STACK_URN, "custom": False,
         "inputs": {}, "outputs": {}, "parent": None, "provider": None},
        {"type": "pulumi:providers:aws", "name": "default_7_51_1", "urn": PROVIDER_URN, "custom": True,
         "inputs": {"region": "us-east-1"}, "parent": STACK_URN, "provider": None}]
    secrets = {}
    for spec in all_policies():
        for i, example in enumerate(spec.violating):
            if example.config is not None or example.region != "us-east-1":
                continue
            types = {example.name: example.type or spec.resource_types[0],
                     **{o["name"]: o["type"] for o in example.stack}}
            deps = lambda d: {k: [(types[n], n) for n in v if n in types] for k, v in (d or {}).items()}
            for variant, wrap in (("p", lambda v: v), ("s", secret_sweep.wrap_strings)):
                tag = f"{spec.name}-{i}-{variant}-"
                props = wrap(dict(example.props))
                target = resource(types[example.name], example.name, props, tag, deps(example.property_dependencies))
                if variant == "s":
                    secrets[target["urn"]] = secret_sweep.plaintexts(props)
                resources.append(target)
                resources += [resource(o["type"], o["name"], dict(o.get("props", {})), tag,
                                       deps(o.get("property_dependencies"))) for o in example.stack]
    return resources, secrets


@pytest.fixture(scope="module")
def stack():
    return example_stack()


def analyze(resources, env=None):
    with AnalysisSession(ROOT, project=PROJECT, stack=STACK, env=env) as session:
        result = session.analyze(resources)
        stderr = session.pack.stderr_text()
    return result, stderr


def diagnostics(result):
    return sorted((d.policy_name, d.urn, d.enforcement_level, d.severity, d.message) for d in result.diagnostics)


def body(diagnostic) -> str:
    """A diagnostic's message without the policy description the protocol puts first (fixed text)."""
    return diagnostic.message.split("\n", 1)[-1]


def leaks(result, secrets) -> list:
    """(policy, urn, plaintext) for every secret of an all-secret target shown in a finding about it."""
    found = []
    for d in result.diagnostics:
        found += [(d.policy_name, d.urn, s) for s in secrets.get(d.urn, ()) if s in body(d)]
    for n in result.not_applicable:
        found += [(n.policy_name, urn, s) for urn, texts in secrets.items() if f"{urn}:" in n.reason
                  for s in texts if s in n.reason]
    return found


def findings(result):
    return {(d.policy_name, d.urn, d.enforcement_level) for d in result.diagnostics}


@pytest.fixture(scope="module")
def reference(stack):
    result, _ = analyze(stack[0])
    return result


def test_the_stack_exercises_the_policies(reference):
    """Every resource policy fires on its examples; stack policies see each other's examples in this one stack
    (a backup selection of `*` in one example covers the volume of another), so most, not all, fire."""
    fired = {d.policy_name for d in reference.diagnostics}
    testable = [s for s in all_policies() if any(e.config is None and e.region == "us-east-1" for e in s.violating)]
    assert {s.name for s in testable if s.kind == "resource"} <= fired
    stack = [s.name for s in testable if s.kind == "stack"]
    assert len(fired.intersection(stack)) >= 0.8 * len(stack)


def test_identical_diagnostics_against_an_sdk_whose_private_names_are_gone(stack, reference, tmp_path):
    sdk_dir = renamed_sdk(tmp_path)
    result, stderr = analyze(stack[0], env={"PYTHONPATH": str(sdk_dir)})
    assert diagnostics(result) == diagnostics(reference)
    assert sorted(n.reason for n in result.not_applicable) == sorted(n.reason for n in reference.not_applicable)
    assert "without the pack's analyzer" not in stderr


@pytest.mark.parametrize("renamed", [False, True], ids=["sdk", "renamed-sdk"])
def test_the_public_sdk_fallback_finds_the_same_withholds_values_and_says_so_once(stack, reference, renamed,
                                                                                   tmp_path):
    env = {FALLBACK_ENV: "sdk"}
    if renamed:
        env["PYTHONPATH"] = str(renamed_sdk(tmp_path))
    result, stderr = analyze(stack[0], env=env)
    assert findings(result) == findings(reference)
    assert stderr.count("running on pulumi-policy's public API") == 1
    assert leaks(result, stack[1]) == []


def test_no_secret_plaintext_in_any_message_or_reason(stack, reference):
    assert leaks(reference, stack[1]) == []


def test_the_pack_imports_only_public_names_of_the_sdk():
    private_use = re.compile(r"pulumi_policy(\.\w+)*\._|from pulumi_policy\.\w+ import|"
                             r"from pulumi_policy import [^\n]*\b_\w+")
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "policypack").rglob("*.py")
                 if p.parts[-2] not in ("offline", "engine") and private_use.search(p.read_text())]
    assert offenders == []
