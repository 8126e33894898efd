"""The rule registry: every module in this package defines exactly one rule class."""
from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from ..rule import AstRule, CstRule, ProjectRule, Rule


@lru_cache(maxsize=1)
def all_rules() -> tuple:
    rules = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        found = [v for v in vars(module).values()
                 if isinstance(v, type) and issubclass(v, Rule) and v.__module__ == module.__name__ and v.NAME]
        if len(found) != 1:
            raise RuntimeError(f"{module.__name__} must define exactly one rule, found {len(found)}")
        rule = found[0]
        if info.name != rule.NAME.replace("-", "_"):
            raise RuntimeError(f"{module.__name__}: module name must be the rule name {rule.NAME!r}")
        rules.append(rule)
    return tuple(sorted(rules, key=lambda r: r.NAME))


def rules_by_name() -> dict:
    return {r.NAME: r for r in all_rules()}


def select_rules(select=None, ignore=None) -> tuple:
    """Rules enabled by ``select``/``ignore`` (lists of names; ``ALL`` selects everything)."""
    by_name = rules_by_name()
    unknown = [n for n in list(select or []) + list(ignore or []) if n not in by_name and n != "ALL"]
    if unknown:
        raise ValueError(f"unknown rule(s): {', '.join(unknown)}")
    chosen = [r for r in all_rules() if not select or "ALL" in select or r.NAME in select]
    return tuple(r for r in chosen if r.NAME not in (ignore or []))


def split_kinds(rules) -> tuple:
    ast_rules = tuple(r for r in rules if issubclass(r, AstRule))
    cst_rules = tuple(r for r in rules if issubclass(r, CstRule))
    project_rules = tuple(r for r in rules if issubclass(r, ProjectRule))
    return ast_rules, cst_rules, project_rules
