"""Which files a run covers: Python files under the given paths, honouring .gitignore files and excludes."""
from __future__ import annotations

import os
from pathlib import Path

import pathspec

ALWAYS_SKIPPED = {".git", ".hg", ".venv", "venv", "__pycache__", "node_modules", ".tox", ".mypy_cache",
                  ".pytest_cache", "build", "dist"}


def _spec(lines) -> pathspec.PathSpec:
    try:
        return pathspec.PathSpec.from_lines("gitignore", lines)  # pathspec >= 1.0
    except (KeyError, LookupError):
        return pathspec.PathSpec.from_lines("gitwildmatch", lines)


class InputError(Exception):
    """A path argument that names nothing usable (the message names it)."""


def discover(paths: list, exclude: list | None = None, problems: list | None = None) -> list:
    """Python files named by ``paths`` (files are taken as given; directories are walked, symlinked directories
    not followed). Anything that is not a directory is taken as a file: reading it (fixer/source.py) refuses
    FIFOs, devices and other non-regular files with a message, without blocking. Directories that cannot be
    listed are appended to ``problems`` as messages. Raises ``InputError`` for a path that does not exist or
    when no Python file is found at all."""
    found = []
    extra = _spec(exclude or [])
    for given in paths:
        p = Path(given)
        if not os.path.lexists(given):
            raise InputError(f"{given}: no such file or directory")
        if not p.is_dir():
            found.append(str(p))
            continue

        def unreadable(exc: OSError) -> None:
            if problems is not None:
                problems.append(f"{exc.filename}: cannot list: {exc.strerror or exc}")
        ignores: list = []  # (directory, spec) from .gitignore files met on the way down
        for directory, dirnames, filenames in os.walk(p, onerror=unreadable):
            gitignore = Path(directory) / ".gitignore"
            if gitignore.is_file():
                from .source import SourceError, read_bytes
                try:
                    lines = read_bytes(str(gitignore), 1 << 20).decode("utf-8", "replace").splitlines()
                except SourceError as exc:
                    lines = []
                    if problems is not None:
                        problems.append(f"{exc} (its rules were not applied)")
                ignores.append((directory, _spec(lines)))
            active = [(d, s) for d, s in ignores if directory == d or directory.startswith(d + os.sep)]

            def ignored(name: str, is_dir: bool) -> bool:
                full = os.path.join(directory, name)
                for base, spec in active + [(str(p), extra)]:
                    rel = os.path.relpath(full, base).replace(os.sep, "/") + ("/" if is_dir else "")
                    if spec.match_file(rel):
                        return True
                return False

            dirnames[:] = sorted(d for d in dirnames if d not in ALWAYS_SKIPPED and not ignored(d, True))
            found += [os.path.join(directory, f) for f in sorted(filenames)
                      if f.endswith(".py") and not ignored(f, False)]
    if not found:
        raise InputError(f"no Python files under {', '.join(paths)}")
    return list(dict.fromkeys(found))
