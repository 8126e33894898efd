"""Wire encoding helpers and the client's marshalling of options."""

from __future__ import annotations

import pytest
from pulumi_policy import proxy
from pulumi_policy.deserialize import SPECIAL_SECRET_SIG, SPECIAL_SIG_KEY, deserialize_properties

from policypack.engine import wire
from policypack.engine.client import duration_seconds
from policypack.engine.run import parse_provider_reference


def test_sentinels_match_the_sdk():
    assert wire.unknown() == wire.UNKNOWN == proxy.UNKNOWN_STRING_VALUE
    assert wire.unknown("bool") == proxy.UNKNOWN_BOOLEAN_VALUE
    assert wire.unknown("number") == proxy.UNKNOWN_NUMBER_VALUE
    assert wire.is_unknown(wire.UNKNOWN_OBJECT) and not wire.is_unknown("x")
    with pytest.raises(ValueError):
        wire.unknown("nope")


def test_secret_roundtrip_is_unwrapped_by_the_sdk():
    props = {"password": wire.secret("s3cret"), "n": 3}
    assert props["password"] == {SPECIAL_SIG_KEY: SPECIAL_SECRET_SIG, "value": "s3cret"}
    assert wire.is_secret(props["password"])
    on_wire = wire.from_struct(wire.to_struct(props))
    assert on_wire == {"password": props["password"], "n": 3.0}
    assert deserialize_properties(on_wire) == {"password": "s3cret", "n": 3.0}
    assert wire.reveal(on_wire) == {"password": "s3cret", "n": 3.0}


def test_normalize_and_strip_internal_keys():
    assert wire.normalize({"a": (1, 2), "b": None}) == {"a": [1.0, 2.0], "b": None}
    assert wire.strip_internal_keys({"__defaults": [], "tags": {"__x": 1, "y": [{"__z": 1, "k": 2}]}}) == \
        {"tags": {"y": [{"k": 2}]}}


def test_durations_and_provider_references():
    assert duration_seconds("5m") == 300.0
    assert duration_seconds("1h30m") == 5400.0
    assert duration_seconds(12) == 12.0 and duration_seconds(None) == 0.0
    with pytest.raises(ValueError):
        duration_seconds("five minutes")
    urn = "urn:pulumi:dev::p::pulumi:providers:aws::default_7_51_1"
    assert parse_provider_reference(f"{urn}::{wire.UNKNOWN}") == (urn, wire.UNKNOWN)
    with pytest.raises(ValueError):
        parse_provider_reference("not-a-ref")
