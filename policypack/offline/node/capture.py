"""Capture a Pulumi Node.js (TypeScript or JavaScript) program's registrations offline.

The program runs as `pulumi preview` runs it: `node <the program's @pulumi/pulumi>/cmd/run/index.js` (the
script the Node.js language host starts), which registers ts-node for TypeScript (type-checked unless the
tsconfig says `noCheck`), installs source maps, honours `main` and package.json, and exports the stack's
outputs. Instead of the engine it talks to two local gRPC services: the engine's Log/root-resource service
(`policypack.engine.engine_service`) and a ResourceMonitor backed by the same `CaptureMonitor` the Python
capture uses (`monitor_server.py`), so mock outputs, invoke answers, URNs, default providers and the record
shape are the Python capture's, with no second implementation. `preload.js` adds what the protocol does not
carry: construction order and the program's errors as structured facts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from ...engine.engine_service import EngineServer
from .. import runner, wire
from ..capture_monitor import CaptureMonitor
from ..mock_outputs import STAND_IN_MARKER, MockContext
from ..project import SECRET_PLACEHOLDER, Project, StackConfig
from .monitor_server import MonitorServer

PRELOAD = Path(__file__).resolve().parent / "preload.js"
RUN_SCRIPT = Path("@pulumi", "pulumi", "cmd", "run", "index.js")
ORGANIZATION = "organization"

# `    at fn (/abs/file.ts:12:5)` or `    at /abs/file.ts:12:5` (source-mapped by source-map-support)
_FRAME = re.compile(r"^\s*at (?:.*? \()?(?:file://)?(?P<file>/[^()]*?):(?P<line>\d+):(?P<col>\d+)\)?\s*$")
_TS_MISSING_MODULE = 2307  # TS2307 Cannot find module 'x' or its corresponding type declarations.
_TS_DIAGNOSTIC_TEXT = re.compile(r"(?P<file>[^\s'\"()]+\.[cm]?tsx?)\((?P<line>\d+),\d+\): error TS(?P<code>\d+): "
                                 r"(?P<message>.*?)(?:\\n|\n|\"|$)", re.MULTILINE)


def find_run_script(root: Path) -> Path | None:
    """The program's @pulumi/pulumi run script, found as Node resolves packages: node_modules in the program's
    directory, then in each parent directory."""
    for directory in (root, *root.parents):
        candidate = directory / "node_modules" / RUN_SCRIPT
        if candidate.is_file():
            return candidate
    return None


def node_environment(project: Project, config: dict[str, str], secret_keys: list[str], facts_path: Path) -> dict:
    """The environment the Node.js language host gives the program, plus the preload's two variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_CONFIG")}
    options = project.runtime_options
    env.update({
        "PULUMI_CONFIG": json.dumps(config),
        "PULUMI_CONFIG_SECRET_KEYS": json.dumps(secret_keys),
        # The language host's default: TypeScript on unless `runtime.options.typescript: false`.
        "PULUMI_NODEJS_TYPESCRIPT": "false" if options.get("typescript") is False else "true",
        "HIPAA_GUARD_NODE_FACTS": str(facts_path),
        "HIPAA_GUARD_PROGRAM_ROOT": str(project.root),
        "HIPAA_GUARD_SECRET_PLACEHOLDER": SECRET_PLACEHOLDER,
        "HIPAA_GUARD_STAND_IN_MARKER": STAND_IN_MARKER,
    })
    if options.get("tsconfig"):
        env["PULUMI_NODEJS_TSCONFIG_PATH"] = str(options["tsconfig"])
    return env


def node_command(node: str, project: Project, run_script: Path, stack: str, monitor: str, engine: str) -> list[str]:
    options = project.runtime_options
    nodeargs = str(options.get("nodeargs") or "").split()
    if any(a.startswith(("--loader", "--experimental-loader", "--import")) for a in nodeargs):
        # an ES-module program transpiled by a loader: Node keeps its source maps, for preload.js to map the
        # positions the SDK reports back into the .ts source
        nodeargs.append("--enable-source-maps")
    return [node, *nodeargs, "--require", str(PRELOAD), str(run_script),
            f"--monitor={monitor}", f"--engine={engine}", f"--project={project.name}", f"--stack={stack}",
            f"--organization={ORGANIZATION}", f"--pwd={project.root}", "--dry-run", project.main or "."]


def error_from_facts(facts: dict, in_program, root: Path | None = None) -> dict:
    """kind, message, file, line of one uncaught error recorded by preload.js."""
    diagnostics = [d for d in facts.get("diagnostics") or [] if d.get("file")]
    if diagnostics:  # a TypeScript compile error: the compiler's own position in the .ts source
        first = next((d for d in diagnostics if in_program(Path(d["file"]))), diagnostics[0])
        kind = "ModuleNotFoundError" if first.get("code") == _TS_MISSING_MODULE else "TypeScriptError"
        return {"kind": kind, "message": f"TS{first.get('code')}: {first.get('message')}",
                "file": str(Path(first["file"]).resolve()), "line": first.get("line")}
    message = str(facts.get("message") or "")
    kind = str(facts.get("name") or "Error")
    compiled = _TS_DIAGNOSTIC_TEXT.search(message)
    if compiled:  # ts-node/esm's TSError reaches us as text only: `index.ts(11,7): error TS2322: ...`
        file = compiled["file"] if Path(compiled["file"]).is_absolute() else str((root or Path.cwd()) / compiled["file"])
        return {"kind": "ModuleNotFoundError" if int(compiled["code"]) == _TS_MISSING_MODULE else "TypeScriptError",
                "message": f"TS{compiled['code']}: {compiled['message'].strip()}", "file": file,
                "line": int(compiled["line"])}
    if facts.get("code") == "MODULE_NOT_FOUND":
        kind = "ModuleNotFoundError"
        message = message.split("\nRequire stack:", 1)[0]
    file = line = None
    for text in str(facts.get("stack") or "").splitlines():  # innermost frame first
        match = _FRAME.match(text)
        if match and in_program(Path(match["file"])):
            file, line = match["file"], int(match["line"])
            break
    return {"kind": kind, "message": message, "file": file, "line": line}


def capture_node_program(project: Project, stack: str, stack_config: StackConfig, result, *,
                         timeout: float, zones: dict[str, list[str]], unknowns: tuple[str, ...] = ("full",)):
    """Fill `result` (a capture.CaptureResult) by running the Node.js program of `project`.

    `unknowns` names the passes, as for Python programs: the first fills `result`, the others go to
    `result.passes`. Each pass is its own Node process (a program's modules cannot be re-run in one); the
    further ones start with the first and run transpile-only, since the first pass already type-checks the same
    source, and are dropped when the first pass fails: a program that cannot be constructed gets no analysis.
    """
    node = shutil.which("node")
    result.python = node or "node"
    if node is None:
        result.program_errors.append(_error("NodeNotFound", "node is not on PATH: the offline preview of a "
                                            "nodejs project runs it with Node.js"))
        return result
    run_script = find_run_script(project.root)
    if run_script is None:
        result.program_errors.append(_error(
            "MissingDependencies", f"@pulumi/pulumi is not installed for {project.root}: run `npm install` "
            "there (the program runs with its own node_modules, as under `pulumi preview`)"))
        return result

    if project.main and not (project.root / project.main).exists():
        result.program_errors.append(_error("FileNotFoundError", f"program entry point {project.root / project.main} "
                                            "does not exist (Pulumi.yaml `main`)"))
        return result

    config = dict(stack_config.values)
    config.update({key: SECRET_PLACEHOLDER for key in stack_config.secure_keys})
    secret_keys = list(stack_config.secure_keys) + list(stack_config.nested_secure_keys)
    modes = list(unknowns) or ["full"]

    def run_pass(mode: str, transpile_only: bool) -> _Pass:
        return _run_pass(node, project, run_script, stack, config, secret_keys, zones, timeout,
                         computed_unknown=(mode == "first-preview"), transpile_only=transpile_only)

    with ThreadPoolExecutor(max_workers=max(1, len(modes) - 1)) as pool:
        others = [pool.submit(run_pass, mode, True) for mode in modes[1:]]
        first = run_pass(modes[0], False)
        passes = [first] + [future.result() for future in others]

    secrets = {config[k] for k in secret_keys if k in config}
    for one in passes:
        secrets |= runner._secret_strings(one.records, wire)
    result.stdout, result.stderr = first.stdout, first.stderr
    result.resources = first.records
    result.invokes = first.invokes
    result.logs = [{"severity": r.severity, "message": runner.redact(r.message, secrets)}
                   for r in first.logs if r.severity != "debug"]
    result.program_errors.extend(_redacted(first.errors, secrets))
    if not first.errors:
        for mode, other in zip(modes[1:], passes[1:]):
            result.passes[mode] = {"resources": other.records, "program_errors": _redacted(other.errors, secrets)}
    return result


@dataclass
class _Pass:
    """One run of the program: its registrations in construction order, invokes, logs and errors."""

    records: list = field(default_factory=list)
    invokes: list = field(default_factory=list)
    logs: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # kind, message, file, line (not yet redacted)
    stdout: str = ""
    stderr: str = ""


def _run_pass(node: str, project: Project, run_script: Path, stack: str, config: dict, secret_keys: list,
              zones: dict, timeout: float, *, computed_unknown: bool, transpile_only: bool) -> _Pass:
    monitor = CaptureMonitor(MockContext(zones=zones), project=project.name, stack=stack, config=config,
                             program_root=project.root, excluded_dirs=[project.root / "node_modules"],
                             computed_unknown=computed_unknown)
    outcome = _Pass()
    engine = EngineServer()
    try:
        server = MonitorServer(monitor)
        try:
            with tempfile.TemporaryDirectory(prefix="hipaa-guard-node-") as tmp:
                facts_path = Path(tmp) / "facts.json"
                env = node_environment(project, config, secret_keys, facts_path)
                if transpile_only:
                    env["PULUMI_NODEJS_TRANSPILE_ONLY"] = "true"
                returncode = _run(node_command(node, project, run_script, stack, server.address, engine.address),
                                  project.root, env, timeout, outcome)
                facts = json.loads(facts_path.read_text()) if facts_path.exists() else {}
        finally:
            server.stop()
    finally:
        engine.stop()
    if returncode is None:
        return outcome  # timed out: the error is recorded

    outcome.records = runner.order_records(monitor.records, [tuple(c) for c in facts.get("constructed", [])],
                                           list(monitor.default_providers.values()))
    outcome.invokes = monitor.invokes
    outcome.logs = engine.logs
    errors = [error_from_facts(f, monitor.in_program, project.root) for f in facts.get("errors", [])]
    if not errors and returncode != 0:
        logged = [r.message for r in outcome.logs if r.severity == "error"]
        last = (logged or outcome.stderr.strip().splitlines() or [f"node exited with code {returncode}"])[-1]
        errors.append({"kind": "ProgramError", "message": last, "file": None, "line": None})
    seen = set()
    for error in errors:
        key = (error["kind"], error["message"], error["file"], error["line"])
        if key not in seen:
            seen.add(key)
            outcome.errors.append(error)
    return outcome


def _redacted(errors: list[dict], secrets: set) -> list[dict]:
    return [_error(e["kind"], runner.redact(e["message"], secrets), e["file"], e["line"]) for e in errors]


def _run(command: list[str], cwd: Path, env: dict, timeout: float, result: _Pass) -> int | None:
    """Run node in its own process group (killed whole on timeout); the exit code, or None on timeout."""
    proc = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, start_new_session=True)
    try:
        result.stdout, result.stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        result.stdout, result.stderr = proc.communicate()
        result.errors.append({"kind": "Timeout", "message": f"the program did not finish within {timeout:g} s",
                              "file": None, "line": None})
        return None
    return proc.returncode


def _error(kind: str, message: str, file: str | None = None, line: int | None = None) -> dict:
    # Node programs have no fixer rule: the fixer rewrites Python source.
    return {"kind": kind, "message": message, "file": file, "line": line, "fixer_rule": None}
