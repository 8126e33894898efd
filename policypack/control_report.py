"""The HIPAA control report of one preview: per Security Rule control, the policies that enforce it and what
each did with each resource of the stack; plus the AWS Config HIPAA rules the pack implements.

Everything is derived from the policies' own metadata (`citations`, `aws_config_rules`, `resource_types`) and
one preview's results, so a policy added to the pack appears in the report without any change here:

- a policy *judged* a resource when the resource's type is one of the policy's `resource_types` (or the policy
  reported on it): the judgement is `violation` (its messages), `exempted` (reason and expiry), `remediated`
  (the policy fixed the inputs), `not checked` (the policy is disabled) or, with no finding, `pass`;
- a policy with no resource of its types in the stack is *not applicable*, and so is a control or an AWS Config
  rule whose policies all are.

Rendered as one self-contained HTML page (inline CSS, no script, no network; prints to PDF) and as Markdown for
pull-request comments. Every value from the program (names, messages, reasons) is escaped; messages come from
the pack, which already shows secret values as `[secret]`.
"""
from __future__ import annotations

import html
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Optional, Sequence

from . import controls, data, exemptions
from .policy import HIPAA_FRAMEWORK, HIPAA_FRAMEWORK_VERSION
from .report import Report

# Outcomes of one policy on one resource, in the order the report lists and counts them.
VIOLATION, EXEMPTED, REMEDIATED, PASS, NOT_CHECKED = "violation", "exempted", "remediated", "pass", "not checked"
OUTCOMES = (VIOLATION, EXEMPTED, REMEDIATED, PASS, NOT_CHECKED)
# Status of a control, a policy or an AWS Config rule, worst first.
FAIL, WARN, PASS_EXEMPTED, PASSING, DISABLED, NOT_APPLICABLE = (
    "fail", "warn", "pass with exemptions", "pass", "disabled", "not applicable")
STATUS_ORDER = (FAIL, WARN, PASS_EXEMPTED, PASSING, DISABLED, NOT_APPLICABLE)
MANAGED_ELSEWHERE = "managedElsewhere"


@dataclass
class Judgement:
    """What one policy concluded about one resource."""
    resource_type: str
    resource_name: str
    urn: str
    outcome: str
    enforcement: str = ""          # the violation's level (mandatory, advisory)
    details: list[str] = field(default_factory=list)  # violation messages, or the exempted finding
    reason: str = ""               # exempted: why
    exemption_source: str = ""     # exempted: tag or config
    until: Optional[str] = None    # exempted: the expiry date, if any
    source: Optional[str] = None   # where the program constructs the resource: "lib/db.py:12"


@dataclass
class PolicyResult:
    name: str
    description: str
    severity: str
    enforcement: str               # the level this preview ran it at
    citations: tuple[str, ...]
    aws_config_rules: tuple[str, ...]
    resource_types: tuple[str, ...]
    managed_elsewhere: bool = False
    judgements: list[Judgement] = field(default_factory=list)

    def counts(self) -> Counter:
        return Counter(j.outcome for j in self.judgements)

    @property
    def status(self) -> str:
        return _status([self])


@dataclass
class ControlResult:
    id: str
    title: str                     # "Contingency plan: data backup plan"
    section: str                   # "164.308 Administrative safeguards"
    required: Optional[bool]       # implementation specification: Required / Addressable; None otherwise
    policies: list[PolicyResult] = field(default_factory=list)

    def counts(self) -> Counter:
        return sum((p.counts() for p in self.policies), Counter())

    @property
    def status(self) -> str:
        return _status(self.policies)


OUTSIDE_PACK = " (not in AWS's HIPAA pack; not counted)"


@dataclass
class ConfigRuleResult:
    name: str
    policies: list[PolicyResult] = field(default_factory=list)
    # False for a rule a policy declares that AWS's HIPAA pack does not hold (e.g. one AWS dropped): shown
    # marked, never counted as a HIPAA rule implemented
    in_framework: bool = True

    @property
    def status(self) -> str:
        return _status(self.policies)

    @property
    def resources(self) -> int:
        return len({j.urn for p in self.policies for j in p.judgements})


@dataclass
class ControlReport:
    program: str
    stack: str
    pack: str
    date: str
    resources_checked: int
    controls: list[ControlResult]
    config_rules: list[ConfigRuleResult]
    uncovered: list[controls.Control]      # Security Rule paragraphs no policy of the pack cites

    def counts(self) -> Counter:
        """Outcomes over every (policy, resource) pair, each pair once however many controls it cites."""
        seen = {p.name: p for c in self.controls for p in c.policies}
        return sum((p.counts() for p in seen.values()), Counter())

    def statuses(self, items: Iterable[Any]) -> Counter:
        return Counter(item.status for item in items)


def _status(policies: Sequence[PolicyResult]) -> str:
    outcomes = Counter()
    levels = set()
    for p in policies:
        for j in p.judgements:
            outcomes[j.outcome] += 1
            if j.outcome == VIOLATION:
                levels.add(j.enforcement)
    if outcomes[VIOLATION]:
        return FAIL if "mandatory" in levels else WARN
    if outcomes[EXEMPTED]:
        return PASS_EXEMPTED
    if outcomes[PASS] or outcomes[REMEDIATED]:
        return PASSING
    if outcomes[NOT_CHECKED]:
        return DISABLED
    return NOT_APPLICABLE


# -- building ----------------------------------------------------------------------------------------

def build_control_report(report: Report, resources: Sequence[Mapping[str, Any]], policies: Iterable[Any], *,
                         policy_config: Optional[Mapping[str, Mapping[str, Any]]] = None,
                         date: Optional[str] = None) -> ControlReport:
    """Join one preview (`report.Report` and the captured resources) with the policies' metadata.

    `policies` are `PolicySpec`s (anything with name, description, severity, enforcement, citations,
    aws_config_rules, resource_types); `policy_config` is what the preview sent with Configure (the level
    each policy ran at and its options).
    """
    config = policy_config or {}
    base = os.path.abspath(report.program) if report.program else None
    judged = [r for r in resources if r.get("custom") and not str(r.get("type", "")).startswith("pulumi:")]
    violations: dict[tuple[str, str], list] = {}
    for v in report.violations:
        violations.setdefault((v.policy, v.urn), []).append(v)
    exempted = {(e.policy, e.urn): e for e in report.exempted}
    remediated = {(r.policy, r.urn) for r in report.remediated}
    by_urn = {r["urn"]: r for r in resources}

    results: list[PolicyResult] = []
    for spec in policies:
        citations = tuple(getattr(spec, "citations", ()) or ((spec.citation,) if getattr(spec, "citation", None)
                                                             else ()))
        rules = tuple(getattr(spec, "aws_config_rules", ()) or ())
        if not citations and not rules:
            continue
        settings = config.get(spec.name, {})
        level = str(settings.get("enforcementLevel") or spec.enforcement).lower()
        result = PolicyResult(name=spec.name, description=spec.description, severity=spec.severity,
                              enforcement=level, citations=tuple(controls.normalize(c) for c in citations),
                              aws_config_rules=rules, resource_types=tuple(spec.resource_types),
                              managed_elsewhere=settings.get(MANAGED_ELSEWHERE) is True)
        urns = [r["urn"] for r in judged if r["type"] in spec.resource_types]
        # A policy may report on a resource outside its own types (a stack policy attaching to a partner).
        urns += sorted({u for (p, u) in [*violations, *exempted] if p == spec.name and u not in urns})
        for urn in urns:
            result.judgements.append(_judge(spec.name, urn, by_urn.get(urn), level, violations, exempted,
                                            remediated, base))
        result.judgements.sort(key=lambda j: (OUTCOMES.index(j.outcome), j.resource_type, j.resource_name))
        results.append(result)

    by_control: dict[str, list[PolicyResult]] = {}
    for result in results:
        for citation in result.citations:
            by_control.setdefault(citation, []).append(result)
    control_results = []
    for cid in sorted(by_control, key=controls.sort_key):
        known = controls.get(cid)
        control_results.append(ControlResult(
            id=cid, title=known.full_title if known else "(not a paragraph of the Security Rule data)",
            section=f"{known.section} {known.section_title}" if known else "",
            required=known.required if known and known.kind == "implementation specification" else None,
            policies=sorted(by_control[cid], key=lambda p: (STATUS_ORDER.index(p.status), p.name))))

    by_rule: dict[str, list[PolicyResult]] = {}
    for result in results:
        for rule in result.aws_config_rules:
            by_rule.setdefault(rule, []).append(result)
    hipaa_pack = data.aws_config_hipaa_rules()
    in_pack = set(hipaa_pack["checkable"]) | set(hipaa_pack["not_checkable"])
    rules = [ConfigRuleResult(name, sorted(ps, key=lambda p: p.name), in_framework=name in in_pack)
             for name, ps in sorted(by_rule.items())]

    cited = set(by_control)
    uncovered = [c for c in controls.all_controls()
                 if c.kind in ("standard", "implementation specification") and c.id not in cited
                 and not any(x == c.id or x.startswith(c.id + "(") for x in cited)]
    return ControlReport(program=os.path.basename(base) if base else "", stack=report.stack, pack=report.pack,
                         date=date or exemptions.today().isoformat(), resources_checked=report.resources_checked,
                         controls=control_results, config_rules=rules, uncovered=uncovered)


def control_report_of(report: Report, result: Any, resources: Sequence[Mapping[str, Any]], policies: Iterable[Any],
                      *, date: Optional[str] = None) -> ControlReport:
    """The control report of one preview run (`engine.AnalysisResult`): the policies the launched pack served,
    at the levels and with the options the run configured them with.

    The metadata (every citation, AWS Config rules, types) comes from this installation's policy declarations:
    the Analyzer protocol carries only one framework reference per policy.
    """
    served = {p["name"] for p in (result.analyzer_info or {}).get("policies", [])}
    return build_control_report(report, resources, [p for p in policies if p.name in served],
                                policy_config=result.policy_config, date=date)


def _judge(policy: str, urn: str, resource: Optional[Mapping[str, Any]], level: str, violations, exempted,
           remediated, base: Optional[str]) -> Judgement:
    rtype, name = (resource["type"], resource.get("name") or "") if resource else _urn_type_name(urn)
    judgement = Judgement(resource_type=rtype, resource_name=name, urn=urn, outcome=PASS,
                          source=_source(resource, base))
    found = violations.get((policy, urn))
    if found:
        judgement.outcome = VIOLATION
        judgement.enforcement = "mandatory" if any(v.enforcement == "mandatory" for v in found) \
            else found[0].enforcement
        judgement.details = [v.message for v in found]
    elif (policy, urn) in exempted:
        e = exempted[(policy, urn)]
        reason, source, until = exemptions.parse_description(e.reason)
        judgement.outcome = EXEMPTED
        judgement.reason, judgement.exemption_source, judgement.until = reason, source, until
        judgement.details = [e.finding] if e.finding else []
    elif level == "disabled":
        judgement.outcome = NOT_CHECKED
    elif (policy, urn) in remediated:
        judgement.outcome = REMEDIATED
    return judgement


def _urn_type_name(urn: str) -> tuple[str, str]:
    parts = urn.split("::")
    return (parts[2].split("$")[-1], parts[-1]) if len(parts) >= 4 else ("", urn)


def _source(resource: Optional[Mapping[str, Any]], base: Optional[str]) -> Optional[str]:
    """`lib/db.py:12`, relative to the program directory (never this machine's absolute path)."""
    src = (resource or {}).get("source") or {}
    path = src.get("file")
    if not path:
        return None
    if base and os.path.isabs(path):
        rel = os.path.relpath(path, base)
        path = rel if not rel.startswith("..") else os.path.basename(path)
    return f"{path.replace(os.sep, '/')}:{src['line']}" if src.get("line") else path.replace(os.sep, "/")


# -- shared wording ----------------------------------------------------------------------------------

TITLE = "HIPAA control report"
UNCOVERED_NOTE = ("Standards and implementation specifications of the Security Rule that no policy of this pack cites. "
                  "Most are administrative, physical or organisational safeguards, which a program's resources "
                  "cannot show.")
PASS_MEANING = ("pass: the policy checked the resource and reported nothing (a value still unknown at preview "
                "keeps a policy silent); not applicable: the stack has no resource of the policy's types.")


def _requirement(control: ControlResult) -> str:
    return {True: "Required", False: "Addressable"}.get(control.required, "")


def _policy_counts_text(policy: PolicyResult) -> str:
    counts = policy.counts()
    if not policy.judgements:
        return f"none in this stack of its types ({_types_text(policy)})"
    return _outcome_counts(counts)


def _types_text(policy: PolicyResult) -> str:
    """`rds Instance, rds Cluster`: the kinds of resource a policy checks, short."""
    kinds = []
    for token in policy.resource_types:
        parts = token.split(":")
        kind = f"{parts[1].split('/')[0]} {parts[-1]}" if len(parts) == 3 else token
        if kind not in kinds:
            kinds.append(kind)
    return ", ".join(kinds)


def _outcome_counts(counts: Counter, every: bool = False) -> str:
    """`2 violations, 1 exempted, 5 pass`: each outcome with its count (the zero ones too when `every`)."""
    return ", ".join(f"{counts[o]} {o}{'s' if o == VIOLATION and counts[o] != 1 else ''}"
                     for o in OUTCOMES if every or counts[o])


def _totals_lines(report: ControlReport) -> list[tuple[str, str]]:
    counts = report.counts()
    statuses = report.statuses(report.controls)
    hipaa_rules = [r for r in report.config_rules if r.in_framework]
    rule_statuses = report.statuses(hipaa_rules)
    applicable_rules = sum(1 for r in hipaa_rules if r.status != NOT_APPLICABLE)
    return [
        ("Controls enforced", f"{len(report.controls)} ({statuses[FAIL]} failing, {statuses[WARN]} with advisory "
                              f"findings, {statuses[PASS_EXEMPTED]} passing with exemptions, {statuses[PASSING]} "
                              f"passing, {statuses[NOT_APPLICABLE] + statuses[DISABLED]} not applicable)"),
        ("Checks (policy x resource)", _outcome_counts(counts, every=True)),
        ("AWS Config HIPAA rules implemented", f"{len(hipaa_rules)} ({applicable_rules} applicable to this "
                                               f"stack, {len(hipaa_rules) - applicable_rules} not; "
                                               f"{rule_statuses[FAIL]} failing)"),
        ("Resources in the stack", str(report.resources_checked)),
    ]


def _exemption_text(j: Judgement) -> str:
    until = f" until {j.until}" if j.until else ""
    source = f" ({j.exemption_source}{until})" if j.exemption_source else until
    return f"{j.reason}{source}"


# -- HTML --------------------------------------------------------------------------------------------

_CSS = """
:root { --fail:#b42318; --warn:#b54708; --pass:#067647; --exempt:#5925dc; --muted:#667085; --line:#d0d5dd; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
       color: #101828; margin: 0 auto; max-width: 1180px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 19px; margin: 32px 0 8px; border-bottom: 2px solid #101828; }
h3 { font-size: 15px; margin: 22px 0 6px; } h4 { font-size: 14px; margin: 12px 0 4px; }
.meta, .note, .muted { color: var(--muted); } .note { font-size: 12.5px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { background: #f2f4f7; font-weight: 600; } .num { text-align: right; font-variant-numeric: tabular-nums; }
code, .mono { font: 12.5px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: break-word; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600;
         white-space: nowrap; border: 1px solid currentColor; }
.s-fail, .o-violation { color: var(--fail); } .s-warn { color: var(--warn); } .s-pass, .o-pass, .o-remediated { color: var(--pass); }
.s-pass-with-exemptions, .o-exempted { color: var(--exempt); } .s-not-applicable, .s-disabled, .o-not-checked { color: var(--muted); }
.totals { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 12px 0; }
.totals dt { font-weight: 600; } .totals dd { margin: 0; }
ul.detail { margin: 0; padding-left: 18px; }
table.judgements { table-layout: fixed; } table.judgements th:nth-child(1) { width: 22%; }
table.judgements th:nth-child(2) { width: 24%; } table.judgements th:nth-child(3) { width: 13%; } .section-row td { background: #f9fafb; font-weight: 600; }
a { color: #1849a9; }
ul.uncovered { columns: 2; column-gap: 32px; padding-left: 18px; font-size: 13px; } ul.uncovered li { break-inside: avoid; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  h1 { font-size: 19px; } h2 { font-size: 15px; } h3 { font-size: 12.5px; } h4, .note { font-size: 11px; }
  code, .mono { font-size: 10px; } .badge { font-size: 9.5px; }
  @page { size: A4 landscape; margin: 12mm; }
  h2, h3, h4 { break-after: avoid; } tr, ul.uncovered li { break-inside: avoid; } thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _breakable(type_token: str) -> str:
    """A type token that wraps at its separators (`aws:ec2/<wbr>securityGroup:<wbr>SecurityGroup`), not mid-word."""
    return re.sub(r"([:/])", r"\1<wbr>", _e(type_token))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _badge(status: str, prefix: str = "s") -> str:
    return f'<span class="badge {prefix}-{_slug(status)}">{_e(status)}</span>'


def render_html(report: ControlReport) -> str:
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           # No script, no external fetch: the page is one file that opens offline and prints as it reads.
           "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
           f"<title>{_e(TITLE)}: {_e(report.program)} ({_e(report.stack)})</title>",
           f"<style>{_CSS}</style>", "</head>", "<body>"]
    out.append(f"<header><h1>{_e(TITLE)}</h1>")
    out.append(f'<p class="meta">Program <b>{_e(report.program)}</b> · stack <b>{_e(report.stack)}</b> · '
               f"{_e(report.pack)} · offline preview of {_e(report.date)} · "
               f"{_e(HIPAA_FRAMEWORK)}, {_e(HIPAA_FRAMEWORK_VERSION)}</p></header>")
    out.append('<dl class="totals">' + "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>"
                                                for k, v in _totals_lines(report)) + "</dl>")

    out.append('<h2 id="controls">Controls</h2>')
    out.append('<table id="control-table"><thead><tr><th>Control</th><th>Title</th><th>Policies</th>'
               + "".join(f'<th class="num">{_e(o.capitalize())}</th>' for o in (VIOLATION, EXEMPTED, PASS))
               + "<th>Status</th></tr></thead><tbody>")
    section = None
    for c in report.controls:
        if c.section != section:
            section = c.section
            out.append(f'<tr class="section-row"><td colspan="7">{_e(section or "Other")}</td></tr>')
        counts = c.counts()
        req = f' <span class="muted">({_e(_requirement(c))})</span>' if c.required is not None else ""
        out.append(f'<tr><td class="mono"><a href="#c-{_slug(c.id)}">{_e(c.id)}</a></td><td>{_e(c.title)}{req}</td>'
                   f'<td class="num">{len(c.policies)}</td><td class="num">{counts[VIOLATION]}</td>'
                   f'<td class="num">{counts[EXEMPTED]}</td><td class="num">{counts[PASS] + counts[REMEDIATED]}</td>'
                   f"<td>{_badge(c.status)}</td></tr>")
    out.append("</tbody></table>")
    out.append(f'<p class="note">{_e(PASS_MEANING)}</p>')

    for c in report.controls:
        out.append(f'<section class="control" id="c-{_slug(c.id)}">')
        out.append(f"<h3>45 CFR {_e(c.id)}: {_e(c.title)} {_badge(c.status)}</h3>")
        for p in c.policies:
            level = f"{p.enforcement}, {p.severity}" + (", managed elsewhere" if p.managed_elsewhere else "")
            out.append(f'<h4><code>{_e(p.name)}</code> <span class="muted">({_e(level)})</span> {_badge(p.status)}</h4>')
            out.append(f'<div class="muted">{_e(p.description)} Resources: {_e(_policy_counts_text(p))}.</div>')
            if p.judgements:
                out.append(_html_judgements(p.judgements))
        out.append("</section>")

    out.append('<h2 id="aws-config-rules">AWS Config HIPAA rules</h2>')
    if report.config_rules:
        out.append('<table id="config-rule-table"><thead><tr><th>AWS Config rule</th><th>Implemented by</th>'
                   '<th class="num">Resources</th><th>Status</th></tr></thead><tbody>')
        for r in sorted(report.config_rules, key=lambda r: (r.status == NOT_APPLICABLE, r.name)):
            out.append(f'<tr><td class="mono">{_e(r.name)}{"" if r.in_framework else OUTSIDE_PACK}</td><td class="mono">'
                       + ", ".join(_e(p.name) for p in r.policies)
                       + f'</td><td class="num">{r.resources}</td><td>{_badge(r.status)}</td></tr>')
        out.append("</tbody></table>")
    else:
        out.append('<p class="note">No policy of this pack declares an AWS Config rule.</p>')

    if report.uncovered:
        out.append('<h2 id="not-enforced">Controls no policy enforces</h2>')
        out.append(f'<p class="note">{_e(UNCOVERED_NOTE)}</p><ul class="uncovered">')
        out += [f'<li><span class="mono">{_e(c.id)}</span> {_e(c.full_title)}</li>' for c in report.uncovered]
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


def _html_judgements(judgements: Sequence[Judgement]) -> str:
    rows = ['<table class="judgements"><thead><tr><th>Resource</th><th>Type</th><th>Result</th>'
            "<th>Detail</th></tr></thead><tbody>"]
    for j in judgements:
        detail = ""
        if j.outcome == EXEMPTED:
            detail = f"<div>Exempted: {_e(_exemption_text(j))}</div>"
        if j.details:
            detail += '<ul class="detail">' + "".join(f"<li>{_e(d)}</li>" for d in j.details) + "</ul>"
        where = f'<div class="muted mono">{_e(j.source)}</div>' if j.source else ""
        result = _badge(j.outcome, "o") + (f' <span class="muted">{_e(j.enforcement)}</span>' if j.enforcement else "")
        rows.append(f'<tr><td class="mono">{_e(j.resource_name)}{where}</td><td class="mono">{_breakable(j.resource_type)}</td>'
                    f"<td>{result}</td><td>{detail}</td></tr>")
    rows.append("</tbody></table>")
    return "".join(rows)


# -- Markdown ----------------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def _m(value: Any) -> str:
    """Markdown-safe inline text: one line, no HTML (as entities), no emphasis, link or table break."""
    text = html.escape(" ".join(str(value).split()), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text)


def _h(value: Any) -> str:
    """Text inside an HTML block of the Markdown (<summary>), where Markdown escapes are not read."""
    return html.escape(" ".join(str(value).split()), quote=False)


_MD_MARK = {FAIL: "❌", WARN: "⚠️", PASS_EXEMPTED: "🟣", PASSING: "✅", DISABLED: "⏸️", NOT_APPLICABLE: "➖",
            VIOLATION: "❌", EXEMPTED: "🟣", REMEDIATED: "🔧", PASS: "✅", NOT_CHECKED: "⏸️"}


def _md_status(status: str) -> str:
    return f"{_MD_MARK.get(status, '')} {status}".strip()


def render_markdown(report: ControlReport) -> str:
    out = [f"## {TITLE}: {_m(report.program)} (stack {_m(report.stack)})", "",
           f"{_m(report.pack)} · offline preview of {_m(report.date)} · {_m(HIPAA_FRAMEWORK)}, "
           f"{_m(HIPAA_FRAMEWORK_VERSION)}", ""]
    out += [f"- **{_m(k)}**: {_m(v)}" for k, v in _totals_lines(report)] + [""]
    out += ["### Controls", "", "| Control | Title | Policies | Violation | Exempted | Pass | Status |",
            "|---|---|--:|--:|--:|--:|---|"]
    for c in report.controls:
        counts = c.counts()
        req = f" ({_requirement(c)})" if c.required is not None else ""
        out.append(f"| {_m(c.id)} | {_m(c.title)}{req} | {len(c.policies)} | {counts[VIOLATION]} | "
                   f"{counts[EXEMPTED]} | {counts[PASS] + counts[REMEDIATED]} | {_md_status(c.status)} |")
    out += ["", f"_{_m(PASS_MEANING)}_", ""]

    out += ["### Results per control", ""]
    for c in report.controls:
        counts = c.counts()
        summary = _outcome_counts(counts) or "not applicable"
        # Collapsed so a pull-request comment stays short; the summary line carries the status.
        out += ["<details>", f"<summary>{_md_status(c.status)} <b>45 CFR {_h(c.id)}</b> {_h(c.title)}: "
                             f"{_h(summary)}</summary>", ""]
        for p in c.policies:
            level = f"{p.enforcement}, {p.severity}" + (", managed elsewhere" if p.managed_elsewhere else "")
            out.append(f"**`{_code(p.name)}`** ({_m(level)}): {_m(p.description)} {_md_status(p.status)}")
            out.append("")
            if not p.judgements:
                out += [f"{_md_status(NOT_APPLICABLE)}: none in this stack of its types ({_m(_types_text(p))}).", ""]
                continue
            # Findings get a row each; resources that simply passed share one line, to keep the comment short.
            findings = [j for j in p.judgements if j.outcome not in (PASS, REMEDIATED, NOT_CHECKED)]
            if findings:
                out += ["| Resource | Type | Result | Detail |", "|---|---|---|---|"]
            for j in findings:
                detail = []
                if j.outcome == EXEMPTED:
                    detail.append("Exempted: " + _m(_exemption_text(j)))
                detail += [_m(d) for d in j.details]
                where = f" ({_m(j.source)})" if j.source else ""
                result = _md_status(j.outcome) + (f" ({_m(j.enforcement)})" if j.enforcement else "")
                out.append(f"| {_m(j.resource_name)}{where} | {_m(j.resource_type)} | {result} | "
                           f"{' / '.join(detail)} |")
            if findings:
                out.append("")
            for outcome in (PASS, REMEDIATED, NOT_CHECKED):
                names = [j.resource_name for j in p.judgements if j.outcome == outcome]
                if names:
                    out += [f"{_md_status(outcome)} ({len(names)}): " + ", ".join(_m(n) for n in names), ""]
        out += ["</details>", ""]

    out += ["### AWS Config HIPAA rules", ""]
    if report.config_rules:
        out += ["| AWS Config rule | Implemented by | Resources | Status |", "|---|---|--:|---|"]
        for r in sorted(report.config_rules, key=lambda r: (r.status == NOT_APPLICABLE, r.name)):
            out.append(f"| {_m(r.name)}{'' if r.in_framework else OUTSIDE_PACK} | "
                       f"{', '.join(_m(p.name) for p in r.policies)} | {r.resources} | "
                       f"{_md_status(r.status)} |")
    else:
        out.append("No policy of this pack declares an AWS Config rule.")
    out.append("")
    if report.uncovered:
        out += ["<details>", f"<summary>{len(report.uncovered)} Security Rule controls no policy enforces</summary>",
                "", _m(UNCOVERED_NOTE), ""]
        out += [f"- {_m(c.id)} {_m(c.full_title)}" for c in report.uncovered]
        out += ["", "</details>", ""]
    return "\n".join(out).rstrip() + "\n"


def _code(text: str) -> str:
    """Text inside a code span: backticks cannot be escaped there, so they are dropped."""
    return " ".join(str(text).replace("`", "'").split())
