"""Exemptions: a justified exception for one policy on one resource, with a reason and an optional expiry.

Two sources, both requiring a reason:

* policy config: ``{"<policy>": {"exemptions": [{"resources": ["name", "urn:*glob*"], "reason": "...",
  "until": "YYYY-MM-DD"}]}}`` (also under ``"all"``, which the engine copies to every policy);
* a resource tag next to the resource it excuses: ``hipaa-guard:exempt = "policy-a,policy-b: reason [until
  YYYY-MM-DD]"``, several separated by ``;``; ``*`` names every policy.

An exemption stops applying the day after its ``until`` date, and the finding then says it expired.
"""
from __future__ import annotations

import datetime as _dt
import fnmatch
import os
import re
from dataclasses import dataclass
from typing import Any, Iterable, Optional

TAG_KEY = "hipaa-guard:exempt"
_TAG_ENTRY = re.compile(
    r"^\s*(?P<policies>[\w*][\w\-*]*(?:\s*,\s*[\w*][\w\-*]*)*)\s*:\s*(?P<reason>.*?)"
    r"(?:\s*\[?\s*until\s+(?P<until>\d{4}-\d{2}-\d{2})\s*\]?)?\s*$",
    re.IGNORECASE,
)

CONFIG_SCHEMA = {
    "type": "array",
    "description": "Resources excused from this policy, each with a reason and an optional expiry date.",
    "items": {
        "type": "object",
        "properties": {
            "resources": {"type": "array", "items": {"type": "string"}, "minItems": 1,
                          "description": "Logical resource names or URN globs."},
            "reason": {"type": "string", "minLength": 1},
            "until": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        },
        "required": ["resources", "reason"],
    },
}


@dataclass(frozen=True)
class Exemption:
    policies: tuple[str, ...]
    reason: str
    until: Optional[_dt.date]
    source: str  # "tag" or "config"
    secret: bool = False  # the tag arrived as a secret: its reason is never displayed

    def covers(self, policy: str) -> bool:
        return "*" in self.policies or "all" in self.policies or policy in self.policies

    def expired(self, today: _dt.date) -> bool:
        return self.until is not None and today > self.until

    @property
    def shown_reason(self) -> str:
        return "reason withheld: the exemption tag is a secret" if self.secret else self.reason

    def describe(self) -> str:
        until = f" until {self.until.isoformat()}" if self.until else ""
        return f"{self.shown_reason} ({self.source}{until})"


_DESCRIBED = re.compile(r"^(?P<reason>.*) \((?P<source>tag|config)(?: until (?P<until>\d{4}-\d{2}-\d{2}))?\)$", re.S)


def parse_description(text: str) -> tuple[str, str, Optional[str]]:
    """(reason, source, until or None) from `Exemption.describe()`'s text, as the reports read it back."""
    match = _DESCRIBED.match(text or "")
    if not match:
        return text or "", "", None
    return match.group("reason"), match.group("source"), match.group("until")


@dataclass(frozen=True)
class Decision:
    active: Optional[Exemption]
    expired: Optional[Exemption]

    def expiry_note(self) -> str:
        if self.expired is None or self.expired.until is None:
            return ""
        return f" (exemption expired on {self.expired.until.isoformat()}: {self.expired.shown_reason})"


def today() -> _dt.date:
    """Today's date; HIPAA_GUARD_TODAY=YYYY-MM-DD pins it (tests, reproducible CI runs)."""
    pinned = os.environ.get("HIPAA_GUARD_TODAY")
    if pinned:
        return _dt.date.fromisoformat(pinned)
    return _dt.date.today()


def _parse_date(text: Any) -> Optional[_dt.date]:
    if not isinstance(text, str):
        return None
    try:
        return _dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def from_tag(value: Any, secret: bool = False) -> list[Exemption]:
    """Parse the `hipaa-guard:exempt` tag value; entries without a reason are ignored. A secret tag still
    exempts (its owner wrote it), but its reason is withheld from every message."""
    if not isinstance(value, str):
        return []
    found = []
    for entry in value.split(";"):
        match = _TAG_ENTRY.match(entry)
        if not match or not match.group("reason").strip():
            continue
        policies = tuple(p.strip() for p in match.group("policies").split(",") if p.strip())
        found.append(Exemption(policies, match.group("reason").strip(), _parse_date(match.group("until")), "tag",
                               secret))
    return found


def from_config(entries: Any, policy: str, name: str, urn: str) -> list[Exemption]:
    """Config exemptions of `policy` that name this resource (logical name or URN glob)."""
    if not isinstance(entries, list):
        return []
    found = []
    for entry in entries:
        if not isinstance(entry, dict):
            continue
        reason = entry.get("reason")
        patterns = entry.get("resources")
        if not isinstance(reason, str) or not reason.strip() or not isinstance(patterns, list):
            continue
        if any(isinstance(p, str) and _matches(p, name, urn) for p in patterns):
            found.append(Exemption((policy,), reason.strip(), _parse_date(entry.get("until")), "config"))
    return found


def _matches(pattern: str, name: str, urn: str) -> bool:
    if pattern == name or pattern == urn:
        return True
    if any(ch in pattern for ch in "*?["):
        return fnmatch.fnmatchcase(urn, pattern) or fnmatch.fnmatchcase(name, pattern)
    return False


def decide(policy: str, name: str, urn: str, tags: dict, config: dict,
           on: Optional[_dt.date] = None, secret_tag: bool = False) -> Decision:
    """Which exemption (if any) excuses `policy` on this resource today, and which one lapsed."""
    on = on or today()
    candidates: Iterable[Exemption] = [
        *(e for e in from_tag(tags.get(TAG_KEY), secret_tag) if e.covers(policy)),
        *from_config(config.get("exemptions"), policy, name, urn),
    ]
    active = expired = None
    for exemption in candidates:
        if exemption.expired(on):
            expired = expired or exemption
        elif active is None:
            active = exemption
    return Decision(active, expired)
