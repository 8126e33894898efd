"""Shared by the offline tests (a uniquely named module: the test directories are not packages)."""

from __future__ import annotations

from pathlib import Path

PROGRAMS = Path(__file__).parent / "programs"


def by_name(result, type_, name):
    matches = [r for r in result.resources if r["type"] == type_ and r["name"] == name]
    assert len(matches) == 1, f"{type_} {name}: {len(matches)} captured"
    return matches[0]
