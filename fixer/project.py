"""The Pulumi project (the directory holding Pulumi.yaml) that contains the files: which provider its program
uses (``provider_index_for``), and the project-level rules, which say what they created or changed
(package-init-missing, requirement-missing)."""
from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from .rule import Finding

PROJECT_RULES = ("package-init-missing", "requirement-missing")
_REQ_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


class ProviderNotFound(Exception):
    """No interpreter the program would use has pulumi_aws; the message says what was looked at."""


def _interpreter_in(venv: Path) -> Path | None:
    for candidate in (venv / "bin" / "python", venv / "Scripts" / "python.exe"):
        if candidate.exists():
            return candidate
    return None


def provider_interpreter(project: str | None, python: str | None = None) -> tuple[str | None, list]:
    """The interpreter whose pulumi-aws the program uses (None: this one), and what was looked at on the way,
    in order: ``--python``; else Pulumi.yaml ``runtime.options.virtualenv``; else ``venv/`` or ``.venv/``
    beside Pulumi.yaml; else the current interpreter. The first that exists decides: another environment's
    provider may be another major, whose answers would be wrong for this program."""
    looked: list = []
    if python:
        return python, [f"--python {python}"]
    if project:
        from .config import project_virtualenv
        declared = project_virtualenv(project)
        if declared is not None:
            found = _interpreter_in(declared)
            if found is not None:
                return str(found), [f"Pulumi.yaml runtime.options.virtualenv ({found})"]
            looked.append(f"Pulumi.yaml runtime.options.virtualenv ({declared}: no interpreter there)")
        for name in ("venv", ".venv"):
            found = _interpreter_in(Path(project) / name)
            if found is not None:
                return str(found), looked + [f"{Path(project) / name} beside Pulumi.yaml ({found})"]
        looked.append(f"{Path(project) / 'venv'} and {Path(project) / '.venv'} beside Pulumi.yaml (none there)")
    import sys
    return None, looked + [f"the current interpreter ({sys.executable})"]


def provider_index_for(project: str | None, python: str | None = None):
    """``(index, interpreter)``: the API of the provider the program uses, read without importing it. The one
    place that decides where the provider comes from. Raises ``ProviderNotFound`` when that environment has no
    pulumi_aws, and ``OSError``/``ValueError``/``subprocess.SubprocessError`` when it cannot be queried."""
    from .provider_index import load_index
    interpreter, looked = provider_interpreter(project, python)
    index = load_index(interpreter)
    if "pulumi_aws" not in index.packages:
        where = "; ".join(looked)
        raise ProviderNotFound(
            f"no pulumi-aws found for this program: looked at {where}, and it has no pulumi_aws package. "
            "Install the program's requirements into its virtualenv (e.g. `venv/bin/pip install -r "
            "requirements.txt`), name an interpreter that has pulumi-aws with --python, or check against the "
            "shipped API index of a pulumi-aws major with --provider-version 7 (or 6, 5)")
    return index, interpreter


@dataclass
class ProjectOutcome:
    findings: list = field(default_factory=list)
    fixed: list = field(default_factory=list)
    changes: list = field(default_factory=list)  # human-readable: what was created or changed


def _imports(path: str):
    from .source import SourceError, parse, read_source
    try:
        tree = parse(path, read_source(path).text).tree
    except SourceError:  # reported by the file rules' run
        return
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for a in node.names:
                yield a.name, node.lineno
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module, node.lineno
            for a in node.names:
                yield f"{node.module}.{a.name}", node.lineno


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _text(path: Path) -> str:
    from .source import SourceError, decode_source, read_bytes
    try:
        return decode_source(str(path), read_bytes(str(path))).text
    except SourceError:
        return ""


def _declared(project: Path) -> tuple[set, Path | None]:
    req = project / "requirements.txt"
    names: set = set()
    if req.is_file():
        for line in _text(req).splitlines():
            m = _REQ_NAME.match(line)
            if m and not line.lstrip().startswith(("#", "-")):
                names.add(_normalise(m.group(1)))
        return names, req
    pipfile = project / "Pipfile"
    if pipfile.is_file():
        for line in _text(pipfile).splitlines():
            m = re.match(r'^\s*"?([A-Za-z0-9][A-Za-z0-9._-]*)"?\s*=', line)
            if m:
                names.add(_normalise(m.group(1)))
        return names, pipfile
    return names, None


def run_project_rules(project_dir: str, files: list, rules: list, apply: bool, unsafe: bool = False,
                      index=None) -> ProjectOutcome:
    names = {r.NAME for r in rules}
    project = Path(project_dir)
    outcome = ProjectOutcome()
    inside = [f for f in files if os.path.abspath(f).startswith(str(project.resolve()) + os.sep)
              or os.path.abspath(f).startswith(str(project) + os.sep)]
    if not inside:
        inside = [str(p) for p in project.rglob("*.py") if ".venv" not in p.parts and "venv" not in p.parts]
    if "package-init-missing" in names:
        _package_inits(project, inside, apply, outcome)
    if "requirement-missing" in names:
        _requirements(project, inside, apply, outcome)
    return outcome


def _package_inits(project: Path, files: list, apply: bool, outcome: ProjectOutcome) -> None:
    seen = set()
    for path in files:
        for module, line in _imports(path):
            parts = module.split(".")
            for depth in range(1, len(parts)):
                package = project.joinpath(*parts[:depth])
                init = package / "__init__.py"
                if package in seen or not package.is_dir() or init.exists():
                    continue
                if not (package.joinpath(*parts[depth:depth + 1]).with_suffix(".py").exists()
                        or package.joinpath(parts[depth]).is_dir()):
                    continue
                seen.add(package)
                rel = os.path.relpath(init, project)
                finding = Finding("package-init-missing", path, line, 1,
                                  f"`{'.'.join(parts[:depth])}` is imported as a package but {rel} is missing", "safe")
                if apply:
                    try:
                        init.write_text("", encoding="utf-8")
                    except OSError as exc:
                        outcome.findings.append(finding)
                        outcome.changes.append(f"not created: {init}: {exc.strerror or exc}")
                        continue
                    outcome.fixed.append(finding)
                    outcome.changes.append(f"created {init}")
                else:
                    outcome.findings.append(finding)


def _requirements(project: Path, files: list, apply: bool, outcome: ProjectOutcome) -> None:
    declared, req_file = _declared(project)
    if req_file is None:
        return
    missing: dict = {}
    for path in files:
        for module, line in _imports(path):
            top = module.split(".")[0]
            if top == "pulumi" or top.startswith("pulumi_"):
                dist = _normalise(top)
                if dist not in declared and dist not in missing and dist != "pulumi-hipaa-guard":
                    missing[dist] = Finding("requirement-missing", path, line, 1,
                                            f"`{top}` is imported but {dist} is not in {req_file.name}", "safe")
    if not missing:
        return
    if not apply:
        outcome.findings += list(missing.values())
        return
    from .source import SourceError, decode_source, read_bytes, write_atomically
    try:
        stored = decode_source(str(req_file), read_bytes(str(req_file)))
    except SourceError as exc:
        outcome.findings += list(missing.values())
        outcome.changes.append(f"not changed: {exc}")
        return
    text = stored.text
    if req_file.name == "requirements.txt":
        addition = "".join(f"{d}\n" for d in missing)
        text = text + ("" if text.endswith("\n") or not text else "\n") + addition
    else:
        lines = text.splitlines(True)
        at = next((i + 1 for i, l in enumerate(lines) if l.strip() == "[packages]"), None)
        if at is None:
            outcome.findings += list(missing.values())
            return
        lines[at:at] = [f'{d} = "*"\n' for d in missing]
        text = "".join(lines)
    try:
        write_atomically(str(req_file), stored.encode(text))  # same encoding and line endings as before
    except SourceError as exc:
        outcome.findings += list(missing.values())
        outcome.changes.append(f"not changed: {exc}")
        return
    outcome.fixed += list(missing.values())
    outcome.changes.append(f"added {', '.join(missing)} to {req_file}")
