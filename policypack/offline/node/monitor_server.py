"""The ResourceMonitor gRPC service a Node.js program talks to, backed by the Python capture monitor.

A Node program runs under @pulumi/pulumi's own run script, which connects to a resource monitor at
`--monitor` exactly as under `pulumi preview`. Serving that protocol with the same `CaptureMonitor` the
Python capture uses means one implementation of everything engine-side (URNs, default providers, the mock
outputs and invoke answers, the record shape) for both languages: the Node side has no mocks of its own.
"""

from __future__ import annotations

from concurrent import futures

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import resource_pb2, resource_pb2_grpc

from ..capture_monitor import CaptureMonitor

# What the Node SDK may rely on. `outputValues` is off, as in the SDK's own mock monitors, so inputs arrive as
# plain wire values (unknown and secret sentinels), the form the Python capture records.
SUPPORTED_FEATURES = {
    "secrets": resource_pb2.RESOURCE_MONITOR_FEATURE_SECRETS,
    "resourceReferences": resource_pb2.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES,
}


class _MonitorServicer(resource_pb2_grpc.ResourceMonitorServicer):
    def __init__(self, monitor: CaptureMonitor):
        self.monitor = monitor

    def SupportsFeature(self, request, context):
        return resource_pb2.SupportsFeatureResponse(hasSupport=request.id in SUPPORTED_FEATURES)

    def GetDeploymentInfo(self, request, context):
        return resource_pb2.DeploymentInfo(supportedFeatures=list(SUPPORTED_FEATURES.values()))

    def RegisterResource(self, request, context):
        return self._answer(self.monitor.RegisterResource, request, context)

    def ReadResource(self, request, context):
        return self._answer(self.monitor.ReadResource, request, context)

    def RegisterResourceOutputs(self, request, context):
        self._answer(self.monitor.RegisterResourceOutputs, request, context)
        return empty_pb2.Empty()

    def Invoke(self, request, context):
        return self._answer(self.monitor.Invoke, request, context)

    @staticmethod
    def _answer(method, request, context):
        try:
            return method(request)
        except Exception as exc:  # noqa: BLE001 - the program sees a failed RPC, as with a real engine
            context.abort(grpc.StatusCode.UNKNOWN, f"offline preview: {exc}")


class MonitorServer:
    """Serves ResourceMonitor on 127.0.0.1:<free port>; `address` is the run script's `--monitor`."""

    def __init__(self, monitor: CaptureMonitor) -> None:
        self._executor = futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="hipaa-guard-monitor")
        self._server = grpc.server(self._executor, options=[("grpc.max_receive_message_length", 400 * 1024 * 1024)])
        resource_pb2_grpc.add_ResourceMonitorServicer_to_server(_MonitorServicer(monitor), self._server)
        port = self._server.add_insecure_port("127.0.0.1:0")
        self.address = f"127.0.0.1:{port}"
        self._server.start()

    def stop(self) -> None:
        self._server.stop(grace=None).wait(5)
        self._executor.shutdown(wait=True)
