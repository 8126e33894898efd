"""Coverage of external rule sets by the pack's policies, computed from each policy's `aws_config_rules`.

Today one framework: AWS Config's "Operational Best Practices for HIPAA Security" conformance pack
(`aws-config-hipaa`), whose rule list is dated data (`data/aws_config_hipaa.json`).
"""
from __future__ import annotations

from typing import Any, Iterable

from . import data

FRAMEWORKS = ("aws-config-hipaa",)
IMPLEMENTED, PARTIAL, NOT_IMPLEMENTED = "implemented", "partial", "not implemented"


def coverage(framework: str, policies: Iterable[Any]) -> dict[str, Any]:
    """Per checkable rule of `framework`: the policies implementing it and a status (implemented, partial,
    not implemented) with the known reason; plus the rules a preview cannot decide, with why."""
    if framework not in FRAMEWORKS:
        raise ValueError(f"unknown framework {framework!r}; known: {', '.join(FRAMEWORKS)}")
    facts = data.aws_config_hipaa_rules()
    by_rule: dict[str, list[str]] = {}
    for spec in policies:
        for rule in spec.aws_config_rules:
            by_rule.setdefault(rule, []).append(spec.name)
    rules = []
    for rule in facts["checkable"]:
        names = sorted(by_rule.get(rule, []))
        if not names:
            status, note = NOT_IMPLEMENTED, None
        elif rule in facts["partial"]:
            status, note = PARTIAL, facts["partial"][rule]
        else:
            status, note = IMPLEMENTED, None
        rules.append({"rule": rule, "policies": names, "status": status, "note": note})
    unknown = sorted(set(by_rule) - set(facts["checkable"]) - set(facts["not_checkable"]))
    return {
        "framework": framework, "title": facts["title"], "source": facts["_source"][0], "taken": facts["_taken"],
        "checkable": len(rules),
        "implemented": sum(r["status"] == IMPLEMENTED for r in rules),
        "partial": sum(r["status"] == PARTIAL for r in rules),
        "rules": rules,
        "not_checkable": [{"rule": r, "reason": why} for r, why in facts["not_checkable"].items()],
        # Rules policies declare that are not in this pack (e.g. one AWS removed): shown, never counted.
        "outside_framework": [{"rule": r, "policies": sorted(by_rule[r])} for r in unknown],
    }
