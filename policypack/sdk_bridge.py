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

3. Per-type dispatch. For Analyze and Remediate the SDK walks every policy for every resource; the pack's
   policy list (`PolicyList`) yields only the policies whose type filter admits the request's type, which
   is exactly the set that could report. AnalyzeStack converts each resource once for all stack policies
   (`analyze_stack` below follows the SDK's own AnalyzeStack step by step, with the conversion hoisted).

Everything is guarded: if the SDK's internals differ from what is expected, nothing is patched and the
pack still works (slower), because `values.unwrap` understands the SDK's own proxies too.
"""
from __future__ import annotations

import asyncio
import functools
import threading
from collections.abc import Mapping
from typing import Any

import pulumi
from google.protobuf import struct_pb2
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


def struct_to_dict(message: struct_pb2.Struct) -> dict:
    """`json_format.MessageToDict` for a Struct, without its generic descriptor walk (same result)."""
    return {key: _value(value) for key, value in message.fields.items()}


def _value(value: struct_pb2.Value) -> Any:
    kind = value.WhichOneof("kind")
    if kind == "string_value":
        return value.string_value
    if kind == "number_value":
        return value.number_value
    if kind == "bool_value":
        return value.bool_value
    if kind == "struct_value":
        return struct_to_dict(value.struct_value)
    if kind == "list_value":
        return [_value(v) for v in value.list_value.values]
    return None


def _cache() -> dict | None:
    return getattr(_local, "cache", None)


def _per_request(method):
    """Wrap a servicer RPC so conversions are shared by every policy within that one request."""
    @functools.wraps(method)
    def wrapper(self, request, context):
        _local.cache = {}
        _local.request_type = getattr(request, "type", None) or None
        try:
            return method(self, request, context)
        finally:
            _local.cache = None
            _local.request_type = None
    return wrapper


class PolicyList(list):
    """The pack's policies; while a resource request is served, iteration yields only those for its type.

    Each SDK policy built by `PolicySpec.sdk_policy` carries `hipaa_guard_types` (its type filter). Policies
    without one, and every policy outside a resource request (GetAnalyzerInfo, AnalyzeStack), are always
    yielded. Thread-safe: the request type is per thread, as gRPC serves each RPC on one thread.
    """

    def __init__(self, policies) -> None:
        super().__init__(policies)
        self._by_type: dict[str, list] = {}

    def __iter__(self):
        rtype = getattr(_local, "request_type", None)
        if rtype is None:
            return super().__iter__()
        selected = self._by_type.get(rtype)
        if selected is None:
            selected = [p for p in list.__iter__(self)
                        if getattr(p, "hipaa_guard_types", None) is None or rtype in p.hipaa_guard_types]
            self._by_type[rtype] = selected
        return iter(selected)


def analyze_stack(self, request, _context):
    """The SDK's AnalyzeStack, with each resource converted once instead of once per stack policy."""
    from pulumi_policy import policy as sdk

    self._configure_runtime_settings()
    response = sdk.proto.AnalyzeResponse()
    policies = []
    for policy in self._PolicyAnalyzerServicer__policies:
        level = self._get_enforcement_level(policy)
        if level == sdk.EnforcementLevel.DISABLED or not isinstance(policy, sdk.StackValidationPolicy):
            continue
        policies.append((policy, sdk.EnforcementLevel.MANDATORY if level == sdk.EnforcementLevel.REMEDIATE
                         else level))
    from .policy import has_deferred, recheck_deferred  # the mechanism decides what Analyze left undecided
    if not policies and not has_deferred():
        return response

    resources, links = [], []
    for r in request.resources:
        props = sdk.unknown_checking_proxy(sdk.deserialize_properties(sdk.json_format.MessageToDict(r.properties)))
        resource = sdk.PolicyResource(r.type, props, r.urn, r.name, self._get_resource_options(r),
                                      self._get_provider_resource(r), None, [], {})
        resources.append(resource)
        links.append((resource, r.parent, list(r.dependencies),
                      {k: list(v.urns) for k, v in r.propertyDependencies.items()}))
    by_urn = {res.urn: res for res in resources}
    for resource, parent, dependencies, property_dependencies in links:
        resource.parent = by_urn.get(parent) if parent else None
        resource.dependencies = [by_urn[d] for d in dependencies if d in by_urn]
        resource.property_dependencies = {k: [by_urn[d] for d in v if d in by_urn]
                                          for k, v in property_dependencies.items()}

    name = self._PolicyAnalyzerServicer__policy_pack_name
    version = self._PolicyAnalyzerServicer__policy_pack_version
    for policy, level in policies:
        report_violation = self._create_report_violation(response, policy.name, policy.description, level,
                                                         policy.severity)
        args = sdk.StackValidationArgs(list(resources), self._get_policy_config(policy.name),
                                       self._PolicyAnalyzerServicer__stack_tags)
        try:
            result = policy.validate(args, report_violation)
            if sdk.isawaitable(result):
                loop = asyncio.new_event_loop()
                try:
                    loop.run_until_complete(result)
                finally:
                    loop.close()
        except sdk.UnknownValueError as e:
            response.diagnostics.append(sdk.proto.AnalyzeDiagnostic(
                policyName=policy.name, policyPackName=name, policyPackVersion=version,
                message=(f"can't run policy '{policy.name}' from policy pack '{name}@v{version}' during preview: "
                         f"{e.message}"),
                urn="", description=policy.description,
                enforcementLevel=self._map_enforcement_level(sdk.EnforcementLevel.ADVISORY)))
        except sdk._NotApplicableError as e:  # noqa: SLF001 - the SDK's own not-applicable signal
            response.not_applicable.append(sdk.proto.PolicyNotApplicable(policy_name=policy.name,
                                                                         reason=e.reason or ""))
    recheck_deferred(self, response, resources)
    return response


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
    needed = ("json_format", "deserialize_properties", "unknown_checking_proxy", "PolicyResource",
              "StackValidationArgs", "StackValidationPolicy", "UnknownValueError", "_NotApplicableError",
              "isawaitable", "proto")
    private = ("_configure_runtime_settings", "_get_enforcement_level", "_create_report_violation",
               "_get_resource_options", "_get_provider_resource", "_get_policy_config", "_map_enforcement_level")
    if servicer is None or not all(hasattr(sdk, n) for n in needed) or not all(
            hasattr(servicer, m) for m in ("Analyze", "AnalyzeStack", "Remediate", *private)):
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
                convert = struct_to_dict if isinstance(message, struct_pb2.Struct) else json_format.MessageToDict
                hit = (message, convert(message))
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
    servicer.AnalyzeStack = analyze_stack
    for name in ("Analyze", "AnalyzeStack", "Remediate"):
        setattr(servicer, name, _per_request(getattr(servicer, name)))
    _installed = True
    return True
