"""Suppression comments.

- ``# fixer: ignore[rule-a, rule-b]`` at the end of the line a finding points at suppresses those rules there;
  ``# fixer: ignore`` (no brackets) suppresses every rule on that line.
- ``# fixer: ignore-file[rule-a]`` on any line suppresses those rules in the whole file.
- A suppression that suppresses nothing (for a rule that ran) is itself a finding, ``unused-suppression``.
"""
from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field

from .rule import Finding

UNUSED_SUPPRESSION = "unused-suppression"
_COMMENT_RE = re.compile(r"#\s*fixer:\s*(ignore-file|ignore)(?:\[([^\]]*)\])?")


@dataclass
class Suppression:
    line: int
    column: int
    file_level: bool
    rules: tuple  # empty: every rule
    used: set = field(default_factory=set)


def parse_suppressions(source: str) -> list:
    if "fixer:" not in source:
        return []
    found = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return []
    for tok in tokens:
        if tok.type != tokenize.COMMENT:
            continue
        m = _COMMENT_RE.search(tok.string)
        if m:
            rules = tuple(r.strip() for r in (m.group(2) or "").split(",") if r.strip())
            found.append(Suppression(tok.start[0], tok.start[1] + 1, m.group(1) == "ignore-file", rules))
    return found


def filter_findings(findings: list, suppressions: list) -> list:
    """Findings that no suppression covers; marks the suppressions that were used."""
    kept = []
    for f in findings:
        covering = [s for s in suppressions if (s.file_level or s.line == f.line) and (not s.rules or f.rule in s.rules)]
        for s in covering:
            s.used.add(f.rule)
        if not covering:
            kept.append(f)
    return kept


def unused(path: str, suppressions: list, ran: set, known: set) -> list:
    """``unused-suppression`` findings for suppressions of rules that ran and matched nothing."""
    out = []
    for s in suppressions:
        if not s.rules:
            if not s.used and ran:
                out.append(Finding(UNUSED_SUPPRESSION, path, s.line, s.column,
                                   "this suppression comment suppresses no finding", "none"))
            continue
        for rule in s.rules:
            if rule not in known:
                out.append(Finding(UNUSED_SUPPRESSION, path, s.line, s.column,
                                   f"suppression names an unknown rule {rule!r}", "none"))
            elif rule in ran and rule not in s.used:
                out.append(Finding(UNUSED_SUPPRESSION, path, s.line, s.column,
                                   f"suppression of {rule} suppresses no finding", "none"))
    return out
