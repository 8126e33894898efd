"""Reading a pack's PulumiPolicy.yaml and choosing the interpreter the CLI would run it with."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class PolicyProjectError(Exception):
    """PulumiPolicy.yaml is missing or unreadable."""


@dataclass
class PolicyProject:
    """The fields of PulumiPolicy.yaml the CLI reads."""

    path: Path
    runtime: str = "python"
    runtime_options: dict = field(default_factory=dict)
    version: str = ""
    description: str = ""
    main: str = ""
    raw: dict = field(default_factory=dict)


def load_policy_project(pack_dir: str | os.PathLike) -> PolicyProject:
    path = Path(pack_dir) / "PulumiPolicy.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise PolicyProjectError(f"failed to load Pulumi policy project located at '{pack_dir}': {e}") from e
    data = _parse_yaml(text, path)
    if not isinstance(data, dict):
        raise PolicyProjectError(f"{path}: expected a mapping at the top level")
    runtime = data.get("runtime")
    if isinstance(runtime, dict):
        name = str(runtime.get("name") or "")
        options = runtime.get("options") or {}
        if not isinstance(options, dict):
            raise PolicyProjectError(f"{path}: runtime.options must be a mapping")
    elif isinstance(runtime, str):
        name, options = runtime, {}
    else:
        raise PolicyProjectError(f"{path}: 'runtime' is required (a string or {{name, options}})")
    version = data.get("version")
    return PolicyProject(
        path=path,
        runtime=name,
        runtime_options=dict(options),
        version="" if version is None else str(version),
        description=str(data.get("description") or ""),
        main=str(data.get("main") or ""),
        raw=data,
    )


def resolve_python(pack_dir: str | os.PathLike, project: PolicyProject, python: str | None = None
                   ) -> tuple[str, Path | None]:
    """The interpreter to launch the pack with, and the virtualenv it belongs to (or None).

    Like the CLI's python shim: ``runtime.options.virtualenv`` (relative to the pack directory) when that venv
    has a python; otherwise the caller's `python`, else this interpreter. (The real shim fails when the
    declared venv does not exist; we fall back, so a checkout without its venv still runs.)
    """
    venv = project.runtime_options.get("virtualenv")
    if venv:
        venv_dir = Path(venv)
        if not venv_dir.is_absolute():
            venv_dir = Path(pack_dir) / venv_dir
        for candidate in (venv_dir / "bin" / "python", venv_dir / "Scripts" / "python.exe"):
            if candidate.exists():
                return str(candidate), venv_dir.resolve()
    return (python or sys.executable), None


def _parse_yaml(text: str, path: Path) -> Any:
    try:
        import yaml  # pulumi depends on PyYAML, so this is normally present
    except ImportError:  # pragma: no cover - exercised by a test that hides yaml
        return parse_simple_yaml(text)
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise PolicyProjectError(f"{path}: invalid YAML: {e}") from e


def parse_simple_yaml(text: str) -> dict:
    """A tiny parser for the block mappings PulumiPolicy.yaml uses (``key: scalar`` and nested mappings).

    Used only when PyYAML is not installed. Lists, flow style and multi-line scalars are not supported.
    """
    root: dict = {}
    stack: list[tuple[int, dict]] = [(-1, root)]
    for lineno, raw in enumerate(text.splitlines(), 1):
        line = _strip_comment(raw).rstrip()
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip(" "))
        key, sep, value = line.strip().partition(":")
        if not sep:
            raise PolicyProjectError(f"line {lineno}: expected 'key: value'")
        while stack and indent <= stack[-1][0]:
            stack.pop()
        parent = stack[-1][1]
        key, value = key.strip(), value.strip()
        if value == "":
            child: dict = {}
            parent[key] = child
            stack.append((indent, child))
        else:
            parent[key] = _scalar(value)
    return root


def _strip_comment(line: str) -> str:
    quote = None
    for i, ch in enumerate(line):
        if ch in "'\"":
            quote = None if quote == ch else (quote or ch)
        elif ch == "#" and quote is None and (i == 0 or line[i - 1] in " \t"):
            return line[:i]
    return line


def _scalar(value: str) -> Any:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    lowered = value.lower()
    if lowered in ("true", "yes"):
        return True
    if lowered in ("false", "no"):
        return False
    if lowered in ("null", "~"):
        return None
    return value
