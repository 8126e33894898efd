"""Turn an analysis of a captured program into findings, and render them as text, JSON or SARIF 2.1.0."""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from typing import Any, Iterable, Optional, Sequence

STACK_TYPE = "pulumi:pulumi:Stack"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


@dataclass
class Violation:
    policy: str
    enforcement: str
    severity: Optional[str]
    resource_type: str
    resource_name: str
    urn: str
    message: str
    file: Optional[str] = None
    line: Optional[int] = None
    # "preview": `pulumi preview` of a new stack reports it too; "after-deploy": only once computed outputs
    # (ids, ARNs, endpoints, generated values) exist; None when not determined
    seen: Optional[str] = None


SEEN_TEXT = {"preview": "at preview", "after-deploy": "after deploy only"}


@dataclass
class Exempted:
    policy: str
    resource_type: str
    resource_name: str
    urn: str
    reason: str
    finding: str
    file: Optional[str] = None  # where the program constructs the resource, as for a violation
    line: Optional[int] = None


@dataclass
class Remediated:
    policy: str
    resource_type: str
    resource_name: str
    urn: str


@dataclass
class Report:
    pack: str
    program: str
    stack: str
    resources_checked: int
    violations: list[Violation] = field(default_factory=list)
    exempted: list[Exempted] = field(default_factory=list)
    remediated: list[Remediated] = field(default_factory=list)
    program_errors: list[dict] = field(default_factory=list)
    policies: list[dict] = field(default_factory=list)
    verbose: bool = False  # program errors carry their traceback

    @property
    def mandatory(self) -> list[Violation]:
        return [v for v in self.violations if v.enforcement == "mandatory"]

    def exit_code(self) -> int:
        if self.program_errors:
            return 2
        return 1 if self.mandatory else 0


def _split_urn(urn: str) -> tuple[str, str]:
    """(type, name) from `urn:pulumi:stack::project::parent$type::name`."""
    parts = urn.split("::")
    if len(parts) < 4:
        return "", urn
    return parts[2].split("$")[-1], "::".join(parts[3:])


def _strip_description(message: str, description: str) -> str:
    """The SDK prefixes every message with the policy description; the report shows it once per policy."""
    if description and message.startswith(description):
        message = message[len(description):]
    return message.strip() or description


def build_report(result: Any, resources: Sequence[dict], *, program: str, stack: str,
                 program_errors: Sequence[dict] = (), seen_at_preview: Optional[set] = None,
                 verbose: bool = False) -> Report:
    """Join the engine client's AnalysisResult with the captured resources (types, names, source lines).

    `seen_at_preview`: (policy, urn) of the findings a first-preview analysis made; each violation is then
    marked "preview" when it is among them, else "after-deploy" (None: not determined).
    """
    by_urn = {r["urn"]: r for r in resources}
    info = result.analyzer_info if result is not None else {}
    policies = list(info.get("policies", [])) if info else []
    report = Report(pack=f"{info.get('name', 'hipaa-guard')}@v{info.get('version', '?')}" if info else "hipaa-guard",
                    program=program, stack=stack,
                    resources_checked=sum(1 for r in resources if r.get("custom") and not r.get("external")
                                          and not r["type"].startswith("pulumi:")),
                    program_errors=list(program_errors), policies=policies, verbose=verbose)
    if result is None:
        return report
    for d in result.diagnostics:
        urn = d.urn or next((r["urn"] for r in resources if r["type"] == STACK_TYPE), "")
        resource = by_urn.get(urn, {})
        rtype, name = (resource.get("type"), resource.get("name")) if resource else _split_urn(urn)
        source = resource.get("source") or {}
        report.violations.append(Violation(
            policy=d.policy_name, enforcement=d.enforcement_level, severity=d.severity,
            resource_type=rtype or "", resource_name=name or "", urn=urn,
            message=_strip_description(d.message, d.description),
            file=source.get("file"), line=source.get("line"),
            seen=None if seen_at_preview is None else
            "preview" if (d.policy_name, urn) in seen_at_preview else "after-deploy"))
    for na in result.not_applicable:
        for line in (na.reason or "").splitlines():
            if not line.startswith("exempted "):
                continue
            head, _, finding = line.partition(" | ")
            urn, _, reason = head[len("exempted "):].partition(": ")
            rtype, name = _split_urn(urn)
            source = by_urn.get(urn, {}).get("source") or {}
            report.exempted.append(Exempted(na.policy_name, rtype, name, urn, reason, finding,
                                            file=source.get("file"), line=source.get("line")))
    for rem in result.remediations:
        if rem.properties is not None:
            rtype, name = _split_urn(rem.urn)
            report.remediated.append(Remediated(rem.policy_name, rtype, name, rem.urn))
    report.violations.sort(key=lambda v: (v.enforcement != "mandatory", v.policy, v.resource_name))
    return report


# -- text --------------------------------------------------------------------------------------------

def render_text(report: Report, color: bool = False) -> str:
    out: list[str] = []
    rel = lambda path: os.path.relpath(path) if path and os.path.isabs(path) else path  # noqa: E731
    if report.program_errors:
        out.append("Program errors (the program could not be constructed):")
        for e in report.program_errors:
            where = rel(e.get("file")) + (f":{e['line']}" if e.get("line") else "") if e.get("file") \
                else "(unknown location)"
            fix = f"\n        fix: fixer apply {e['file'] if e.get('file') else '.'}  (rule {e['fixer_rule']})" \
                if e.get("fixer_rule") else ""
            if e.get("origin") == "preview":
                fix += ("\n        this is a limitation of the offline preview (its mocks could not answer as the "
                        "provider would), not an error in the program")
            out.append(f"    {where}: {e.get('kind')}: {e.get('message')}{fix}")
            if report.verbose and e.get("traceback"):
                out.extend("        " + line for line in e["traceback"].rstrip().splitlines())
        out.append("")
    descriptions = {p["name"]: p.get("description", "") for p in report.policies}
    if report.violations:
        out.append("Policies:")
        out.append(f"    {report.pack}")
        by_policy: dict[str, list[Violation]] = {}
        for v in report.violations:
            by_policy.setdefault(v.policy, []).append(v)
        for policy, items in by_policy.items():
            first = items[0]
            sev = f" [{first.severity}]" if first.severity else ""
            count = len({v.urn for v in items})
            out.append(f"        - [{first.enforcement}]{sev} {policy}  ({count} resource{'s' if count != 1 else ''})")
            if descriptions.get(policy):
                out.append(f"          {descriptions[policy]}")
            for v in items:
                where = f"  ({rel(v.file)}:{v.line})" if v.file else ""
                seen = f"  [{SEEN_TEXT[v.seen]}]" if v.seen else ""
                out.append(f"            {v.resource_type}  {v.resource_name}{where}{seen}")
                for line in v.message.splitlines():
                    out.append(f"              {line}")
        out.append("")
    if report.exempted:
        out.append("Exempted findings (not enforced):")
        for e in report.exempted:
            where = f"  ({rel(e.file)}:{e.line})" if e.file else ""
            out.append(f"    - {e.policy}  {e.resource_type}  {e.resource_name}{where}: {e.reason}")
            if e.finding:
                out.append(f"        would report: {e.finding}")
        out.append("")
    if report.remediated:
        out.append("Remediated by policy:")
        for r in report.remediated:
            out.append(f"    - {r.policy}  {r.resource_type}  {r.resource_name}")
        out.append("")
    mandatory = len(report.mandatory)
    advisory = len(report.violations) - mandatory
    policies = len({v.policy for v in report.violations})
    resources = len({v.urn for v in report.violations})
    if report.program_errors:
        summary = f"{len(report.program_errors)} program error(s): no policy ran."
    elif report.violations:
        summary = (f"{mandatory} mandatory and {advisory} advisory violation(s) of {policies} polic"
                   f"{'y' if policies == 1 else 'ies'} on {resources} of {report.resources_checked} resources.")
    else:
        summary = f"No policy violations: {report.resources_checked} resources checked."
    extras = []
    if report.exempted:
        extras.append(f"{len(report.exempted)} exempted")
    if report.remediated:
        extras.append(f"{len(report.remediated)} remediated")
    after_deploy = sum(1 for v in report.violations if v.seen == "after-deploy")
    if after_deploy:
        extras.append(f"{after_deploy} after deploy only: `pulumi preview` of a new stack does not report them")
    out.append("Summary: " + summary + (f" ({', '.join(extras)})" if extras else ""))
    if not report.program_errors and report.resources_checked == 0:
        # A clean result that checked nothing must not read like a pass of a real program.
        out.append("Warning: the program registered no resources, so no policy judged anything. (In a CommonJS "
                   "Node.js program, `pulumi` calls a function exported as `module.exports` / `export =`, never "
                   "one exported as `export default`.)")
    return "\n".join(out) + "\n"


# -- json --------------------------------------------------------------------------------------------

def render_json(report: Report) -> str:
    doc = {
        "pack": report.pack,
        "program": report.program,
        "stack": report.stack,
        "resources_checked": report.resources_checked,
        "violations": [{k: v for k, v in asdict(x).items() if k not in ("file", "line")} |
                       {"source": {"file": x.file, "line": x.line} if x.file else None} for x in report.violations],
        "exempted": [{k: v for k, v in asdict(x).items() if k not in ("file", "line")} |
                     {"source": {"file": x.file, "line": x.line} if x.file else None} for x in report.exempted],
        "remediated": [asdict(x) for x in report.remediated],
        "program_errors": [{"kind": e.get("kind"), "message": e.get("message"), "file": e.get("file"),
                            "line": e.get("line"), "fixer_rule": e.get("fixer_rule"),
                            "origin": e.get("origin", "program")}
                           | ({"traceback": e.get("traceback")} if report.verbose else {})
                           for e in report.program_errors],
        "summary": {"mandatory": len(report.mandatory), "advisory": len(report.violations) - len(report.mandatory),
                    "exempted": len(report.exempted), "remediated": len(report.remediated)},
    }
    return json.dumps(doc, indent=2) + "\n"


# -- sarif -------------------------------------------------------------------------------------------

_LEVEL = {"mandatory": "error", "remediate": "error", "advisory": "warning", "disabled": "none"}


def render_sarif(report: Report, policies: Iterable[Any], version: str, base_dir: str) -> str:
    """SARIF 2.1.0: one rule per policy, results located where the program constructs the resource."""
    specs = list(policies)
    rules = [{
        "id": s.name, "name": s.name,
        "shortDescription": {"text": s.description},
        "fullDescription": {"text": s.description + (f" (HIPAA 45 CFR {s.citation})" if s.citation else "")},
        "help": {"text": s.remediation},
        "defaultConfiguration": {"level": _LEVEL.get(s.enforcement, "warning")},
        "properties": {"group": s.group, "severity": s.severity, "citation": s.citation,
                       "remediates": s.remediates, "tags": [s.group]},
    } for s in specs]
    index = {s.name: i for i, s in enumerate(specs)}
    results = []
    for v in report.violations:
        result: dict[str, Any] = {
            "ruleId": v.policy, "level": _LEVEL.get(v.enforcement, "warning"),
            "message": {"text": f"{v.resource_type} {v.resource_name}: {v.message}"},
            "locations": [_location(v.file, v.line, base_dir, v.urn)],
        }
        if v.seen:
            result["properties"] = {"seen": v.seen}
        if v.policy in index:
            result["ruleIndex"] = index[v.policy]
        results.append(result)
    for e in report.exempted:
        results.append({"ruleId": e.policy, "level": "note", "kind": "informational",
                        "message": {"text": f"{e.resource_type} {e.resource_name}: {e.finding}"},
                        "suppressions": [{"kind": "external", "justification": e.reason}],
                        "locations": [_location(e.file, e.line, base_dir, e.urn)]})
    notifications = [{
        "level": "error", "message": {"text": f"{e.get('kind')}: {e.get('message')}"},
        "locations": [_location(e.get("file"), e.get("line"), base_dir, None)],
        "properties": {"fixer_rule": e.get("fixer_rule"), "origin": e.get("origin", "program")},
    } for e in report.program_errors]
    doc = {
        "$schema": SARIF_SCHEMA, "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "hipaa-guard", "version": version, "rules": rules}},
            "invocations": [{"executionSuccessful": not report.program_errors,
                             "toolExecutionNotifications": notifications}],
            "results": results,
        }],
    }
    return json.dumps(doc, indent=2) + "\n"


def _location(file: Optional[str], line: Optional[int], base_dir: str, urn: Optional[str]) -> dict:
    loc: dict[str, Any] = {}
    if file:
        uri = os.path.relpath(file, base_dir) if os.path.isabs(file) else file
        physical: dict[str, Any] = {"artifactLocation": {"uri": uri.replace(os.sep, "/")}}
        if line:
            physical["region"] = {"startLine": int(line)}
        loc["physicalLocation"] = physical
    if urn:
        loc["logicalLocations"] = [{"fullyQualifiedName": urn, "kind": "resource"}]
    return loc
