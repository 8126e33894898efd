"""Capture a Pulumi Python program's resource registrations offline: the API of the offline half.

`capture_program` reads the project like the CLI does (project.py), runs the program in a fresh process
with the program's own interpreter (runner.py, under mocks), and turns what the runner saw into
CapturedResources (docs/architecture.md §1) plus program errors, each linked to the fixer rule that
repairs it (error_rules.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .error_rules import ErrorFacts, fixer_rule_for
from .project import SECRET_PLACEHOLDER, ProjectError, choose_python, choose_stack, load_config, load_project

RUNNER = Path(__file__).resolve().parent / "runner.py"
ZONES_FILE = Path(__file__).resolve().parent.parent / "data" / "availability_zones.json"
__all__ = ["CaptureResult", "ProjectError", "capture_program"]


@dataclass
class CaptureResult:
    project: str
    stack: str
    config: dict[str, str]  # "ns:key" -> str; secure values left out
    resources: list[dict]  # CapturedResource, construction order
    program_errors: list[dict]  # kind, message, file, line, fixer_rule
    python: str
    invokes: list[dict] = field(default_factory=list)  # token, args (wire form), provider
    logs: list[dict] = field(default_factory=list)  # severity, message: what the program logged
    notes: list[str] = field(default_factory=list)  # what the offline run could not reproduce
    stdout: str = ""  # the program's own output (never mixed into ours)
    stderr: str = ""
    # further unknowns modes run in the same process: mode -> {"resources", "program_errors"}
    passes: dict[str, dict] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.program_errors

    def to_dict(self) -> dict:
        return asdict(self)


def load_zones(path: Path = ZONES_FILE) -> dict[str, list[str]]:
    """region -> zone names from the dated data file; empty when it is absent or has another shape."""
    try:
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return {}
    zones = data.get("zones") if isinstance(data, dict) else None
    if not isinstance(zones, dict):
        return {}
    return {region: [z if isinstance(z, str) else z.get("name") for z in names]
            for region, names in zones.items() if isinstance(names, list)}


def capture_program(program_dir: str | os.PathLike, *, stack: str | None = None,
                    config_overrides: dict[str, str] | None = None, python: str | None = None,
                    timeout: float = 120, unknowns: tuple[str, ...] = ("full",)) -> CaptureResult:
    """Run the program at `program_dir` under mocks and return what it registered.

    `unknowns` names the passes, each a run of the program: "full" (every output has a mock value) or
    "first-preview" (what the provider computes is unknown, as in `pulumi preview` on a new stack). The first
    pass fills the result; the others are in `result.passes`. A Python program runs its passes in one process;
    a Node.js program, one process per pass (node/capture.py).

    Raises ProjectError when the directory is not a Pulumi project; every failure of the program
    itself (exceptions, timeout, an interpreter without the Pulumi SDK) is a `program_errors` entry.
    """
    project = load_project(program_dir)
    stack_name = choose_stack(project.root, stack)
    stack_config = load_config(project, stack_name, config_overrides)
    if project.runtime == "nodejs":
        from .node.capture import capture_node_program

        result = CaptureResult(project=project.name, stack=stack_name, config=dict(stack_config.values),
                               resources=[], program_errors=[], python="", notes=list(stack_config.notes))
        return capture_node_program(project, stack_name, stack_config, result, timeout=timeout, zones=load_zones(),
                                   unknowns=unknowns)
    interpreter = choose_python(project, python)
    entry, run_dir = project.entry()
    result = CaptureResult(project=project.name, stack=stack_name, config=dict(stack_config.values),
                           resources=[], program_errors=[], python=interpreter, notes=list(stack_config.notes))
    if not entry.exists():
        result.program_errors.append(_error("FileNotFoundError", f"program entry point {entry} does not exist"))
        return result

    runner_config = dict(stack_config.values)
    runner_config.update({key: SECRET_PLACEHOLDER for key in stack_config.secure_keys})
    excluded = [str(project.virtualenv)] if project.virtualenv else []
    excluded += [str(project.root / d) for d in ("venv", ".venv") if (project.root / d).is_dir()]

    with tempfile.TemporaryDirectory(prefix="hipaa-guard-capture-") as tmp:
        args_path, result_path = Path(tmp) / "args.json", Path(tmp) / "result.json"
        args_path.write_text(json.dumps({
            "program_root": str(project.root), "run_dir": str(run_dir), "entry": str(entry),
            "project": project.name, "stack": stack_name, "organization": "organization",
            "config": runner_config, "secret_keys": list(stack_config.secure_keys) + list(stack_config.nested_secure_keys),
            "zones": load_zones(), "excluded_dirs": excluded, "result_path": str(result_path),
            "unknowns": list(unknowns),
        }))
        env = {k: v for k, v in os.environ.items() if not k.startswith("PULUMI_CONFIG")}
        try:
            proc = subprocess.run([interpreter, str(RUNNER), str(args_path)], cwd=run_dir, env=env,
                                  capture_output=True, text=True, timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            result.stdout, result.stderr = _text(exc.stdout), _text(exc.stderr)
            result.program_errors.append(_error("Timeout", f"the program did not finish within {timeout:g} s"))
            return result
        except OSError as exc:
            result.program_errors.append(_error("InterpreterError", f"cannot start {interpreter}: {exc.strerror}"))
            return result
        result.stdout, result.stderr = proc.stdout, proc.stderr
        if not result_path.exists():
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            result.program_errors.append(_error("RunnerError", f"the offline runner exited with code "
                                                f"{proc.returncode}: {last}"))
            return result
        raw = json.loads(result_path.read_text())

    result.resources = raw["resources"]
    result.invokes = raw.get("invokes", [])
    result.logs = raw.get("logs", [])
    result.program_errors.extend(_classified(raw.get("errors", []), project.root))
    for mode, other in raw.get("passes", {}).items():
        result.passes[mode] = {"resources": other["resources"],
                               "program_errors": _classified(other.get("errors", []), project.root)}
    return result


def _classified(errors: list[dict], root: Path) -> list[dict]:
    """The runner's error facts as program errors, each with the fixer rule that repairs it."""
    found = []
    for facts in errors:
        rule = fixer_rule_for(ErrorFacts(kind=facts["kind"], message=facts["message"],
                                         trace_files=facts.get("trace_files", []),
                                         owner_module=facts.get("owner_module")), root)
        origin = facts.get("origin", "program")
        found.append(_error(facts["kind"], facts["message"], facts.get("file"), facts.get("line"),
                            rule if origin == "program" else None, origin=origin,
                            traceback=facts.get("traceback")))
    return found


def _error(kind: str, message: str, file: str | None = None, line: int | None = None,
           fixer_rule: str | None = None, *, origin: str = "program", traceback: str | None = None) -> dict:
    """A program error: `origin` "program" (the program's own bug) or "preview" (the offline preview could
    not answer as the provider would: its limitation, never the user's bug); `traceback` for --verbose."""
    return {"kind": kind, "message": message, "file": file, "line": line, "fixer_rule": fixer_rule,
            "origin": origin, "traceback": traceback}


def _text(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else (value or "")
