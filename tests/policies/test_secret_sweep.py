"""No message, exemption reason or expiry note shows a value that arrived as a secret, wherever it arrived:
a string, a whole property, the provider's region, the exemption tag, or another resource of the stack.
Run over every policy's violating examples (the mechanism redacts; the policies render through `show`)."""
import pytest
from pulumi_policy import Secret

from policypack.exemptions import TAG_KEY
from policypack.policy import Example, all_policies, example_view
from support import secret_sweep

POLICIES = all_policies()


def _cases(kinds=("resource", "stack")):
    for spec in POLICIES:
        if spec.kind not in kinds:
            continue
        for i, example in enumerate(spec.violating):
            yield pytest.param(spec, example, id=f"{spec.name}-{i}")


def _with(example, props=None, stack=None):
    return Example(dict(example.props) if props is None else props, region=example.region, config=example.config,
                   type=example.type, name=example.name, property_dependencies=example.property_dependencies,
                   stack=example.stack if stack is None else stack)


def _texts(spec, example, provider=None):
    """Everything the pack would show for this example: messages, advisory notes, exemption reasons."""
    resource, stack = example_view(spec, example, provider=provider)
    outcome = spec.decide(resource, stack, at_stack=True)
    return outcome.violations + outcome.advisory + ([outcome.exempted] if outcome.exempted else [])


def _leaks(texts, secrets):
    return [(s, t) for t in texts for s in secrets if s in t]


@pytest.mark.parametrize("spec,example", list(_cases()))
def test_whole_properties_as_secrets(spec, example):
    props = {k: Secret(v) for k, v in example.props.items()}
    texts = _texts(spec, _with(example, props))
    assert _leaks(texts, secret_sweep.plaintexts(dict(example.props))) == []


@pytest.mark.parametrize("spec,example", [c for c in _cases() if c.values[1].region])
def test_a_secret_provider_region(spec, example):
    texts = _texts(spec, example, provider={"region": Secret(example.region)})
    assert _leaks(texts, {example.region}) == []


@pytest.mark.parametrize("until", ["2099-01-01", "2000-01-01"], ids=["active", "expired"])
@pytest.mark.parametrize("spec,example", list(_cases()))
def test_a_secret_exemption_tag_exempts_but_its_reason_is_withheld(spec, example, until):
    reason = "S3cr3t-TAG-reason"
    props = {**example.props, "tags": Secret({TAG_KEY: f"{spec.name}: {reason} until {until}"})}
    resource, stack = example_view(spec, _with(example, props))
    outcome = spec.decide(resource, stack, at_stack=True)
    shown = outcome.violations + ([outcome.exempted] if outcome.exempted else [])
    assert shown, f"{spec.name}: the example must still be judged"
    assert _leaks(shown, {reason}) == []
    if until == "2099-01-01":
        assert outcome.exempted is not None and "reason withheld" in outcome.exempted


@pytest.mark.parametrize("spec,example", [c for c in _cases(("stack",)) if c.values[1].stack])
def test_neighbouring_resources_as_secrets(spec, example):
    stack = [{**o, "props": secret_sweep.wrap_strings(dict(o.get("props", {})))} for o in example.stack]
    own = secret_sweep.plaintexts(dict(example.props))
    neighbours = set().union(*(secret_sweep.plaintexts(dict(o.get("props", {}))) for o in example.stack)) - own
    texts = _texts(spec, _with(example, stack=stack))
    assert _leaks(texts, neighbours) == []
