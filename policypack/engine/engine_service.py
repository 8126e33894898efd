"""The minimal Engine gRPC service the CLI offers a plugin at ``engineAddress`` (Log and root resource)."""

from __future__ import annotations

import threading
from concurrent import futures
from dataclasses import dataclass

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc

_SEVERITIES = {engine_pb2.DEBUG: "debug", engine_pb2.INFO: "info",
               engine_pb2.WARNING: "warning", engine_pb2.ERROR: "error"}


@dataclass(frozen=True)
class LogRecord:
    severity: str  # debug, info, warning, error
    message: str
    urn: str = ""
    stream_id: int = 0
    ephemeral: bool = False


class _EngineServicer(engine_pb2_grpc.EngineServicer):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.logs: list[LogRecord] = []
        self.root_resource = ""

    def Log(self, request, context):
        record = LogRecord(_SEVERITIES.get(request.severity, "info"), request.message, request.urn,
                           request.streamId, request.ephemeral)
        with self._lock:
            self.logs.append(record)
        return empty_pb2.Empty()

    def GetRootResource(self, request, context):
        return engine_pb2.GetRootResourceResponse(urn=self.root_resource)

    def SetRootResource(self, request, context):
        self.root_resource = request.urn
        return engine_pb2.SetRootResourceResponse()

    def StartDebugging(self, request, context):
        return empty_pb2.Empty()

    def RequirePulumiVersion(self, request, context):
        return engine_pb2.RequirePulumiVersionResponse()


class EngineServer:
    """Serves the Engine service on 127.0.0.1:<free port>; ``address`` is what the pack gets as argv[1]."""

    def __init__(self) -> None:
        self._servicer = _EngineServicer()
        self._executor = futures.ThreadPoolExecutor(max_workers=2, thread_name_prefix="hipaa-guard-engine")
        self._server = grpc.server(self._executor)
        engine_pb2_grpc.add_EngineServicer_to_server(self._servicer, self._server)
        port = self._server.add_insecure_port("127.0.0.1:0")
        self.address = f"127.0.0.1:{port}"
        self._server.start()
        self._stopped = False

    @property
    def logs(self) -> list[LogRecord]:
        with self._servicer._lock:
            return list(self._servicer.logs)

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._server.stop(grace=None).wait(5)
        self._executor.shutdown(wait=True)
