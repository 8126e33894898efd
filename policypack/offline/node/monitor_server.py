"""The ResourceMonitor gRPC service a Node.js program talks to, backed by the Python capture monitor.

A Node program runs under @pulumi/pulumi's own run script, which connects to a resource monitor at
`--monitor` exactly as under `pulumi preview`. Serving that protocol with the same `CaptureMonitor` the
Python capture uses means one implementation of everything engine-side (URNs, default providers, the mock
outputs and invoke answers, the record shape) for both languages: the Node side has no mocks of its own.
"""

from __future__ import annotations

import re
import threading
from concurrent import futures

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import callback_pb2, callback_pb2_grpc, resource_pb2, resource_pb2_grpc

from .. import mock_knowledge, wire
from ..capture_monitor import CaptureMonitor

# What the Node SDK may rely on. `outputValues` is off, as in the SDK's own mock monitors, so inputs arrive as
# plain wire values (unknown and secret sentinels), the form the Python capture records. A feature the CLI has and
# this monitor did not claim makes the SDK refuse the program ("The Pulumi CLI does not support ..."), so every
# one a program may use is claimed: `deletedWith` and `aliasSpecs` only change what a request carries (the
# capture records both), `transforms` is served below.
SUPPORTED_FEATURES = {
    "secrets": resource_pb2.RESOURCE_MONITOR_FEATURE_SECRETS,
    "resourceReferences": resource_pb2.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES,
    "deletedWith": resource_pb2.RESOURCE_MONITOR_FEATURE_DELETED_WITH,
    "aliasSpecs": resource_pb2.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS,
    "transforms": resource_pb2.RESOURCE_MONITOR_FEATURE_TRANSFORMS,
}


class Transforms:
    """The engine's half of resource transforms (`registerResourceTransform`, the `transforms` option): before a
    registration is recorded, its own transforms run, then those of each ancestor, then the stack's, in that
    order, each a call back into the program's callback server that returns new properties and options (as the
    engine does in source_eval.go RegisterResource)."""

    def __init__(self, make_urn) -> None:
        self.make_urn = make_urn
        self.stack: list = []  # callback_pb2.Callback, in registration order
        self.own: dict[str, list] = {}  # urn -> the resource's own transforms (its children get them too)
        self.parents: dict[str, str] = {}
        self._stubs: dict[str, callback_pb2_grpc.CallbacksStub] = {}
        self._channels: list = []
        self._lock = threading.Lock()

    def register_stack(self, callback) -> None:
        with self._lock:
            self.stack.append(callback)

    def apply(self, request) -> None:
        """Rewrite `request` (a RegisterResourceRequest) with what its transforms return."""
        urn = self.make_urn(request.parent, request.type, request.name)
        with self._lock:
            self.own[urn] = list(request.transforms)
            self.parents[urn] = request.parent
            chain, parent = list(request.transforms), request.parent
            while parent:
                chain += self.own.get(parent, [])
                parent = self.parents.get(parent, "")
            chain += self.stack
        for callback in chain:
            transform = resource_pb2.TransformRequest(type=request.type, name=request.name, custom=request.custom,
                                                      parent=request.parent, properties=request.object,
                                                      options=_options_of(request))
            answer = self._stub(callback.target).Invoke(callback_pb2.CallbackInvokeRequest(
                token=callback.token, request=transform.SerializeToString()))
            result = resource_pb2.TransformResponse.FromString(answer.response)
            request.object.CopyFrom(result.properties)
            _apply_options(request, result.options)

    def _stub(self, target: str):
        with self._lock:
            if target not in self._stubs:
                channel = grpc.insecure_channel(target)
                self._channels.append(channel)
                self._stubs[target] = callback_pb2_grpc.CallbacksStub(channel)
            return self._stubs[target]

    def close(self) -> None:
        for channel in self._channels:
            channel.close()


def _options_of(request) -> resource_pb2.TransformResourceOptions:
    return resource_pb2.TransformResourceOptions(
        depends_on=list(request.dependencies), protect=request.protect, ignore_changes=list(request.ignoreChanges),
        replace_on_changes=list(request.replaceOnChanges), version=request.version, provider=request.provider,
        plugin_download_url=request.pluginDownloadURL, retain_on_delete=request.retainOnDelete,
        deleted_with=request.deletedWith, delete_before_replace=request.deleteBeforeReplace,
        additional_secret_outputs=list(request.additionalSecretOutputs), aliases=list(request.aliases),
        providers=dict(request.providers))


def _apply_options(request, options) -> None:
    """The options a transform returned, back onto the request (what the capture records of them)."""
    request.protect = options.protect
    request.deleteBeforeReplace = options.delete_before_replace
    for field, value in (("dependencies", options.depends_on), ("ignoreChanges", options.ignore_changes),
                         ("additionalSecretOutputs", options.additional_secret_outputs),
                         ("replaceOnChanges", options.replace_on_changes)):
        del getattr(request, field)[:]
        getattr(request, field).extend(value)
    if options.provider:
        request.provider = options.provider


class _MonitorServicer(resource_pb2_grpc.ResourceMonitorServicer):
    def __init__(self, monitor: CaptureMonitor, transforms: Transforms):
        self.monitor = monitor
        self.transforms = transforms

    def SupportsFeature(self, request, context):
        return resource_pb2.SupportsFeatureResponse(hasSupport=request.id in SUPPORTED_FEATURES)

    def GetDeploymentInfo(self, request, context):
        return resource_pb2.DeploymentInfo(supportedFeatures=list(SUPPORTED_FEATURES.values()))

    def RegisterResource(self, request, context):
        def register(request):
            self.transforms.apply(request)
            return self.monitor.RegisterResource(request)
        return self._answer(register, request, context)

    def RegisterStackTransform(self, request, context):
        self.transforms.register_stack(request)
        return empty_pb2.Empty()

    def ReadResource(self, request, context):
        return self._answer(self.monitor.ReadResource, request, context)

    def RegisterResourceOutputs(self, request, context):
        self._answer(self.monitor.RegisterResourceOutputs, request, context)
        return empty_pb2.Empty()

    def Invoke(self, request, context):
        answer = self._answer(self.monitor.Invoke, request, context)
        return _unknowable_as_unknown(request.tok, answer)

    @staticmethod
    def _answer(method, request, context):
        try:
            return method(request)
        except Exception as exc:  # noqa: BLE001 - the program sees a failed RPC, as with a real engine
            context.abort(grpc.StatusCode.UNKNOWN, f"offline preview: {exc}")


def _unknowable_as_unknown(token: str, answer):
    """Fields of a data source's answer that no offline run can know (a parameter's value, a secret's text:
    mock_knowledge.json `unknowable`) go to a Node program as unknown, as `pulumi preview` would show a value it
    cannot compute: an `apply` on them does not run, and what they feed is unknown, which policies defer on. The
    Python SDK rejects unknowns in data-source results (its result types check each field), so Python programs
    keep the mock's stand-in."""
    rule = mock_knowledge.knowledge().get("unknowable", {}).get(token)
    if not rule or answer is None:
        return answer
    result = getattr(answer, "return")
    given = result.fields[rule["unless_input"]].string_value if rule.get("unless_input") in result.fields else ""
    if rule.get("matches") and re.search(rule["matches"], given):
        return answer  # a value of a known shape (an AWS public AMI parameter holds an image id)
    for name in rule["fields"]:
        if name in result.fields:
            result.fields[name].string_value = wire.UNKNOWN
    return answer


class MonitorServer:
    """Serves ResourceMonitor on 127.0.0.1:<free port>; `address` is the run script's `--monitor`."""

    def __init__(self, monitor: CaptureMonitor) -> None:
        self._executor = futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="hipaa-guard-monitor")
        self._server = grpc.server(self._executor, options=[("grpc.max_receive_message_length", 400 * 1024 * 1024)])
        self._transforms = Transforms(monitor.make_urn)
        resource_pb2_grpc.add_ResourceMonitorServicer_to_server(_MonitorServicer(monitor, self._transforms),
                                                                self._server)
        port = self._server.add_insecure_port("127.0.0.1:0")
        self.address = f"127.0.0.1:{port}"
        self._server.start()

    def stop(self) -> None:
        self._server.stop(grace=None).wait(5)
        self._executor.shutdown(wait=True)
        self._transforms.close()
