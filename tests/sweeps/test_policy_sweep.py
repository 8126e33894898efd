"""Robustness sweep: no policy (resource or stack, either group) may raise or leak a secret, whatever it is fed.

Property bags mix the keys the policies read (harvested from every policy's examples) with stray keys, and the
values mix unknown sentinels, secrets, nulls, wrong types, nested garbage and the strings that steer the
policies (CIDRs, protocols, families, JSON task definitions). Stack policies also get random neighbours wired by
random propertyDependencies. Size: HIPAA_GUARD_SWEEP_EXAMPLES examples per test (CI default below).
"""
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pulumi_policy import Secret

from policypack.policy import Example, all_policies, example_view
from policypack.values import UNKNOWN_SENTINELS, contains_secret, reveal
from support import secret_sweep

EXAMPLES = int(os.environ.get("HIPAA_GUARD_SWEEP_EXAMPLES", "40"))
SWEEP = settings(max_examples=EXAMPLES, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                        HealthCheck.filter_too_much, HealthCheck.function_scoped_fixture])
POLICIES = all_policies()
SECRET_MARK = "zq7SECRET"  # every generated secret plaintext starts with this: it can only reach a message by a leak


# -- what the examples teach: keys, steering strings, neighbour types ---------------------------------------

def _harvest(value, keys, strings):
    if isinstance(value, dict):
        for k, v in value.items():
            keys.add(k)
            _harvest(v, keys, strings)
    elif isinstance(value, list):
        for v in value:
            _harvest(v, keys, strings)
    elif isinstance(value, str):
        strings.add(value)
        if value[:1] in "[{":
            try:
                _harvest(json.loads(value), keys, strings)
            except ValueError:
                pass


def _examples(spec):
    return list(spec.violating) + list(spec.compliant)


KEYS, STRINGS, NEIGHBOUR_TYPES = set(), set(), set()
for _spec in POLICIES:
    for _ex in _examples(_spec):
        _harvest(dict(_ex.props), KEYS, STRINGS)
        for _other in _ex.stack:
            NEIGHBOUR_TYPES.add(_other["type"])
            _harvest(_other.get("props", {}), KEYS, STRINGS)
    NEIGHBOUR_TYPES.update(_spec.resource_types)
KEYS.update({"region", "tags", "tagsAll", "bucket", "id", "name"})
STRINGS.update({"0.0.0.0/0", "::/0", "-1", "tcp", "all", "ingress", "KMS", "aws:kms", "HTTP", "HTTPS", "redirect",
                "true", "false", "1", "0", "", " ", "arn:aws:kms:us-east-1:123456789012:key/x", "not json", "[", "{}",
                "hipaa-guard:exempt", "*: everything until 2000-01-01", "SYMMETRIC_DEFAULT", "postgres", "\x00", "é∂"})
KEYS, STRINGS, NEIGHBOUR_TYPES = sorted(KEYS), sorted(STRINGS), sorted(NEIGHBOUR_TYPES)

keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=6))
secret_text = st.text(alphabet="abcdefghijklmnop0123456789", min_size=3, max_size=8).map(lambda s: SECRET_MARK + s)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-2 ** 40, 2 ** 40), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12), st.sampled_from(STRINGS), st.sampled_from(sorted(UNKNOWN_SENTINELS)),
    st.integers(-1, 70000), secret_text.map(Secret))


def _json_string(children):
    # A structure turned into a JSON string, as the wire carries containerDefinitions and policies; as with
    # Output.json_dumps, a secret anywhere inside makes the whole string secret.
    return st.lists(st.dictionaries(keys, children, max_size=4), max_size=3).map(
        lambda v: Secret(json.dumps(reveal(v))) if contains_secret(v) else json.dumps(v))


values = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5),
                               children.map(Secret), _json_string(children)),
    max_leaves=16)
bags = st.dictionaries(keys, values, max_size=8)
regions = st.one_of(st.none(), st.sampled_from(["us-east-1", "eu-west-1", "ap-southeast-1", "mars-north-9"]))


@st.composite
def mutated(draw, spec):
    """One of the policy's own examples with random paths replaced by random values or removed."""
    example = draw(st.sampled_from(_examples(spec)))
    props = json.loads(json.dumps(dict(example.props)))
    for _ in range(draw(st.integers(1, 4))):
        node = props
        for _ in range(draw(st.integers(0, 3))):
            children = list(node.items()) if isinstance(node, dict) else list(enumerate(node)) \
                if isinstance(node, list) else []
            containers = [(k, v) for k, v in children if isinstance(v, (dict, list)) and v]
            if not containers:
                break
            _, node = draw(st.sampled_from(containers))
        if isinstance(node, dict):
            key = draw(st.one_of(st.sampled_from(sorted(node) or KEYS), keys))
            if draw(st.booleans()) and key in node:
                del node[key]
            else:
                node[key] = draw(values)
        elif isinstance(node, list) and node:
            node[draw(st.integers(0, len(node) - 1))] = draw(values)
    return example, props


@st.composite
def neighbours(draw, target_name):
    """Other resources of the stack, wired to each other and to the target by random propertyDependencies."""
    count = draw(st.integers(0, 4))
    names = [f"n{i}" for i in range(count)]
    wires = st.dictionaries(keys, st.lists(st.sampled_from(names + [target_name, "ghost"]), max_size=3), max_size=3)
    return [{"type": draw(st.sampled_from(NEIGHBOUR_TYPES)), "name": n, "props": draw(bags),
             "property_dependencies": draw(wires)} for n in names], wires


def run(spec, example):
    """Evaluate and remediate; both must return well-formed results. Returns the messages."""
    resource, stack = example_view(spec, example)
    messages = spec.findings(resource, stack)
    assert isinstance(messages, list) and all(isinstance(m, str) and m for m in messages)
    if spec.kind == "resource":
        fixed = spec.remediation_for(resource)
        assert fixed is None or isinstance(fixed, dict)
    return messages


def _assert_no_secret(messages):
    for message in messages:
        assert SECRET_MARK not in message, f"secret leaked: {message}"


def _ids(spec):
    return spec.name


TARGETS = [(spec, rtype) for spec in POLICIES for rtype in spec.resource_types]


@settings(SWEEP, max_examples=EXAMPLES * 5)
@given(data=st.data(), props=bags, region=regions)
def test_random_property_bags(data, props, region, cases):
    """One random bag (and random neighbours) fed to every policy under each resource type it reads."""
    stack, wires = data.draw(neighbours("example"))
    deps = data.draw(wires)
    for spec, rtype in TARGETS:
        _assert_no_secret(run(spec, Example(props, region=region, type=rtype, stack=stack if spec.kind == "stack" else (),
                                            property_dependencies=deps if spec.kind == "stack" else None)))
        cases["random bags (policy x type)"] += 1


@pytest.mark.parametrize("spec", POLICIES, ids=_ids)
def test_mutated_examples(spec, cases):
    @SWEEP
    @given(data=st.data(), region=regions)
    def sweep(data, region):
        example, props = data.draw(mutated(spec))
        stack = list(example.stack)
        if spec.kind == "stack" and data.draw(st.booleans()):
            extra, _ = data.draw(neighbours(example.name))
            stack += extra
        _assert_no_secret(run(spec, Example(props, region=region, config=example.config, type=example.type,
                                            name=example.name, property_dependencies=example.property_dependencies,
                                            stack=stack)))
        cases["mutated examples"] += 1
    sweep()


def _secretise(value, draw, mark):
    """Wrap strings (and sometimes whole objects) as secrets whose plaintext carries the marker."""
    if isinstance(value, str) and value not in UNKNOWN_SENTINELS:
        return Secret(mark + value) if draw(st.booleans()) else Secret(value)
    if isinstance(value, dict):
        inner = {k: _secretise(v, draw, mark) for k, v in value.items()}
        return Secret(inner) if draw(st.integers(0, 5)) == 0 else inner
    if isinstance(value, list):
        return [_secretise(v, draw, mark) for v in value]
    return value


@pytest.mark.parametrize("spec", POLICIES, ids=_ids)
def test_every_string_secret_is_never_shown(spec, cases):
    """Each example with every string property a secret (some carrying the marker): violations are still found
    and no secret plaintext reaches a message."""
    for example in _examples(spec):
        props = secret_sweep.wrap_strings(dict(example.props))
        messages = run(spec, Example(props, region=example.region, config=example.config, type=example.type,
                                     name=example.name, property_dependencies=example.property_dependencies,
                                     stack=example.stack))
        assert bool(messages) == (example in spec.violating), f"{spec.name}: secrets changed the verdict"
        for text in secret_sweep.plaintexts(dict(example.props)):
            assert not any(text in m for m in messages), f"{spec.name} leaked a secret value"
        cases["all-secret examples"] += 1

    @SWEEP
    @given(data=st.data())
    def sweep(data):
        example, props = data.draw(mutated(spec))
        props = _secretise(props, data.draw, SECRET_MARK)
        props = props if isinstance(props, dict) else {}
        _assert_no_secret(run(spec, Example(props, region=example.region, config=example.config, type=example.type,
                                            name=example.name, property_dependencies=example.property_dependencies,
                                            stack=example.stack)))
        cases["secret sweep"] += 1
    sweep()
