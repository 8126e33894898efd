"""What the providers would compute for a new resource, so policies see plausible outputs offline.

The Pulumi mock monitor only echoes inputs. A real provider also fills in what the program left out:
auto-names (done at Check time, so the engine's analyzer sees them among the *inputs*), ids, ARNs in the
resource's region, endpoints, and for ``random`` the generated values. Which values, per type token, is data:
``mock_knowledge.json`` (evaluated by ``mock_knowledge.py``); this module applies it to one resource and holds
the algorithms the data names (``COMPUTE``). Everything is deterministic, seeded by the resource's URN, so two
captures of one program are identical.

Values stay in wire form (``wire.py``); this module is stdlib only because the runner imports it in the
program's own interpreter.
"""

from __future__ import annotations

import base64
import random as _random
import string
from dataclasses import dataclass, field

try:  # imported as policypack.offline.mock_outputs or by the runner as a sibling module
    from . import output_shapes, wire
    from .mock_knowledge import Evaluation, Scope, digest, kebab, knowledge
except ImportError:  # pragma: no cover - the runner sets up the package; this is a safety net
    import output_shapes, wire  # type: ignore[no-redef]  # noqa: E401
    from mock_knowledge import Evaluation, Scope, digest, kebab, knowledge  # type: ignore[no-redef]

_DATA = knowledge()
FAKE_ACCOUNT_ID: str = _DATA["account_id"]
"""Deliberately not a placeholder account a policy flags (123456789012, 000000000000)."""
DEFAULT_REGION: str = _DATA["default_region"]
GLOBAL_SERVICES = frozenset(_DATA["global_services"])
STAND_IN_MARKER: str = _DATA["stand_in_marker"]
"""The key every JSON document the mocks invent carries, so the program's parse of it can answer any field."""
ARN_SERVICES = {k: v for k, v in _DATA["arn_services"].items() if not k.startswith("_")}
RANDOM_DEFAULT_SPECIAL: str = _DATA["random_default_special"]  # terraform-provider-random's default special set
PREFIXED_SUFFIX_LENGTH: int = _DATA["prefixed_suffix_length"]
"""The provider names `<prop>_prefix` resources `<prefix><26 characters>` (terraform-plugin-sdk PrefixedUniqueId:
a timestamp and a counter)."""

__all__ = ["DEFAULT_REGION", "FAKE_ACCOUNT_ID", "MockContext", "autoname", "digest", "new_resource", "random_chars"]


@dataclass
class MockContext:
    account_id: str = FAKE_ACCOUNT_ID
    zones: dict[str, list[str]] = field(default_factory=dict)  # region -> zone names


def resource_row(type_: str) -> dict:
    """The knowledge of one type token: its row merged over its package's defaults (the row wins)."""
    defaults = _DATA["defaults"].get(type_.split(":", 1)[0], _DATA["defaults"]["*"])
    row = _DATA["resources"].get(type_, {})
    return {"autoname": row.get("autoname"), "values": {**defaults.get("values", {}), **row.get("values", {})}}


def autoname(type_: str, name: str, urn: str, inputs: dict | None = None) -> tuple[str, str] | None:
    """(property, value) the provider would auto-name, as `<name>-<7 hex>` within the type's limit, or, when the
    program gave a `<prop>Prefix` (name_prefix, bucket_prefix, identifier_prefix, ...), as the prefix followed by
    26 generated characters (cut to the limit: an over-long prefix is reported once, by the prefix's own rule)."""
    rule = resource_row(type_)["autoname"]
    if rule is None:
        return None
    prop, lower, limit = rule["property"], rule["lowercase"], rule["max_length"]
    given = (inputs or {}).get(f"{prop}Prefix")
    if given is not None and wire.known(given) is None:
        return prop, wire.UNKNOWN  # a prefix not known yet: so is the name
    prefix = wire.known(given)
    if isinstance(prefix, str) and prefix:
        digits = str(int(digest(urn, 24), 16)).rjust(PREFIXED_SUFFIX_LENGTH, "0")[-PREFIXED_SUFFIX_LENGTH:]
        return prop, ((prefix.lower() if lower else prefix) + digits)[:limit]
    suffix = "-" + digest(urn, 7)
    base = name.lower() if lower else name
    return prop, base[: max(1, limit - len(suffix))] + suffix


def _type_parts(type_: str) -> tuple[str, str, str]:
    """`aws:rds/instance:Instance` -> ("aws", "rds", "instance")."""
    pkg, module, _ = (type_.split(":") + ["", ""])[:3]
    mod, _, res = module.partition("/")
    return pkg, mod, res


# --- algorithms the data names ({"compute": NAME}) ---------------------------------------------------
def random_chars(props: dict, seed: str) -> str | None:
    """A value honouring RandomPassword/RandomString settings, like terraform-provider-random builds it:
    the minimum counts of each class first, then the rest from every enabled class, then shuffled."""
    length = wire.as_int(props.get("length"))
    if length is None:
        return None
    numeric = wire.as_bool(props.get("numeric", props.get("number")), True)
    classes = [
        (string.ascii_uppercase if wire.as_bool(props.get("upper"), True) else "", wire.as_int(props.get("minUpper"), 0)),
        (string.ascii_lowercase if wire.as_bool(props.get("lower"), True) else "", wire.as_int(props.get("minLower"), 0)),
        (string.digits if numeric else "", wire.as_int(props.get("minNumeric"), 0)),
    ]
    if wire.as_bool(props.get("special"), True):
        override = wire.known(props.get("overrideSpecial"))
        special = override if isinstance(override, str) and override else RANDOM_DEFAULT_SPECIAL
        classes.append((special, wire.as_int(props.get("minSpecial"), 0)))
    rng = _random.Random(seed)
    chars = [rng.choice(cs) for cs, minimum in classes if cs for _ in range(minimum or 0)]
    pool = "".join(cs for cs, _ in classes)
    if not pool:
        return None
    chars += [rng.choice(pool) for _ in range(max(0, length - len(chars)))]
    rng.shuffle(chars)
    return "".join(chars)


def _random_chars(scope: Scope) -> str:
    value = random_chars(scope.inputs, scope.seed)
    return wire.UNKNOWN if value is None else value


def _random_id(scope: Scope) -> dict:
    rng = _random.Random(scope.seed)
    n = wire.as_int(scope.inputs.get("byteLength"), 8) or 8
    raw = bytes(rng.getrandbits(8) for _ in range(n))
    b64url = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    prefix = wire.known(scope.inputs.get("prefix")) or ""
    return {"id": b64url, "hex": prefix + raw.hex(), "b64Url": prefix + b64url,
            "b64Std": prefix + base64.b64encode(raw).decode(), "dec": prefix + str(int.from_bytes(raw, "big"))}


def _random_integer(scope: Scope) -> int:
    lo, hi = wire.as_int(scope.inputs.get("min"), 0), wire.as_int(scope.inputs.get("max"), 0)
    return _random.Random(scope.seed).randint(min(lo, hi), max(lo, hi))


def _random_pet(scope: Scope, words: list[str]) -> str:
    rng = _random.Random(scope.seed)
    length = wire.as_int(scope.inputs.get("length"), 2) or 2
    parts = rng.choice(words).split("-")[:length] + ["x"] * max(0, length - 2)
    prefix = wire.known(scope.inputs.get("prefix"))
    return (wire.known(scope.inputs.get("separator")) or "-").join(([prefix] if prefix else []) + parts)


def _random_shuffle(scope: Scope) -> list | None:
    items = wire.known(scope.inputs.get("inputs"))
    if not isinstance(items, list):
        return None
    items = list(items)
    _random.Random(scope.seed).shuffle(items)
    return items


COMPUTE = {"random_chars": _random_chars, "random_id": _random_id, "random_integer": _random_integer,
           "random_pet": _random_pet, "random_shuffle": _random_shuffle}


# --- entry point -------------------------------------------------------------------------------------
def new_resource(ctx: MockContext, type_: str, name: str, urn: str, inputs: dict,
                 region: str | None) -> tuple[str, dict, dict]:
    """Return (id, checked inputs, outputs) for a new custom resource.

    Checked inputs are the inputs plus what the provider's Check adds (auto-names); outputs are the checked
    inputs plus what the provider computes (mock_knowledge.json). An output the program set is never overwritten.
    """
    checked = dict(inputs)
    named = autoname(type_, name, urn, inputs)
    if named and named[0] not in checked:
        checked[named[0]] = named[1]
    _, module, resource = _type_parts(type_)
    region = region or DEFAULT_REGION
    specs = resource_row(type_)["values"]
    facts = {"name": name, "urn": urn, "region": region, "account": ctx.account_id, "module": module,
             "arn_service": ARN_SERVICES.get(module, module),
             "resource": resource, "kebab_resource": kebab(resource),
             "regional": "" if module in GLOBAL_SERVICES else region, "default_id": f"{name}-{digest(urn, 8)}"}
    values = Evaluation(specs, Scope(seed=urn, inputs=checked, facts=facts, compute=COMPUTE))
    rid = values.value("id") if "id" in specs else None
    outputs = dict(checked)
    for key in specs:
        if key == "id" or key.startswith("_") or key in outputs:
            continue
        value = values.value(key)
        if value is not None:
            outputs[key] = value
    return (facts["default_id"] if rid is None else str(rid)), checked, shape_outputs(type_, outputs)


def shape_outputs(type_: str, outputs: dict) -> dict:
    """The one hook where outputs are shaped as the provider's output types shape them (a dict policy becomes a
    JSON string, a single object a one-element list: output_shapes.py)."""
    return output_shapes.shape_outputs(type_, outputs)
