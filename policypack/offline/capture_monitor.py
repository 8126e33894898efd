"""A mock resource monitor that keeps every registration, in the engine's shape.

`pulumi.runtime.set_mocks` routes the SDK's gRPC calls to a monitor object. The stock `MockMonitor` asks a
`Mocks` for outputs and forgets the request; this subclass keeps each RegisterResourceRequest (inputs in wire
form, parent, dependencies, provider, options, source position), answers with provider-aware outputs
(`mock_outputs`, `mock_invokes`), and creates the default providers the engine would create, configured from
the stack's config. It runs in the program's interpreter: it needs the Pulumi SDK and the stdlib only.
"""

from __future__ import annotations

import importlib.metadata
import json
import re
import threading
from pathlib import Path
from typing import Any, Optional
from urllib.parse import unquote, urlparse

from google.protobuf import json_format, struct_pb2
from pulumi.runtime.mocks import MockCallArgs, MockMonitor, MockResourceArgs, Mocks
from pulumi.runtime.proto import resource_pb2

try:
    from . import mock_invokes, mock_outputs, wire
except ImportError:  # pragma: no cover
    import mock_invokes, mock_outputs, wire  # type: ignore[no-redef]  # noqa: E401

STACK_TYPE = "pulumi:pulumi:Stack"
PROVIDER_PREFIX = "pulumi:providers:"


class UnusedMocks(Mocks):
    """`set_mocks` wants a Mocks; this monitor answers every call itself."""

    def new_resource(self, args: MockResourceArgs):  # pragma: no cover - never called
        return "", {}

    def call(self, args: MockCallArgs):  # pragma: no cover - never called
        return {}, None


def to_wire(struct: struct_pb2.Struct) -> dict:
    return json_format.MessageToDict(struct)


def to_struct(value: dict) -> struct_pb2.Struct:
    return json_format.ParseDict(value, struct_pb2.Struct())


def provider_version(package: str) -> str | None:
    """Version of the installed SDK of a provider package (what the engine would load)."""
    for dist in (f"pulumi_{package}", f"pulumi-{package}"):
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def default_provider_name(version: str | None) -> str:
    """The engine names default providers `default_<version with . and - as _>` (e.g. default_7_51_1)."""
    return "default" if not version else "default_" + re.sub(r"[^0-9A-Za-z]", "_", version)


_RESULT_FIELDS: dict[str, dict[str, str]] = {}


def required_result_fields(token: str) -> dict[str, str]:
    """Wire name -> kind ("str", "list", "dict", "bool", "number") of each non-optional field of the SDK's
    result type for invoke `token` (`aws:route53/getZone:getZone` -> pulumi_aws.route53.GetZoneResult);
    empty when the SDK or the type cannot be found."""
    if token in _RESULT_FIELDS:
        return _RESULT_FIELDS[token]
    fields: dict[str, str] = {}
    try:
        import importlib
        import typing

        import pulumi._types as pulumi_types

        pkg, module, function = token.split(":")
        mod = module.split("/", 1)[0]
        package = importlib.import_module(f"pulumi_{pkg}" + ("" if mod == "index" else f".{mod.replace('-', '_')}"))
        cls = getattr(package, function[:1].upper() + function[1:] + "Result", None)
        if cls is not None and pulumi_types.is_output_type(cls):
            for name, typ in pulumi_types.output_type_types(cls).items():
                if type(None) in typing.get_args(typ):
                    continue  # Optional: a real answer may leave it out too
                origin = typing.get_origin(typ) or typ
                kind = ("str" if origin is str else "bool" if origin is bool else
                        "number" if origin in (int, float) else
                        "list" if origin in (list, typing.Sequence) or str(origin).endswith("Sequence'>") else
                        "dict" if origin in (dict, typing.Mapping) or str(origin).endswith("Mapping'>") else None)
                if kind:
                    fields[name] = kind
    except Exception:  # noqa: BLE001 - no SDK, an unusual token: answer as before
        fields = {}
    _RESULT_FIELDS[token] = fields
    return fields


class CaptureMonitor(MockMonitor):
    def __init__(self, ctx: mock_outputs.MockContext, *, project: str, stack: str, config: dict[str, str],
                 program_root: Path, excluded_dirs: list[Path], computed_unknown: bool = False):
        super().__init__(UnusedMocks())
        # `pulumi preview` on a new stack: what the provider computes (ids, ARNs, endpoints, generated
        # values) is unknown; inputs, auto-names (Check) and invoke results are known.
        self.computed_unknown = computed_unknown
        self.ctx = ctx
        self.project = project
        self.stack = stack
        self.config = config
        self.program_root = program_root
        self.excluded_dirs = excluded_dirs
        self._lock = threading.Lock()
        self.records: list[dict] = []  # arrival order; the runner sorts by construction order
        self.by_urn: dict[str, dict] = {}
        self.default_providers: dict[tuple[str, str | None], dict] = {}
        self.invokes: list[dict] = []

    # --- helpers --------------------------------------------------------------------------------
    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """As the engine builds URNs: a child's type is qualified by its parents' types, except the stack's."""
        if parent and not parent.split("::")[2].endswith(STACK_TYPE):
            type_ = parent.split("::")[2] + "$" + type_
        return f"{self._stack_urn_prefix()}{type_}::{name}"

    def _stack_urn_prefix(self) -> str:
        return f"urn:pulumi:{self.stack}::{self.project}::"

    def _default_provider_ref(self, package: str, version: str | None, first_user: str) -> str:
        """Reference to the engine's default provider for `package`, creating its record on first use."""
        version = version or provider_version(package)
        key = (package, version)
        with self._lock:
            record = self.default_providers.get(key)
            if record is None:
                inputs: dict[str, Any] = {}
                for full_key, value in self.config.items():
                    ns, _, name = full_key.partition(":")
                    if ns == package and name:
                        inputs[name] = _config_value(value)
                if version:
                    inputs["version"] = version
                name = default_provider_name(version)
                urn = f"{self._stack_urn_prefix()}{PROVIDER_PREFIX}{package}::{name}"
                record = _record(type_=PROVIDER_PREFIX + package, name=name, urn=urn, custom=True, id_=wire.UNKNOWN,
                                 inputs=inputs, outputs=dict(inputs), parent=None)
                record["_first_user"] = first_user
                self.default_providers[key] = record
                self.by_urn[urn] = record
        return f"{record['urn']}::{wire.UNKNOWN}"

    def _provider_region(self, provider_ref: str | None) -> str | None:
        if not provider_ref:
            return None
        record = self.by_urn.get(provider_ref.rsplit("::", 1)[0])
        region = wire.known((record or {}).get("inputs", {}).get("region"))
        return region if isinstance(region, str) else None

    def _region(self, inputs: dict, provider_ref: str | None) -> str:
        region = wire.known(inputs.get("region"))
        if isinstance(region, str) and region:
            return region
        return self._provider_region(provider_ref) or mock_outputs.DEFAULT_REGION

    def _source(self, request) -> dict | None:
        """First frame of the request's stack trace inside the program (not in a venv or site-packages)."""
        trace = getattr(request, "stackTrace", None)
        for frame in getattr(trace, "frames", []):
            uri = frame.pc.uri if frame.HasField("pc") else ""
            if not uri:
                continue
            text = unquote(urlparse(uri).path)
            if "file:" in text:  # an ES module's frame is a file URL already, which the Node SDK made a URL again
                text = unquote(urlparse(text[text.rindex("file:"):]).path)
            path = Path(text)
            if self.in_program(path):
                return {"file": str(path), "line": frame.pc.line}
        return None

    def in_program(self, path: Path) -> bool:
        if "site-packages" in path.parts or not path.is_relative_to(self.program_root):
            return False
        return not any(path.is_relative_to(d) for d in self.excluded_dirs)

    # --- monitor RPCs ---------------------------------------------------------------------------
    def RegisterResource(self, request):
        urn = self.make_urn(request.parent, request.type, request.name)
        inputs = wire.as_engine_reads(to_wire(request.object))
        type_ = request.type
        parent = request.parent or None
        if type_ == STACK_TYPE:
            record = _record(type_=type_, name=request.name, urn=urn, custom=False, id_=None,
                             inputs=inputs, outputs={}, parent=None)
            self._keep(record)
            return resource_pb2.RegisterResourceResponse(urn=urn)

        custom = bool(request.custom)
        is_provider = type_.startswith(PROVIDER_PREFIX)
        provider_ref = request.provider or None
        if custom and not is_provider and not provider_ref:
            provider_ref = self._default_provider_ref(type_.split(":", 1)[0], request.version or None, urn)

        if is_provider:
            # A provider is created during the preview: its id is unknown, as in references to it.
            id_, checked, outputs = "", inputs, dict(inputs)
        elif custom:
            id_, checked, outputs = mock_outputs.new_resource(
                self.ctx, type_, request.name, urn, inputs, self._region(inputs, provider_ref))
            if self.computed_unknown:
                id_ = ""
                outputs = {k: (v if k in checked else wire.UNKNOWN) for k, v in outputs.items()}
        else:
            id_, checked, outputs = "", inputs, {}
        for key in request.additionalSecretOutputs:
            if key in outputs and not wire.is_secret(outputs[key]):
                outputs[key] = wire.secret(outputs[key])

        record = _record(
            type_=type_, name=request.name, urn=urn, custom=custom,
            id_=(id_ or wire.UNKNOWN) if custom else None,
            inputs=checked, outputs=outputs, parent=parent,
            # The SDK sends these from sets (hash order): sorted, so two captures are identical.
            dependencies=sorted(request.dependencies),
            property_dependencies={k: sorted(v.urns) for k, v in sorted(request.propertyDependencies.items())},
            provider=provider_ref if custom else None,
            options=_options(request),
            source=self._source(request),
        )
        self._keep(record)
        self.resources[urn] = MockMonitor.ResourceRegistration(urn, id_, {})
        return resource_pb2.RegisterResourceResponse(urn=urn, id=id_, object=to_struct(outputs))

    def ReadResource(self, request):
        urn = self.make_urn(request.parent, request.type, request.name)
        inputs = to_wire(request.properties)
        provider_ref = request.provider or self._default_provider_ref(
            request.type.split(":", 1)[0], request.version or None, urn)
        _, checked, outputs = mock_outputs.new_resource(
            self.ctx, request.type, request.name, urn, inputs, self._region(inputs, provider_ref))
        record = _record(type_=request.type, name=request.name, urn=urn, custom=True, id_=request.id,
                         inputs=checked, outputs=outputs, parent=request.parent or None,
                         dependencies=sorted(request.dependencies), provider=provider_ref,
                         options=_options(None), source=self._source(request))
        record["external"] = True
        self._keep(record)
        self.resources[urn] = MockMonitor.ResourceRegistration(urn, request.id, {})
        return resource_pb2.ReadResourceResponse(urn=urn, properties=to_struct(outputs))

    def RegisterResourceOutputs(self, request):
        outputs = to_wire(request.outputs)
        with self._lock:
            record = self.by_urn.get(request.urn)
            if record is not None:
                record["outputs"] = outputs
        return super().RegisterResourceOutputs(request)

    def Invoke(self, request):
        args = to_wire(request.args)
        if request.tok == "pulumi:pulumi:getResource":
            record = self.by_urn.get(wire.known(args.get("urn")) or "")
            if record is None:
                raise Exception(f"unknown resource {args.get('urn')}")
            ret = {"urn": record["urn"], "id": record["id"] or "", "state": record["outputs"]}
            return resource_pb2.ResourceInvokeResponse(**{"return": to_struct(ret)})
        provider_ref = request.provider or self._default_provider_ref(
            request.tok.split(":", 1)[0], getattr(request, "version", "") or None, f"invoke:{request.tok}")
        region = self._region(args, provider_ref)
        result = mock_invokes.call(self.ctx, request.tok, args, region, required_result_fields(request.tok))
        with self._lock:
            self.invokes.append({"token": request.tok, "args": args, "provider": provider_ref})
        return resource_pb2.ResourceInvokeResponse(**{"return": to_struct(result)})

    def _keep(self, record: dict) -> None:
        with self._lock:
            self.records.append(record)
            self.by_urn[record["urn"]] = record


def _config_value(value: str) -> Any:
    """Structured config (objects, lists) reaches a provider as data, plain values as strings."""
    if value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            pass
    return value


def _options(request) -> dict:
    if request is None:
        return {"protect": False, "ignore_changes": [], "delete_before_replace": None, "aliases": [],
                "additional_secret_outputs": [], "custom_timeouts": None}
    timeouts = request.customTimeouts
    custom_timeouts: Optional[dict] = None
    if request.HasField("customTimeouts") and (timeouts.create or timeouts.update or timeouts.delete):
        custom_timeouts = {"create": timeouts.create or None, "update": timeouts.update or None,
                           "delete": timeouts.delete or None}
    return {
        "protect": bool(request.protect),
        "ignore_changes": list(request.ignoreChanges),
        "delete_before_replace": bool(request.deleteBeforeReplace) if request.deleteBeforeReplaceDefined else None,
        "aliases": [json_format.MessageToDict(a) for a in request.aliases] + [{"urn": u} for u in request.aliasURNs],
        "additional_secret_outputs": list(request.additionalSecretOutputs),
        "custom_timeouts": custom_timeouts,
    }


def _record(*, type_: str, name: str, urn: str, custom: bool, id_: Optional[str], inputs: dict, outputs: dict,
            parent: Optional[str], dependencies: Optional[list] = None, property_dependencies: Optional[dict] = None,
            provider: Optional[str] = None, options: Optional[dict] = None, source: Optional[dict] = None) -> dict:
    """One CapturedResource (docs/architecture.md §1)."""
    return {
        "type": type_, "name": name, "urn": urn, "custom": custom, "id": id_,
        "inputs": inputs, "outputs": outputs, "parent": parent,
        "dependencies": dependencies or [], "property_dependencies": property_dependencies or {},
        "provider": provider, "options": options or _options(None), "source": source,
    }
