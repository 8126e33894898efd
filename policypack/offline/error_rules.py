"""Which fixer rule (catalog.md) repairs a program error, judged from the real exception.

A program that cannot be constructed is reported as a finding pointing at the fixer rule that repairs it.
The runner reports facts (exception class, message, the files of its traceback, the module of the object an
AttributeError was raised on); this module maps them to a rule name, or None when no rule applies. Kept as
a small table so a new rule is one entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from fixer.data_tables import keyword_renames
from fixer.keywords import RESOURCE_OPTIONS as _FIXER_RESOURCE_OPTIONS

# The fixer's tables, read through the fixer's own functions so the preview names the rule `fixer check` names
# for the same line: keyword renames (catalog: provider-keyword-renamed) as (provider module, class, old keyword)
# -> new keyword, and the resource options programs pass as constructor keywords (resource-option-keyword).
KEYWORD_RENAMES: dict[tuple[str, str, str], str] = {
    (entry["class"].split(".")[1], entry["class"].rsplit(".", 1)[1], entry["from"]): entry["to"]
    for entry in keyword_renames() if entry["class"].startswith("pulumi_aws.") and entry["class"].count(".") == 2
}
RESOURCE_OPTIONS = frozenset(_FIXER_RESOURCE_OPTIONS)

PROVIDER_PACKAGES = ("pulumi_aws", "pulumi_random", "pulumi_awsx", "pulumi_tls")


@dataclass
class ErrorFacts:
    kind: str
    message: str
    trace_files: list[str] = field(default_factory=list)  # outermost first
    owner_module: str | None = None  # AttributeError: module of the object (or the module itself)


def _provider_module(facts: ErrorFacts) -> tuple[str | None, str | None]:
    """(package, module) of the innermost traceback frame inside a provider SDK, e.g. (pulumi_aws, rds)."""
    for path in reversed(facts.trace_files):
        m = re.search(r"[/\\](pulumi_\w+)[/\\](?:(\w+)[/\\])?\w+\.py$", path)
        if m and m.group(1) in PROVIDER_PACKAGES:
            return m.group(1), m.group(2)
    return None, None


def _unexpected_keyword(facts: ErrorFacts, program_dir: Path) -> str | None:
    m = re.search(r"(?:(\w+)\.(?:_internal_init|__init__)\(\) )?got an unexpected keyword argument '(\w+)'",
                  facts.message)
    if not m:
        return None
    cls, keyword = m.group(1), m.group(2)
    package, module = _provider_module(facts)
    if package is None and "_internal_init" not in facts.message:
        return None  # a function of the program's own: no provider rule applies
    if keyword in RESOURCE_OPTIONS:
        return "resource-option-keyword"
    if module is not None and (module, cls, keyword) in KEYWORD_RENAMES:
        return "provider-keyword-renamed"
    if module is None and sum(1 for (_, c, k) in KEYWORD_RENAMES if (c, k) == (cls, keyword)) == 1:
        return "provider-keyword-renamed"
    return "provider-keyword-unknown"


def _missing_attribute(facts: ErrorFacts, program_dir: Path) -> str | None:
    msg = facts.message
    m = re.search(r"module '(pulumi_\w+)(?:\.[\w.]+)?' has no attribute '(\w+)'", msg)
    if m:
        if m.group(2) in ("RandomPassword", "RandomString"):
            return "random-password-module"
        return "provider-module-unknown" if m.group(1) in PROVIDER_PACKAGES else None
    m = re.search(r"'(\w+)' object has no attribute '(\w+)'", msg)
    if m and (facts.owner_module or "").split(".")[0] in PROVIDER_PACKAGES:
        if m.group(2) == "random_password":
            return "random-password-result"
        return "provider-attribute-unknown"
    m = re.search(r"type object '(\w+)' has no attribute '(\w+)'", msg)
    if m and (facts.owner_module or "").split(".")[0] in PROVIDER_PACKAGES:
        return "provider-enum-member"
    return None


def _cannot_import(facts: ErrorFacts, program_dir: Path) -> str | None:
    m = re.search(r"cannot import name '(\w+)' from '(pulumi_\w+)", facts.message)
    if not m or m.group(2) not in PROVIDER_PACKAGES:
        return None
    return "random-password-module" if m.group(1) in ("RandomPassword", "RandomString") else "provider-module-unknown"


def _no_module(facts: ErrorFacts, program_dir: Path) -> str | None:
    m = re.search(r"No module named '([\w.]+)'", facts.message)
    if not m:
        return None
    name = m.group(1)
    top = name.split(".")[0]
    if top in PROVIDER_PACKAGES and "." in name:
        return "provider-module-unknown"
    local = program_dir / top
    if local.is_dir():
        return None if (local / "__init__.py").exists() else "package-init-missing"
    if (program_dir / f"{top}.py").exists():
        return None
    return "requirement-missing"


def _json_dumps(facts: ErrorFacts, program_dir: Path) -> str | None:
    return "output-json-dumps" if "Object of type Output is not JSON serializable" in facts.message else None


# exception class -> matchers tried in order; the first that names a rule wins.
RULES = {
    "TypeError": (_unexpected_keyword, _json_dumps),
    "AttributeError": (_missing_attribute,),
    "ImportError": (_cannot_import, _no_module),
    "ModuleNotFoundError": (_no_module, _cannot_import),
}


def fixer_rule_for(facts: ErrorFacts, program_dir: str | Path) -> str | None:
    """The catalog fixer rule that repairs this error, or None."""
    for matcher in RULES.get(facts.kind, ()):
        rule = matcher(facts, Path(program_dir))
        if rule:
            return rule
    return None
