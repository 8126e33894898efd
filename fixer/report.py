"""Output formats of ``fixer check``/``apply``: text, JSON, SARIF 2.1.0."""
from __future__ import annotations

import json

from .rules import rules_by_name


def text(findings: list, errors: list, fixed: list | None = None) -> str:
    lines = [f"{f.file}:{f.line}:{f.column}: {f.rule} {f.message}" + ("" if f.fix == "none" else f" [fix: {f.fix}]")
             for f in findings]
    lines += [f"error: {e}" for e in errors]
    if fixed is not None:
        lines.append(f"fixed {len(fixed)} finding(s); {len(findings)} remaining")
    elif not findings and not errors:
        lines.append("no findings")
    return "\n".join(lines)


def as_json(findings: list, errors: list, fixed: list | None = None) -> str:
    doc = {"findings": [f.as_dict() for f in findings], "errors": errors}
    if fixed is not None:
        doc["fixed"] = [f.as_dict() for f in fixed]
    return json.dumps(doc, indent=2)


def sarif(findings: list, errors: list) -> str:
    rules = rules_by_name()
    used = sorted({f.rule for f in findings})
    driver_rules = [{"id": name, "shortDescription": {"text": rules[name].DESCRIPTION if name in rules
                                                      else "suppression comment that suppresses nothing"}}
                    for name in used]
    results = [{
        "ruleId": f.rule, "level": "warning" if f.fix == "none" else "error",
        "message": {"text": f.message},
        "properties": {"fix": f.fix},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": f.file},
                                            "region": {"startLine": f.line, "startColumn": f.column}}}],
    } for f in findings]
    notifications = [{"level": "error", "message": {"text": e}} for e in errors]
    run = {"tool": {"driver": {"name": "fixer", "informationUri": "docs/fixer-rules.md", "rules": driver_rules}},
           "results": results,
           "invocations": [{"executionSuccessful": not errors, "toolExecutionNotifications": notifications}]}
    return json.dumps({"version": "2.1.0",
                       "$schema": "https://json.schemastore.org/sarif-2.1.0.json", "runs": [run]}, indent=2)
