"""How the pack adapts the pulumi-policy Python SDK (1.x) it runs inside. Two adaptations, one place:

1. Secret markers. The SDK unwraps secrets before a validation sees them (design.md), which would leave a
   policy unable to tell a secret from plain text, and so unable to keep it out of its messages. Here
   properties are deserialized with `Secret` markers kept (as the SDK already does for Remediate), and
   `values.Props` strips them for checking and renders them as `[secret]` for display.
2. One deserialization per request. The SDK converts and deserializes a request's properties once *per
   policy* (MessageToDict, deserialize, an unknown-checking proxy) and, for AnalyzeStack, every resource once
   per stack policy: with ~30 policies that is most of the time spent per resource. Within one RPC the
   same protobuf message now converts once. The unknown-checking proxy is not needed: every policy reads
   through `values.Props`, which handles unknowns itself without the SDK's "can't run policy" noise.

Everything is guarded: if the SDK's internals differ from what is expected, nothing is patched and the
pack still works (slower), because `values.unwrap` understands the SDK's own proxies too.
"""
from __future__ import annotations

import functools
import threading
from collections.abc import Mapping
from typing import Any

import pulumi
from pulumi_policy.secret import Secret

_SIG = "4dabf18193072939515e22adb298388d"
_SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
_ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17"
_ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7"

_local = threading.local()
_installed = False


class RawProps(Mapping):
    """Stands where the SDK puts its unknown-checking proxy: a read-only mapping over the plain tree."""

    __slots__ = ("_tree",)

    def __init__(self, tree: dict) -> None:
        self._tree = tree

    def __getitem__(self, key):
        if key == "__target":
            return self._tree
        return self._tree[key]

    def __iter__(self):
        return iter(self._tree)

    def __len__(self) -> int:
        return len(self._tree)


def deserialize(value: Any) -> Any:
    """Wire JSON -> plain Python, keeping secrets as `Secret` and assets/archives as the SDK builds them."""
    if isinstance(value, list):
        return [deserialize(v) for v in value]
    if isinstance(value, dict):
        sig = value.get(_SIG)
        if sig is None:
            return {k: deserialize(v) for k, v in value.items()}
        if sig == _SECRET_SIG:
            return Secret(deserialize(value.get("value")))
        if sig == _ASSET_SIG:
            for key, cls in (("path", pulumi.FileAsset), ("text", pulumi.StringAsset), ("uri", pulumi.RemoteAsset)):
                if key in value:
                    return cls(value[key])
        if sig == _ARCHIVE_SIG:
            if "assets" in value:
                return pulumi.AssetArchive({k: deserialize(v) for k, v in value["assets"].items()})
            for key, cls in (("path", pulumi.FileArchive), ("uri", pulumi.RemoteArchive)):
                if key in value:
                    return cls(value[key])
        return {k: deserialize(v) for k, v in value.items()}
    return value


def _cache() -> dict | None:
    return getattr(_local, "cache", None)


def _per_request(method):
    """Wrap a servicer RPC so conversions are shared by every policy within that one request."""
    @functools.wraps(method)
    def wrapper(self, request, context):
        _local.cache = {}
        try:
            return method(self, request, context)
        finally:
            _local.cache = None
    return wrapper


def request_cache() -> dict | None:
    """A dict that lives for the current RPC (None outside one): views are memoized here."""
    return _cache()


def install() -> bool:
    """Apply both adaptations to the loaded SDK; returns False (and changes nothing) if it looks different."""
    global _installed
    if _installed:
        return True
    from pulumi_policy import policy as sdk

    servicer = getattr(sdk, "_PolicyAnalyzerServicer", None)
    needed = ("json_format", "deserialize_properties", "unknown_checking_proxy")
    if servicer is None or not all(hasattr(sdk, n) for n in needed) or not all(
            hasattr(servicer, m) for m in ("Analyze", "AnalyzeStack", "Remediate")):
        return False

    json_format = sdk.json_format
    original_deserialize = sdk.deserialize_properties

    class _CachingJsonFormat:
        """`json_format` as the SDK module sees it, with MessageToDict shared within a request."""

        def __getattr__(self, name):
            return getattr(json_format, name)

        @staticmethod
        def MessageToDict(message, *args, **kwargs):  # noqa: N802 - the protobuf name
            cache = _cache()
            if cache is None or args or kwargs:
                return json_format.MessageToDict(message, *args, **kwargs)
            key = ("m2d", id(message))
            hit = cache.get(key)
            if hit is None or hit[0] is not message:
                hit = (message, json_format.MessageToDict(message))
                cache[key] = hit
            return hit[1]

    def deserialize_properties(props, proxy_secrets=False):
        if proxy_secrets:  # Remediate: keep the SDK's secret-preserving proxy for remediation writes
            return original_deserialize(props, True)
        cache = _cache()
        if cache is None:
            return deserialize(props)
        key = ("des", id(props))
        hit = cache.get(key)
        if hit is None or hit[0] is not props:
            hit = (props, deserialize(props))
            cache[key] = hit
        return hit[1]

    sdk.json_format = _CachingJsonFormat()
    sdk.deserialize_properties = deserialize_properties
    sdk.unknown_checking_proxy = RawProps
    for name in ("Analyze", "AnalyzeStack", "Remediate"):
        setattr(servicer, name, _per_request(getattr(servicer, name)))
    _installed = True
    return True
