"""Property values in wire form: the JSON of the protobuf ``Struct`` the Pulumi engine sends.

The engine marshals resource properties with ``KeepUnknowns`` and ``KeepSecrets``: an unknown value becomes
one of the sentinel strings below (a preview's computed outputs are string-typed, so almost always
``UNKNOWN``), and a secret becomes an object tagged with the signature key. Every number is a double
(``Struct`` has no integers): ``30`` arrives as ``30.0``. Tests and the offline capture use these helpers so
that they encode values exactly as the engine does.
"""

from __future__ import annotations

from typing import Any, Mapping

from google.protobuf import json_format, struct_pb2

# Sentinels from pulumi_policy.proxy (the same strings the Go engine writes).
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # string (the engine's default for computed values)
UNKNOWN_BOOL = "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7"
UNKNOWN_NUMBER = "3eeb2bf0-c639-47a8-9e75-3b44932eb421"
UNKNOWN_ARRAY = "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2"
UNKNOWN_OBJECT = "dd056dcd-154b-4c76-9bd3-c8f88648b5ff"
UNKNOWN_ASSET = "030794c1-ac77-496b-92df-f27374a8bd58"
UNKNOWN_ARCHIVE = "e48ece36-62e2-4504-bad9-02848725956a"

UNKNOWN_SENTINELS = {
    "string": UNKNOWN,
    "bool": UNKNOWN_BOOL,
    "number": UNKNOWN_NUMBER,
    "array": UNKNOWN_ARRAY,
    "object": UNKNOWN_OBJECT,
    "asset": UNKNOWN_ASSET,
    "archive": UNKNOWN_ARCHIVE,
}
_UNKNOWN_VALUES = frozenset(UNKNOWN_SENTINELS.values())

SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"

# The engine drops property keys starting with "__" (e.g. "__defaults") when it marshals properties for
# Analyze, AnalyzeStack and a provider's properties (SkipInternalKeys), but keeps them for Remediate.
INTERNAL_KEY_PREFIX = "__"


def unknown(kind: str = "string") -> str:
    """The sentinel the engine sends for an unknown value of `kind` (string, bool, number, array, ...)."""
    try:
        return UNKNOWN_SENTINELS[kind]
    except KeyError:
        raise ValueError(f"unknown kind {kind!r}; expected one of {sorted(UNKNOWN_SENTINELS)}") from None


def is_unknown(value: Any) -> bool:
    return isinstance(value, str) and value in _UNKNOWN_VALUES


def secret(value: Any) -> dict:
    """Wrap `value` as the engine marshals a secret."""
    return {SIG_KEY: SECRET_SIG, "value": value}


def is_secret(value: Any) -> bool:
    return isinstance(value, Mapping) and value.get(SIG_KEY) == SECRET_SIG


def reveal(value: Any) -> Any:
    """Recursively replace secret wrappers by their plaintext (what a policy sees)."""
    if is_secret(value):
        return reveal(value.get("value"))
    if isinstance(value, Mapping):
        return {k: reveal(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [reveal(v) for v in value]
    return value


def to_struct(properties: Mapping[str, Any] | None) -> struct_pb2.Struct:
    """A wire-form dict as a protobuf Struct (numbers become doubles, as on the engine's wire)."""
    s = struct_pb2.Struct()
    if properties:
        s.update(properties)
    return s


def from_struct(s: struct_pb2.Struct | None) -> dict:
    """A protobuf Struct back to a wire-form dict."""
    if s is None:
        return {}
    return json_format.MessageToDict(s)


def normalize(properties: Mapping[str, Any] | None) -> dict:
    """What `properties` look like after a trip over the wire (ints become floats, tuples lists)."""
    return from_struct(to_struct(properties))


def strip_internal_keys(value: Any) -> Any:
    """Drop object keys starting with ``__`` at every level, as the engine's SkipInternalKeys does."""
    if isinstance(value, Mapping):
        return {k: strip_internal_keys(v) for k, v in value.items()
                if not (isinstance(k, str) and k.startswith(INTERNAL_KEY_PREFIX))}
    if isinstance(value, (list, tuple)):
        return [strip_internal_keys(v) for v in value]
    return value
