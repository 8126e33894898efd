"""Where settings come from: ``[tool.fixer]`` in the nearest pyproject.toml, the Pulumi project
(``Pulumi.yaml``: virtualenv; ``Pulumi.<stack>.yaml``: ``aws:region``), and the command line."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

try:
    import tomllib
except ImportError:  # Python 3.10
    tomllib = None


@dataclass
class ToolConfig:
    select: list = field(default_factory=list)
    ignore: list = field(default_factory=list)
    region: str | None = None
    exclude: list = field(default_factory=list)


def _read_text(path: Path) -> str | None:
    """A settings file's text; None when it is missing, not a regular file, too big or not UTF-8 (the
    settings it would give are then simply absent)."""
    from .source import SourceError, read_bytes
    try:
        return read_bytes(str(path), 1 << 20).decode("utf-8")
    except (SourceError, ValueError):
        return None


def _load_yaml(path: Path) -> dict:
    import yaml
    text = _read_text(path)
    try:
        data = yaml.safe_load(text) if text is not None else None
    except yaml.YAMLError:
        return {}
    return data if isinstance(data, dict) else {}


@lru_cache(maxsize=None)
def tool_config(start: str) -> ToolConfig:
    """``[tool.fixer]`` of the nearest pyproject.toml at or above ``start`` that has one."""
    for directory in [Path(start), *Path(start).parents]:
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and tomllib is not None:
            try:
                data = tomllib.loads(_read_text(pyproject) or "")
            except ValueError:
                continue
            section = data.get("tool", {}).get("fixer")
            if isinstance(section, dict):
                return ToolConfig(list(section.get("select", [])), list(section.get("ignore", [])),
                                  section.get("region"), list(section.get("exclude", [])))
    return ToolConfig()


@lru_cache(maxsize=None)
def project_dir(start: str) -> str | None:
    """The nearest directory at or above ``start`` holding Pulumi.yaml."""
    for directory in [Path(start), *Path(start).parents]:
        if (directory / "Pulumi.yaml").is_file() or (directory / "Pulumi.yml").is_file():
            return str(directory)
    return None


@lru_cache(maxsize=None)
def stack_region(project: str | None) -> str | None:
    """``aws:region`` of the project's stack file when there is exactly one ``Pulumi.<stack>.yaml``."""
    if not project:
        return None
    stacks = [p for p in Path(project).glob("Pulumi.*.yaml")]
    if len(stacks) != 1:
        return None
    config = _load_yaml(stacks[0]).get("config")
    region = config.get("aws:region") if isinstance(config, dict) else None
    return region if isinstance(region, str) else None


def project_virtualenv(project: str) -> Path | None:
    """The directory Pulumi.yaml ``runtime.options.virtualenv`` names (relative to the project), when set."""
    name = "Pulumi.yaml" if (Path(project) / "Pulumi.yaml").is_file() else "Pulumi.yml"
    runtime = _load_yaml(Path(project) / name).get("runtime")
    if not isinstance(runtime, dict) or not isinstance(runtime.get("options"), dict):
        return None
    venv = runtime["options"].get("virtualenv")
    return Path(project, venv) if isinstance(venv, str) and venv else None
