"""build_policy_config: defaults, initialConfig, user config, "all", validation (with and without jsonschema)."""

from __future__ import annotations

import sys

import pytest

from policypack.engine import ConfigError, build_policy_config

INFO = {
    "policies": [
        {"name": "rds-backup-retention", "enforcementLevel": "mandatory",
         "configSchema": {"properties": {"minimumDays": {"type": "integer", "minimum": 1.0, "default": 7.0},
                                         "engines": {"type": "array", "items": {"type": "string",
                                                                                 "enum": ["postgres", "mysql"]}},
                                         "mode": {"type": "string", "enum": ["strict", "lax"]}},
                          "required": []}},
        {"name": "needs-key", "enforcementLevel": "advisory",
         "configSchema": {"properties": {"keyArn": {"type": "string"}}, "required": ["keyArn"]}},
        {"name": "plain", "enforcementLevel": "advisory", "configSchema": None},
    ],
    "initialConfig": {"needs-key": {"enforcementLevel": "advisory", "keyArn": "arn:initial"}},
}


@pytest.fixture(params=["jsonschema", "builtin"])
def validator(request, monkeypatch):
    if request.param == "builtin":
        monkeypatch.setitem(sys.modules, "jsonschema", None)  # import jsonschema now raises ImportError
    return request.param


def test_defaults_and_initial_config():
    cfg = build_policy_config(INFO)
    assert cfg == {"rds-backup-retention": {"enforcementLevel": "mandatory", "minimumDays": 7.0},
                   "needs-key": {"enforcementLevel": "advisory", "keyArn": "arn:initial"},
                   "plain": {"enforcementLevel": "advisory"}}


def test_initial_config_properties_only_arrive_as_advisory():
    info = dict(INFO, initialConfig={"rds-backup-retention": {"enforcementLevel": "advisory", "mode": "lax"},
                                     "needs-key": {"enforcementLevel": "advisory", "keyArn": "k"}})
    cfg = build_policy_config(info)
    assert cfg["rds-backup-retention"] == {"enforcementLevel": "advisory", "minimumDays": 7.0, "mode": "lax"}


def test_user_config_levels_properties_and_all():
    cfg = build_policy_config(INFO, {"all": "disabled", "plain": "mandatory",
                                     "rds-backup-retention": {"minimumDays": 30}})
    assert cfg["plain"]["enforcementLevel"] == "mandatory"
    # An entry without a level keeps the level computed so far ("all" here).
    assert cfg["rds-backup-retention"] == {"enforcementLevel": "disabled", "minimumDays": 30.0}
    assert cfg["needs-key"]["enforcementLevel"] == "disabled"
    assert "all" not in cfg
    cfg = build_policy_config(INFO, {"rds-backup-retention": {"minimumDays": 30}})
    assert cfg["rds-backup-retention"]["enforcementLevel"] == "mandatory"
    assert isinstance(cfg["rds-backup-retention"]["minimumDays"], float)  # 30 arrives as 30.0


def test_unknown_policy_and_bad_levels():
    with pytest.raises(ConfigError, match="unknown policy 'nope'"):
        build_policy_config(INFO, {"nope": "mandatory"})
    with pytest.raises(ConfigError, match="'loud' is not a valid enforcement level"):
        build_policy_config(INFO, {"plain": "loud"})
    with pytest.raises(ConfigError, match="is not a valid enforcement level"):
        build_policy_config(INFO, {"plain": {"enforcementLevel": 3}})
    with pytest.raises(ConfigError, match="must be a string or object"):
        build_policy_config(INFO, {"plain": 3})


@pytest.mark.parametrize("user, expected", [
    ({"rds-backup-retention": {"minimumDays": -1}},
     "policy 'rds-backup-retention': property 'minimumDays': -1 is less than the minimum of 1"),
    ({"rds-backup-retention": {"minimumDays": 30.5}},
     "policy 'rds-backup-retention': property 'minimumDays': 30.5 is not of type 'integer'"),
    ({"rds-backup-retention": {"mode": "loose"}},
     "policy 'rds-backup-retention': property 'mode': 'loose' is not one of ['strict', 'lax']"),
    ({"rds-backup-retention": {"engines": ["postgres", "oracle"]}},
     "policy 'rds-backup-retention': property 'engines[1]': 'oracle' is not one of ['postgres', 'mysql']"),
])
def test_validation_messages(validator, user, expected):
    with pytest.raises(ConfigError) as e:
        build_policy_config(INFO, user)
    assert str(e.value) == expected
    assert e.value.policy == "rds-backup-retention"


def test_required_property(validator):
    info = dict(INFO, initialConfig={})
    with pytest.raises(ConfigError) as e:
        build_policy_config(info)
    assert str(e.value) == "policy 'needs-key': property 'keyArn' is required"
    assert e.value.property == "keyArn"


def test_additional_properties_false(validator):
    info = {"policies": [{"name": "p", "enforcementLevel": "advisory",
                          "configSchema": {"properties": {"o": {"type": "object", "properties": {},
                                                                "additionalProperties": False}}}}]}
    with pytest.raises(ConfigError, match=r"property 'o.extra' is not allowed"):
        build_policy_config(info, {"p": {"o": {"extra": 1}}})
    assert build_policy_config(info, {"p": {"o": {}}})["p"]["o"] == {}


def test_integral_floats_are_integers(validator):
    assert build_policy_config(INFO, {"rds-backup-retention": {"minimumDays": 30.0}})
