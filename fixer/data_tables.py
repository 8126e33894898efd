"""Dated facts the data-driven rules read: fixer's own tables (``fixer/data``) and, when present, the
policy pack's (``policypack/data``, read as JSON, never imported). Absent files mean "no data": the rules
that need them then report nothing."""
from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path

FIXER_DATA = Path(__file__).parent / "data"


def policypack_data_dir() -> Path:
    return Path(os.environ.get("FIXER_POLICYPACK_DATA") or Path(__file__).parent.parent / "policypack" / "data")


@lru_cache(maxsize=None)
def _load(path: str) -> dict | None:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def fixer_table(name: str) -> dict:
    return _load(str(FIXER_DATA / name)) or {}


def policypack_table(name: str) -> dict | None:
    return _load(str(policypack_data_dir() / name))


# -- availability zones ------------------------------------------------------------------------------
AZ_RE = re.compile(r"^((?:[a-z]{2,4}-)+(?:[a-z]+-)?[a-z]+-\d+)([a-z])$")


def known_regions() -> set:
    data = policypack_table("availability_zones.json") or {}
    regions = set(data.get("regions", []))
    for extra in (data.get("other_partition_regions") or {}).values():
        regions.update(extra)
    return regions


def split_zone(value: str) -> tuple[str, str] | None:
    """``("us-east-1", "a")`` for a zone name of a known region, else None."""
    m = AZ_RE.match(value)
    if not m or m.group(1) not in known_regions():
        return None
    return m.group(1), m.group(2)


def zones_of(region: str) -> list | None:
    data = policypack_table("availability_zones.json") or {}
    return (data.get("zones") or {}).get(region)


# -- RDS engine versions -----------------------------------------------------------------------------
@lru_cache(maxsize=None)
def engine_versions(engine: str, region: str | None) -> tuple | None:
    data = policypack_table("rds_engine_versions.json")
    if not data:
        return None
    engine = (data.get("aliases") or {}).get(engine, engine)
    override = (data.get("region_overrides") or {}).get(region or "", {}).get(engine)
    if override is not None:
        return tuple(override)
    entry = (data.get("engines") or {}).get(engine)
    if not entry:
        return None
    versions = list(entry.get("snapshot", []))
    for change in entry.get("changes", []):
        versions = [v for v in versions if v not in set(change.get("remove", []))]
        versions += [v for v in change.get("add", []) if v not in versions]
    return tuple(versions)


def engine_major(engine: str, version: str) -> str:
    data = policypack_table("rds_engine_versions.json") or {}
    engine = (data.get("aliases") or {}).get(engine, engine)
    parts = (data.get("major_parts") or {}).get(engine, 1)
    return ".".join(re.split(r"[.-]", version)[:parts])


def _key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in re.split(r"[.-]", version))


def check_engine_version(engine: str, version: str, region: str | None) -> tuple[str, list] | None:
    """None when valid or unknown; else ``(major-only replacement, nearest valid versions)``."""
    versions = engine_versions(engine, region)
    if not versions or version in versions:
        return None
    major = engine_major(engine, version)
    same_major = [v for v in versions if engine_major(engine, v) == major]
    if version == major and same_major:
        return None
    if not same_major:
        if _key(major) > max(_key(engine_major(engine, v)) for v in versions):
            return None  # newer than the data: unknown, not invalid
        return None  # a retired major has no one right replacement: the policy pack reports it
    if _key(version) > max(_key(v) for v in same_major):
        return None  # may have been released after the data was taken
    nearest = sorted(same_major, key=lambda v: [abs(a - b) for a, b in zip(_key(v), _key(version))])[:3]
    return major, sorted(nearest, key=_key)


def reserved_usernames(engine: str) -> set:
    table = fixer_table("rds_reserved_usernames.json")
    return set((table.get("reserved") or {}).get(engine, []))
