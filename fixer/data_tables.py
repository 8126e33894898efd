"""Dated facts the data-driven rules read (``ctx.data``).

AWS facts (engine versions, zones, reserved usernames, placeholders) are read through ``policypack.data``,
the same functions the policy pack and the offline preview use, so the fixer and the pack cannot disagree
(``policypack.data`` is standard library only and cheap to import). The fixer's own tables (``fixer/data``:
keyword renames, restated defaults, module renames) are about the provider's Python API, not AWS, and are
read here; the offline preview's error table reads the renames through ``keyword_renames`` too.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from policypack import data as aws_facts

FIXER_DATA = Path(__file__).parent / "data"


@lru_cache(maxsize=None)
def _load(path: str) -> dict | None:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def fixer_table(name: str) -> dict:
    """One of the fixer's own tables (``fixer/data/<name>``); empty when absent."""
    return _load(str(FIXER_DATA / name)) or {}


def keyword_renames() -> list:
    """Entries ``{"class": "pulumi_aws.rds.Instance", "from": ..., "to": ..., "source": ...}``: the one rename
    table (provider-keyword-renamed applies an entry only where the installed class confirms it)."""
    return list(fixer_table("keyword_renames.json").get("renames", []))


def policypack_table(name: str) -> dict | None:
    """A policy pack data file (``policypack/data/<name>``), or None when it does not exist."""
    try:
        return aws_facts.load(name)
    except KeyError:
        return None


# -- availability zones ------------------------------------------------------------------------------
def known_regions() -> set:
    return set(aws_facts.known_regions())


def split_zone(value: str) -> tuple[str, str] | None:
    """``("us-east-1", "a")`` for a zone name of a known region, else None."""
    return aws_facts.split_zone(value)


def zones_of(region: str) -> list | None:
    return aws_facts.availability_zones(region)


# -- RDS ---------------------------------------------------------------------------------------------
def check_engine_version(engine: str, version: str, region: str | None) -> tuple[str, list] | None:
    """None when valid or when the data cannot say; else ``(major-only replacement, nearest valid versions)``."""
    return aws_facts.engine_version_repair(engine, version, region)


class _ReservedNames:
    """``name.lower() in reserved_usernames(engine)``: reserved words and reserved prefixes alike."""

    def __init__(self, engine: str):
        self.engine = engine

    def __contains__(self, name) -> bool:
        return aws_facts.is_reserved_username(self.engine, name) is True


def reserved_usernames(engine: str) -> _ReservedNames:
    return _ReservedNames(engine)


def username_replacement() -> str:
    """The master username a reserved one is replaced with: reserved by no engine in the data (a test holds
    that), and the name the pack's messages suggest."""
    return "dbadmin"
