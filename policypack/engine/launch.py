"""Launching a policy pack the way the Pulumi CLI does, and shutting it down cleanly.

The CLI runs a Python pack through its ``pulumi-analyzer-policy-python`` shim, which execs
``<python> -u -m pulumi.policy <engineAddress> <program>`` with the pack directory as the working directory and
``.`` as the program (the analyzer plugin passes ``[engineAddress, "."]``). When PulumiPolicy.yaml names a
virtualenv the shim uses that venv's python, puts its ``bin`` first on PATH and unsets PYTHONHOME. The plugin's
environment is the user's plus ``PULUMI_CONFIG`` (JSON of ``"ns:key": "value"``), ``PULUMI_ORGANIZATION``,
``PULUMI_PROJECT``, ``PULUMI_STACK`` and ``PULUMI_DRY_RUN``, each only when non-empty. The first line the pack
writes to stdout must be its gRPC port.
"""

from __future__ import annotations

import collections
import json
import os
import queue
import subprocess
import threading
from pathlib import Path
from typing import Mapping

from .client import AnalyzerClient
from .engine_service import EngineServer, LogRecord
from .policy_project import PolicyProject, PolicyProjectError, load_policy_project, resolve_python

_STDERR_KEEP_BYTES = 256 * 1024
_STDERR_TAIL_LINES = 30


class PackStartError(Exception):
    """The pack did not come up: it crashed, printed something before its port, or timed out."""

    def __init__(self, message: str, *, stderr: str = "", exit_code: int | None = None) -> None:
        self.stderr = stderr
        self.exit_code = exit_code
        parts = [message]
        if exit_code is not None:
            parts.append(f"exit code: {exit_code}")
        tail = _tail(stderr)
        if tail:
            parts.append(f"pack stderr (last lines):\n{tail}")
        elif exit_code is not None:
            parts.append("pack stderr: (empty)")
        super().__init__("\n".join(parts))


class _StartFailure(Exception):
    """Internal: why start-up failed; turned into PackStartError once the pack is reaped."""


def _tail(text: str, lines: int = _STDERR_TAIL_LINES) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])


class PackProcess:
    """A running policy pack plus the Engine service it was given. Use as a context manager."""

    def __init__(self, pack_dir: str | os.PathLike, *, python: str | None = None, project: str, stack: str,
                 organization: str = "organization", dry_run: bool = True,
                 config: Mapping[str, str] | None = None, env: Mapping[str, str | None] | None = None,
                 start_timeout: float = 30.0) -> None:
        """`env`: extra variables laid over os.environ before the PULUMI_* ones (a None value removes one)."""
        self.pack_dir = Path(pack_dir).resolve()
        self.project = project
        self.stack = stack
        self.organization = organization
        self.dry_run = dry_run
        self.config = dict(config) if config is not None else None
        self.extra_env = dict(env or {})
        self.start_timeout = start_timeout
        self.requested_python = python

        self.policy_project: PolicyProject | None = None
        self.python: str | None = None
        self.port: int | None = None
        self._engine: EngineServer | None = None
        self._proc: subprocess.Popen | None = None
        self._threads: list[threading.Thread] = []
        self._stderr = collections.deque()  # chunks of decoded text
        self._stderr_size = 0
        self._stderr_lock = threading.Lock()
        self._stdout_after_port: list[str] = []
        self._client: AnalyzerClient | None = None
        self._closed = False

    # -- lifecycle -------------------------------------------------------------------------------------
    def __enter__(self) -> "PackProcess":
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def start(self) -> None:
        if self._proc is not None:
            raise RuntimeError("pack already started")
        try:
            self.policy_project = load_policy_project(self.pack_dir)
        except PolicyProjectError as e:
            raise PackStartError(str(e)) from e
        runtime = self.policy_project.runtime
        if runtime not in ("python", "nodejs"):
            raise PackStartError(f"unsupported policy pack runtime {runtime!r}: "
                                 "this engine client runs Python and Node.js packs")
        if runtime == "nodejs":
            self.python, venv = None, None
        else:
            self.python, venv = resolve_python(self.pack_dir, self.policy_project, self.requested_python)
        self._engine = EngineServer()
        try:
            self._spawn(venv)
            self.port = self._read_port()
            self._client = AnalyzerClient(self.port, pack_version=self.policy_project.version,
                                          pack_description=self.policy_project.description)
            self._client.wait_ready(timeout=self.start_timeout)
        except BaseException as e:
            exit_code = self._proc.poll() if self._proc else None
            self.close()  # reaps the pack and joins the readers, so stderr is complete
            if not isinstance(e, Exception):
                raise
            message = str(e) if isinstance(e, _StartFailure) else (
                f"policy pack at {self.pack_dir} failed to start: {type(e).__name__}: {e}")
            raise PackStartError(message, stderr=self.stderr_text(), exit_code=exit_code) from e

    def _spawn(self, venv: Path | None) -> None:
        env = dict(os.environ)
        for k, v in self.extra_env.items():
            if v is None:
                env.pop(k, None)
            else:
                env[k] = v
        if venv is not None:
            env["PATH"] = str(venv / "bin") + os.pathsep + env.get("PATH", "")
            env.pop("PYTHONHOME", None)
        pulumi_env = {
            "PULUMI_CONFIG": json.dumps(self.config) if self.config is not None else "",
            "PULUMI_ORGANIZATION": self.organization or "",
            "PULUMI_PROJECT": self.project or "",
            "PULUMI_STACK": self.stack or "",
            "PULUMI_DRY_RUN": "true" if self.dry_run else "false",
        }
        env.update({k: v for k, v in pulumi_env.items() if v})
        if self.policy_project.runtime == "nodejs":
            # As the CLI's pulumi-analyzer-policy launcher does: the pack's own @pulumi/pulumi runs it.
            launcher = self.pack_dir / "node_modules" / "@pulumi" / "pulumi" / "cmd" / "run-policy-pack"
            if not launcher.exists():
                raise _StartFailure(f"Node.js policy pack at {self.pack_dir} has no node_modules/@pulumi/pulumi: "
                                    "run `npm install` in it")
            args = ["node", str(launcher), self._engine.address, "."]
        else:
            args = [self.python, "-u", "-m", "pulumi.policy", self._engine.address, "."]
        self._proc = subprocess.Popen(args, cwd=self.pack_dir, env=env, stdin=subprocess.DEVNULL,
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self._start_thread("stderr", self._drain_stderr)

    def _start_thread(self, name: str, target) -> None:
        t = threading.Thread(target=target, name=f"hipaa-guard-pack-{name}", daemon=True)
        t.start()
        self._threads.append(t)

    def _drain_stderr(self) -> None:
        for chunk in iter(lambda: self._proc.stderr.read1(65536), b""):
            text = chunk.decode("utf-8", errors="replace")
            with self._stderr_lock:
                self._stderr.append(text)
                self._stderr_size += len(text)
                while self._stderr_size > _STDERR_KEEP_BYTES and len(self._stderr) > 1:
                    self._stderr_size -= len(self._stderr.popleft())

    def _read_port(self) -> int:
        first_line: queue.Queue = queue.Queue(maxsize=1)

        def read_stdout() -> None:
            first_line.put(self._proc.stdout.readline())
            # Keep draining, so a pack that prints later never blocks on a full pipe.
            for later in iter(self._proc.stdout.readline, b""):
                self._stdout_after_port.append(later.decode("utf-8", errors="replace"))

        self._start_thread("stdout", read_stdout)
        try:
            line = first_line.get(timeout=self.start_timeout)
        except queue.Empty:
            raise _StartFailure(f"policy pack at {self.pack_dir} did not print its port within "
                                f"{self.start_timeout:g} s") from None
        if not line:
            self._wait_exit(5)
            raise _StartFailure(f"policy pack at {self.pack_dir} exited before printing its port")
        text = line.decode("utf-8", errors="replace").strip()
        try:
            return int(text)
        except ValueError:
            raise _StartFailure(
                f"policy pack at {self.pack_dir} wrote {text[:200]!r} to stdout before its port; the first "
                "line a pack writes to stdout must be its gRPC port (the Pulumi CLI fails the same way): "
                "write diagnostics to stderr instead") from None

    def _wait_exit(self, timeout: float) -> int | None:
        try:
            return self._proc.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def _join_readers(self, timeout: float) -> None:
        for t in self._threads:
            if t is not threading.current_thread():
                t.join(timeout)

    def close(self) -> None:
        """Cancel (UNIMPLEMENTED is fine), terminate the pack, reap it and stop the Engine service."""
        if self._closed:
            return
        self._closed = True
        if self._client is not None:
            try:
                self._client.cancel(timeout=5)
            except Exception:  # noqa: BLE001 - a dying pack must not stop the shutdown
                pass
            self._client.close()
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.terminate()
                if self._wait_exit(5) is None:
                    self._proc.kill()
                    self._proc.wait()
            self._join_readers(5)
            for stream in (self._proc.stdout, self._proc.stderr):
                if stream:
                    stream.close()
        if self._engine is not None:
            self._engine.stop()

    # -- what callers read -----------------------------------------------------------------------------
    @property
    def client(self) -> AnalyzerClient:
        if self._client is None:
            raise RuntimeError("pack not started")
        return self._client

    @property
    def engine_address(self) -> str:
        return self._engine.address if self._engine else ""

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    @property
    def returncode(self) -> int | None:
        return self._proc.poll() if self._proc else None

    @property
    def logs(self) -> list[LogRecord]:
        """Log records the pack sent to the Engine service."""
        return self._engine.logs if self._engine else []

    def stderr_text(self) -> str:
        with self._stderr_lock:
            return "".join(self._stderr)

    def stdout_text(self) -> str:
        """What the pack wrote to stdout after its port line."""
        return "".join(self._stdout_after_port)
