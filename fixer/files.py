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


def discover(paths: list, exclude: list | None = None) -> list:
    """Python files named by ``paths`` (files are taken as given; directories are walked)."""
    found = []
    extra = _spec(exclude or [])
    for given in paths:
        p = Path(given)
        if p.is_file():
            found.append(str(p))
            continue
        if not p.is_dir():
            raise FileNotFoundError(given)
        ignores: list = []  # (directory, spec) from .gitignore files met on the way down
        for directory, dirnames, filenames in os.walk(p):
            gitignore = Path(directory) / ".gitignore"
            if gitignore.is_file():
                ignores.append((directory, _spec(gitignore.read_text(encoding="utf-8", errors="replace")
                                                 .splitlines())))
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
    return list(dict.fromkeys(found))
