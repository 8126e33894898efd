"""Every policy's own examples are its tests: violating ones must be flagged, compliant ones must pass,
and no input shape (unknown, secret, missing, wrong type) may crash a policy or leak a secret."""
import pytest
from pulumi_policy import Secret

from policypack.policy import Example, all_policies, evaluate_example
from support import secret_sweep

POLICIES = all_policies()
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
GARBAGE = [None, 0, -1, 3.5, True, "", "garbage", [], {}, [None], {"x": [1, {"y": None}]}, UNKNOWN,
           Secret("s3cr3t-value")]


def _cases(kind):
    for spec in POLICIES:
        for i, example in enumerate(getattr(spec, kind)):
            yield pytest.param(spec, example, id=f"{spec.name}-{kind}-{i}")


def test_every_policy_has_examples_both_ways():
    for spec in POLICIES:
        assert spec.violating, f"{spec.name} has no violating example"
        assert spec.compliant, f"{spec.name} has no compliant example"


@pytest.mark.parametrize("spec,example", list(_cases("violating")))
def test_violating_example_is_flagged(spec, example):
    assert evaluate_example(spec, example), f"{spec.name} missed: {example}"


@pytest.mark.parametrize("spec,example", list(_cases("compliant")))
def test_compliant_example_passes(spec, example):
    assert evaluate_example(spec, example) == []


def _with(example, props):
    return Example(props, region=example.region, config=example.config, type=example.type, name=example.name,
                   property_dependencies=example.property_dependencies, stack=example.stack)


@pytest.mark.parametrize("spec,example", list(_cases("violating")))
def test_unknown_inputs_never_crash(spec, example):
    for key in example.props:
        props = dict(example.props)
        props[key] = UNKNOWN
        evaluate_example(spec, _with(example, props))
    evaluate_example(spec, _with(example, {k: UNKNOWN for k in example.props}))


@pytest.mark.parametrize("spec,example", list(_cases("violating")) + list(_cases("compliant")))
def test_wrong_types_and_missing_properties_never_crash(spec, example):
    evaluate_example(spec, _with(example, {}))
    for key in example.props:
        for garbage in GARBAGE:
            props = dict(example.props)
            props[key] = garbage
            evaluate_example(spec, _with(example, props))


@pytest.mark.parametrize("spec,example", list(_cases("violating")))
def test_secret_values_are_checked_but_never_shown(spec, example):
    secret_props = secret_sweep.wrap_strings(dict(example.props))
    messages = evaluate_example(spec, _with(example, secret_props))
    assert messages == evaluate_example(spec, example) or messages, "a secret value must still be checked"
    plaintexts = secret_sweep.plaintexts(dict(example.props))
    for message in messages:
        for text in plaintexts:
            assert text not in message, f"{spec.name} leaked a secret value in: {message}"
