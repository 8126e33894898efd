"""Wire-form property values, as the Pulumi engine sends them to an analyzer.

The capture keeps every property value in the JSON form of the protobuf ``Struct`` the engine would send
(docs/architecture.md §1), so the engine client can pass them on untouched. This module holds the few
sentinels of that form and helpers to build or read them. Stdlib only: it is imported by the runner in the
program's own interpreter.
"""

from __future__ import annotations

from typing import Any

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
"""The engine's marker for a value not known until the resource exists (``rpc.UNKNOWN``)."""

SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17"
ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7"
# The fields the engine keeps when it reads an asset or archive (pulumi/sdk/go/common/resource/asset.go and
# archive/archive.go, Deserialize*): what the Node SDK sends besides them (its objects' own `__pulumiAsset` and
# `__pulumiArchive` markers) never reaches an analyzer.
_ASSET_FIELDS = {SIG_KEY, "hash", "text", "path", "uri"}
_ARCHIVE_FIELDS = {SIG_KEY, "hash", "assets", "path", "uri"}


def as_engine_reads(value: Any) -> Any:
    """A value as the engine holds it after reading a RegisterResource request: assets and archives carry only
    the fields the engine deserializes. Other values are returned as they are (the same object when nothing
    changes)."""
    if isinstance(value, dict):
        sig = value.get(SIG_KEY)
        if sig == ASSET_SIG:
            return {k: v for k, v in value.items() if k in _ASSET_FIELDS}
        if sig == ARCHIVE_SIG:
            kept = {k: v for k, v in value.items() if k in _ARCHIVE_FIELDS}
            if isinstance(kept.get("assets"), dict):
                kept["assets"] = {name: as_engine_reads(v) for name, v in kept["assets"].items()}
            return kept
        changed = {k: as_engine_reads(v) for k, v in value.items()}
        return value if all(changed[k] is value[k] for k in value) else changed
    if isinstance(value, list):
        changed = [as_engine_reads(v) for v in value]
        return value if all(a is b for a, b in zip(changed, value)) else changed
    return value


def secret(value: Any) -> dict:
    """Wrap a value the way the engine marks a secret."""
    return {SIG_KEY: SECRET_SIG, "value": value}


def is_secret(value: Any) -> bool:
    return isinstance(value, dict) and value.get(SIG_KEY) == SECRET_SIG


def unwrap(value: Any) -> Any:
    """The plain value behind a secret wrapper (or the value itself)."""
    return value["value"] if is_secret(value) else value


def is_unknown(value: Any) -> bool:
    return isinstance(value, str) and value == UNKNOWN


def known(value: Any) -> Any:
    """The value if it is known (secrets unwrapped), else None."""
    value = unwrap(value)
    return None if is_unknown(value) else value


def as_int(value: Any, default: int | None = None) -> int | None:
    """Numbers arrive as floats on the wire (30 -> 30.0); read one as an int when it is known."""
    value = known(value)
    if isinstance(value, bool) or value is None:
        return default
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return default


def as_bool(value: Any, default: bool) -> bool:
    value = known(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return default


def strings_in(value: Any):
    """Every string inside a wire value (secret values included), for scanning."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)
