"""Reading a Pulumi project the way the CLI does: Pulumi.yaml, the stack's config, the interpreter.

Kept apart from the subprocess handling so each rule (stack choice, config namespacing and encoding, which
interpreter) is one small function with its own tests.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


SECRET_PLACEHOLDER = "OfflinePreviewSecretPlaceholder0"
"""What a program reads for a `secure:` config value (alphanumeric, 32 characters: valid as most passwords)."""


PREVIEWED_RUNTIMES = ("python", "nodejs")
"""Pulumi.yaml runtimes the offline preview runs (nodejs: TypeScript and JavaScript, policypack/offline/node/)."""


class ProjectError(Exception):
    """The directory is not a runnable Pulumi Python project (bad usage: exit 2)."""


@dataclass
class Project:
    root: Path
    name: str
    runtime: str
    virtualenv: Path | None  # runtime.options.virtualenv, resolved against the root
    main: str | None  # Pulumi.yaml `main`, relative to the root
    config_defaults: dict[str, Any] = field(default_factory=dict)  # Pulumi.yaml `config:` values/defaults
    runtime_options: dict[str, Any] = field(default_factory=dict)  # Pulumi.yaml `runtime.options`

    def entry(self) -> tuple[Path, Path]:
        """(file to run, directory to run it in): `main` may name a file or a directory with __main__.py."""
        try:
            target = (self.root / self.main).resolve() if self.main else self.root
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop, on Python < 3.13
            raise ProjectError(f"{self.root / 'Pulumi.yaml'}: main {self.main!r} cannot be resolved: "
                               f"{getattr(exc, 'strerror', None) or exc}") from None
        if target.is_dir():
            return target / "__main__.py", target
        return target, target.parent


def read_yaml(path: Path) -> Any:
    """A project or stack file's YAML; every way it can be unreadable is one ProjectError line naming it."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ProjectError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")  # the CLI reads YAML as UTF-8 (a byte-order mark is allowed)
    except UnicodeDecodeError as exc:
        raise ProjectError(f"{path}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ProjectError(f"{path}: not valid YAML: {problem}{where}") from None


def _mapping(value: Any, path: Path, what: str) -> dict:
    """`value` when it is a mapping (or absent), else the ProjectError the CLI would give."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ProjectError(f"{path}: {what} must be a mapping of keys to values, not {_yaml_kind(value)}")
    return value


def _yaml_kind(value: Any) -> str:
    return {list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__)


def load_project(program_dir: str | Path) -> Project:
    try:
        root = Path(program_dir).resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop, on Python < 3.13
        raise ProjectError(f"{program_dir}: cannot resolve the directory: {getattr(exc, 'strerror', None) or exc}") \
            from None
    path = next((root / n for n in ("Pulumi.yaml", "Pulumi.yml") if (root / n).exists()), None)
    if path is None:
        raise ProjectError(f"no Pulumi.yaml in {root}")
    data = _mapping(read_yaml(path), path, "the project file")
    if not data.get("name"):
        raise ProjectError(f"{path}: no project name")
    if "runtime" not in data or not data["runtime"]:
        # The CLI refuses such a project ("project is missing a 'runtime' attribute"): so does the preview.
        raise ProjectError(f"{path}: project is missing a 'runtime' attribute")
    runtime = data["runtime"]
    virtualenv = None
    options: dict[str, Any] = {}
    if isinstance(runtime, dict):
        options = runtime.get("options") or {}
        runtime_name = runtime.get("name", "")
        if options.get("virtualenv"):
            virtualenv = (root / str(options["virtualenv"])).resolve()
    else:
        runtime_name = str(runtime)
    if runtime_name not in PREVIEWED_RUNTIMES:
        raise ProjectError(f"{path}: runtime {runtime_name!r} is not one the offline preview runs "
                           f"({', '.join(PREVIEWED_RUNTIMES)})")
    defaults = {}
    for key, spec in _mapping(data.get("config"), path, "`config`").items():
        if isinstance(spec, dict):
            if "value" in spec:
                defaults[key] = spec["value"]
            elif "default" in spec:
                defaults[key] = spec["default"]
        else:
            defaults[key] = spec
    return Project(root=root, name=str(data["name"]), runtime=runtime_name, virtualenv=virtualenv,
                   main=data.get("main"), config_defaults=defaults,
                   runtime_options=options if isinstance(options, dict) else {})


def choose_stack(root: Path, stack: str | None) -> str:
    """The named stack, else the only `Pulumi.<stack>.yaml` present, else "dev"."""
    if stack:
        return stack
    stacks = sorted(p.name[len("Pulumi."):-len(".yaml")] for p in root.glob("Pulumi.*.yaml"))
    return stacks[0] if len(stacks) == 1 else "dev"


def namespaced(key: str, project: str) -> str:
    """Config keys without a namespace belong to the project (`dbName` -> `proj:dbName`)."""
    return key if ":" in key else f"{project}:{key}"


def encode_value(value: Any) -> str:
    """Config values reach the program as strings: JSON for anything that is not already a string."""
    return value if isinstance(value, str) else json.dumps(value)


@dataclass
class StackConfig:
    values: dict[str, str]  # "ns:key" -> string, what the program (and the pack's PULUMI_CONFIG) sees
    secure_keys: list[str]  # keys whose value is encrypted in the stack file: not decryptable offline
    notes: list[str]
    # keys of object/list values holding `secure:` entries: the program sees the structure with each encrypted
    # entry replaced by SECRET_PLACEHOLDER, and the whole value is secret (as the CLI marks it)
    nested_secure_keys: list[str] = field(default_factory=list)


def _replace_secure(value: Any) -> tuple[Any, bool]:
    """`value` with every nested `{"secure": ...}` entry replaced by the placeholder, and whether any was."""
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            return SECRET_PLACEHOLDER, True
        pairs = {k: _replace_secure(v) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, any(found for _, found in pairs.values())
    if isinstance(value, list):
        pairs = [_replace_secure(v) for v in value]
        return [v for v, _ in pairs], any(found for _, found in pairs)
    return value, False


def load_config(project: Project, stack: str, overrides: dict[str, str] | None = None) -> StackConfig:
    values = {namespaced(k, project.name): encode_value(v) for k, v in project.config_defaults.items()
              if v is not None}
    secure: list[str] = []
    nested: list[str] = []
    notes: list[str] = []
    path = project.root / f"Pulumi.{stack}.yaml"
    if path.exists():
        data = _mapping(read_yaml(path), path, "the stack file")
        for key, value in _mapping(data.get("config"), path, "`config`").items():
            full = namespaced(str(key), project.name)
            if isinstance(value, dict) and set(value) == {"secure"}:
                secure.append(full)
                values.pop(full, None)
                continue
            value, has_secure = _replace_secure(value)
            if has_secure:
                nested.append(full)
            values[full] = encode_value(value)
    for key, value in (overrides or {}).items():
        full = namespaced(key, project.name)
        values[full] = str(value)
        if full in secure:
            secure.remove(full)
        if full in nested:
            nested.remove(full)
    if secure:
        notes.append("secure config values cannot be decrypted offline; the program sees a placeholder for: "
                     + ", ".join(sorted(secure)))
    if nested:
        notes.append("secure config values inside objects cannot be decrypted offline; the program sees a "
                     "placeholder in: " + ", ".join(sorted(nested)))
    return StackConfig(values=values, secure_keys=secure, notes=notes, nested_secure_keys=nested)


def venv_python(venv: Path) -> Path | None:
    for candidate in (venv / "bin" / "python", venv / "Scripts" / "python.exe"):
        if candidate.exists():
            return candidate
    return None


def choose_python(project: Project, python: str | None) -> str:
    """The interpreter the CLI would use: the project's virtualenv when it exists, else `python`, else ours."""
    if project.virtualenv is not None:
        found = venv_python(project.virtualenv)
        if found is not None:
            return str(found)
    return python or os.environ.get("PULUMI_PYTHON_CMD") or sys.executable
