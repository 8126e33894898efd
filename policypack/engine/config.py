"""build_policy_config: the per-policy config the CLI sends with Configure.

Mirrors the CLI (pkg/resource/analyzer ReconcilePolicyPackConfig): start from every policy's default
enforcement level plus its schema defaults, apply the pack's initialConfig, then the user's
``--policy-pack-config`` JSON, then validate each policy's properties against its JSON schema. At each step an
``"all"`` entry sets the level of every policy first; an entry sets the level only when it names one (so the
user's ``{"p": {"x": 1}}`` keeps the level computed so far), and its properties are merged over the earlier
ones. initialConfig entries always carry a level on the wire (proto3 enum: properties only read as advisory).

Values are returned in wire form (numbers as floats: 30 becomes 30.0), which is what the pack receives and
what validation sees, as in the CLI. Validation uses ``jsonschema`` (Draft 7) when it is installed; it is a
dev extra, so without it a small built-in validator covers the keywords policy schemas use.

Deliberate differences from the CLI, both invisible to the pack: a user entry naming a policy the pack does
not have is an error (the CLI silently adds it), and no ``"all"`` entry is sent.
"""

from __future__ import annotations

import math
import re
from typing import Any, Mapping

from . import wire

LEVELS = ("advisory", "mandatory", "remediate", "disabled")


class ConfigError(ValueError):
    """Invalid policy configuration; ``policy`` and ``property`` name the culprit when there is one."""

    def __init__(self, message: str, *, policy: str | None = None, property: str | None = None,
                 errors: list[str] | None = None) -> None:
        super().__init__(message)
        self.policy = policy
        self.property = property
        self.errors = errors or [message]


def build_policy_config(analyzer_info: Mapping[str, Any], user_config: Mapping[str, Any] | None = None
                        ) -> dict[str, dict[str, Any]]:
    """{policy_name: {"enforcementLevel": level, **properties}} for every policy of the pack."""
    policies = analyzer_info.get("policies") or []
    names = {p["name"] for p in policies}

    result: dict[str, tuple[str, dict]] = {}
    for p in policies:
        schema = p.get("configSchema") or {}
        defaults = {k: v["default"] for k, v in (schema.get("properties") or {}).items()
                    if isinstance(v, Mapping) and "default" in v}
        result[p["name"]] = (p["enforcementLevel"], defaults)

    initial = {name: (entry.get("enforcementLevel"),
                      {k: v for k, v in entry.items() if k != "enforcementLevel"})
               for name, entry in (analyzer_info.get("initialConfig") or {}).items()}
    _apply(result, initial)

    user = parse_user_config(user_config)
    for name in user:
        if name != "all" and name not in names:
            raise ConfigError(f"unknown policy '{name}' in the policy pack config", policy=name)
    _apply(result, user)
    result.pop("all", None)

    config = {name: {"enforcementLevel": level, **wire.normalize(props)} for name, (level, props) in result.items()}
    errors: list[tuple[str, str | None, str]] = []
    for p in policies:
        schema = p.get("configSchema")
        if not schema:
            continue
        props = {k: v for k, v in config[p["name"]].items() if k != "enforcementLevel"}
        errors.extend((p["name"], prop, msg) for prop, msg in validate_properties(schema, props))
    if errors:
        lines = [f"policy '{policy}': {_describe(prop, msg)}" for policy, prop, msg in errors]
        raise ConfigError("; ".join(lines), policy=errors[0][0], property=errors[0][1], errors=lines)
    return config


_PROPERTY_PHRASES = ("is required", "is not allowed (additionalProperties is false)")


def _describe(prop: str | None, msg: str) -> str:
    if prop is None:
        return msg
    return f"property '{prop}' {msg}" if msg in _PROPERTY_PHRASES else f"property '{prop}': {msg}"


def parse_user_config(user_config: Mapping[str, Any] | None) -> dict[str, tuple[str | None, dict]]:
    """The ``--policy-pack-config`` JSON as {name: (level or None, properties)}; empty entries are dropped."""
    if user_config is None:
        return {}
    if not isinstance(user_config, Mapping):
        raise ConfigError("the policy pack config must be a JSON object of policy name to level or object")
    parsed = {}
    for name, value in user_config.items():
        if isinstance(value, str):
            level, props = _check_level(name, value), {}
        elif isinstance(value, Mapping):
            props = dict(value)
            level = _check_level(name, props.pop("enforcementLevel")) if "enforcementLevel" in props else None
        else:
            raise ConfigError(f"parsing '{name}': {value!r} is not a valid value; must be a string or object",
                              policy=name)
        if level is None and not props:
            continue
        parsed[name] = (level, props)
    return parsed


def _check_level(name: str, level: Any) -> str:
    if not isinstance(level, str) or level not in LEVELS:
        raise ConfigError(f"parsing enforcement level for '{name}': {level!r} is not a valid enforcement level "
                          f"(expected one of {', '.join(LEVELS)})", policy=name, property="enforcementLevel")
    return level


def _apply(result: dict[str, tuple[str, dict]], entries: Mapping[str, tuple[str | None, dict]]) -> None:
    all_level = entries.get("all", (None, {}))[0]
    if all_level:
        for name, (_, props) in list(result.items()):
            result[name] = (all_level, props)
    for name, (level, props) in entries.items():
        current_level, current_props = result.get(name, (None, {}))
        result[name] = (level or current_level, {**current_props, **props})


# -- validation ---------------------------------------------------------------------------------------------

def validate_properties(schema: Mapping[str, Any], props: Mapping[str, Any]) -> list[tuple[str | None, str]]:
    """Errors as (property path or None, message), validating against {type: object, properties, required}."""
    # JSON does not tell 1 from 1.0; showing wire floats that are whole as ints keeps messages readable.
    props = _whole_floats_as_ints(props)
    full = {"type": "object"}
    if schema.get("properties"):
        full["properties"] = _whole_floats_as_ints(schema["properties"])
    if schema.get("required"):
        full["required"] = list(schema["required"])
    try:
        import jsonschema
    except ImportError:
        return sorted(_MiniValidator().validate(full, props), key=lambda e: (e[0] or "", e[1]))
    validator = jsonschema.Draft7Validator(full)
    out = []
    for error in validator.iter_errors(props):
        path = _path(error.absolute_path)
        if not path and error.validator == "required":
            missing = next((r for r in error.validator_value if r not in error.instance), None)
            out.append((missing, "is required"))
        elif error.validator == "additionalProperties" and isinstance(error.instance, Mapping):
            allowed = set((error.schema.get("properties") or {}))
            for extra in sorted(k for k in error.instance if k not in allowed):
                out.append((_join(path, extra), "is not allowed (additionalProperties is false)"))
        else:
            out.append((path or None, error.message))
    return sorted(out, key=lambda e: (e[0] or "", e[1]))


def _whole_floats_as_ints(value: Any) -> Any:
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    if isinstance(value, Mapping):
        return {k: _whole_floats_as_ints(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_whole_floats_as_ints(v) for v in value]
    return value


def _path(parts) -> str:
    path = ""
    for part in parts:
        path = f"{path}[{part}]" if isinstance(part, int) else _join(path, part)
    return path


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class _MiniValidator:
    """The JSON-schema subset policy configs use, with jsonschema's wording. Only used without jsonschema."""

    _TYPES = {
        "object": lambda v: isinstance(v, Mapping),
        "array": lambda v: isinstance(v, list),
        "string": lambda v: isinstance(v, str),
        "boolean": lambda v: isinstance(v, bool),
        "null": lambda v: v is None,
        "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
        "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and math.isfinite(v) and v.is_integer()),
    }

    def validate(self, schema: Mapping[str, Any], value: Any, path: str = "") -> list[tuple[str | None, str]]:
        errors: list[tuple[str | None, str]] = []
        at = path or None
        kinds = schema.get("type")
        if kinds is not None:
            kinds_list = kinds if isinstance(kinds, list) else [kinds]
            if not any(self._TYPES.get(k, lambda v: True)(value) for k in kinds_list):
                return [(at, f"{value!r} is not of type {', '.join(repr(k) for k in kinds_list)}")]
        if "enum" in schema and value not in schema["enum"]:
            errors.append((at, f"{value!r} is not one of {schema['enum']!r}"))
        if "const" in schema and value != schema["const"]:
            errors.append((at, f"{schema['const']!r} was expected"))
        if self._TYPES["number"](value):
            if "minimum" in schema and value < schema["minimum"]:
                errors.append((at, f"{value!r} is less than the minimum of {schema['minimum']!r}"))
            if "maximum" in schema and value > schema["maximum"]:
                errors.append((at, f"{value!r} is greater than the maximum of {schema['maximum']!r}"))
            if "exclusiveMinimum" in schema and value <= schema["exclusiveMinimum"]:
                errors.append((at, f"{value!r} is less than or equal to the minimum of {schema['exclusiveMinimum']!r}"))
            if "exclusiveMaximum" in schema and value >= schema["exclusiveMaximum"]:
                errors.append((at, f"{value!r} is greater than or equal to the maximum of "
                                   f"{schema['exclusiveMaximum']!r}"))
        if isinstance(value, str):
            if "minLength" in schema and len(value) < schema["minLength"]:
                errors.append((at, f"{value!r} is too short"))
            if "maxLength" in schema and len(value) > schema["maxLength"]:
                errors.append((at, f"{value!r} is too long"))
            if "pattern" in schema and not re.search(schema["pattern"], value):
                errors.append((at, f"{value!r} does not match {schema['pattern']!r}"))
        if isinstance(value, list):
            if "minItems" in schema and len(value) < schema["minItems"]:
                errors.append((at, f"{value!r} should be non-empty" if schema["minItems"] == 1
                               else f"{value!r} is too short"))
            if "maxItems" in schema and len(value) > schema["maxItems"]:
                errors.append((at, f"{value!r} is too long"))
            items = schema.get("items")
            if isinstance(items, Mapping):
                for i, item in enumerate(value):
                    errors.extend(self.validate(items, item, f"{path}[{i}]"))
        if isinstance(value, Mapping):
            props = schema.get("properties") or {}
            for name in schema.get("required") or []:
                if name not in value:
                    errors.append((_join(path, name), "is required"))
            for key, item in value.items():
                if key in props:
                    errors.extend(self.validate(props[key], item, _join(path, key)))
                elif schema.get("additionalProperties") is False:
                    errors.append((_join(path, key), "is not allowed (additionalProperties is false)"))
                elif isinstance(schema.get("additionalProperties"), Mapping):
                    errors.extend(self.validate(schema["additionalProperties"], item, _join(path, key)))
        return errors
