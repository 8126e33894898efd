"""The HIPAA control report: the model built from one preview and the policies' metadata, both renderers, the
Security Rule data it reads titles from, and `policypack report` as users run it."""
from __future__ import annotations

import html
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from report_helpers import ROOT, SECRET_EXEMPT, SECRETS, expected_findings, table_rows

from policypack import controls, data
from policypack.control_report import (EXEMPTED, FAIL, NOT_APPLICABLE, NOT_CHECKED, PASS, PASS_EXEMPTED, PASSING,
                                       REMEDIATED, VIOLATION, WARN, build_control_report, control_report_of,
                                       render_html, render_markdown)
from policypack.policy import PolicySpec, all_policies
from policypack.report import Exempted, Remediated, Report, Violation

DB = "aws:rds/instance:Instance"
BUCKET = "aws:s3/bucket:Bucket"
KEY = "aws:kms/key:Key"
PROG = Path(__file__).resolve().parent / "prog"  # a program directory (never read)


def _urn(rtype, name):
    return f"urn:pulumi:dev::p::{rtype}::{name}"


def _resource(rtype, name, line=1):
    return {"type": rtype, "name": name, "urn": _urn(rtype, name), "custom": True,
            "source": {"file": str(PROG / "lib" / f"{name}.py"), "line": line}}


def _spec(name, types, citations, rules=(), enforcement="mandatory"):
    return PolicySpec(name=name, description=f"{name} description.", kind="resource", check=lambda r: [],
                      resource_types=tuple(types), severity="high", group="hipaa", remediation="Fix it.",
                      citation=citations[0], citations=tuple(citations), aws_config_rules=tuple(rules),
                      enforcement=enforcement)


RESOURCES = [
    {"type": "pulumi:pulumi:Stack", "name": "p-dev", "urn": "urn:pulumi:dev::p::pulumi:pulumi:Stack::p-dev"},
    _resource(DB, "db-a"), _resource(DB, "db-b"), _resource(DB, "db-c"), _resource(BUCKET, "bucket", 9),
]
SPECS = [
    _spec("db-encrypted", [DB], ["164.312(a)(2)(iv)", "164.308(a)(1)(ii)(B)"], ["rds-storage-encrypted"]),
    _spec("db-multi-az", [DB], ["164.308(a)(7)(ii)(B)"], ["rds-multi-az-support"], enforcement="advisory"),
    _spec("bucket-encrypted", [BUCKET], ["164.312(a)(2)(iv)"], ["s3-bucket-server-side-encryption-enabled"]),
    _spec("key-rotation", [KEY], ["45 CFR 164.312(a)(2)(iv)"], ["cmk-backing-key-rotation-enabled"]),
    _spec("bucket-logging", [BUCKET], ["164.312(b)"]),
]


def _preview_report(**extra):
    report = Report(pack="hipaa-guard@v0.1.0", program=str(PROG), stack="dev", resources_checked=4,
                    violations=[Violation("db-encrypted", "mandatory", "high", DB, "db-a", _urn(DB, "db-a"),
                                          "storageEncrypted is false."),
                                Violation("db-multi-az", "advisory", "medium", DB, "db-a", _urn(DB, "db-a"),
                                          "multiAz is false.")],
                    exempted=[Exempted("db-encrypted", DB, "db-b", _urn(DB, "db-b"),
                                       "restored snapshot, CHG-7 (config until 2027-03-31)", "storageEncrypted is unset.")],
                    remediated=[Remediated("db-encrypted", DB, "db-c", _urn(DB, "db-c"))])
    for key, value in extra.items():
        setattr(report, key, value)
    return report


def _build(report=None, specs=SPECS, config=None):
    return build_control_report(report or _preview_report(), RESOURCES, specs, policy_config=config,
                                date="2026-12-04")


def _control(cr, cid):
    [found] = [c for c in cr.controls if c.id == cid]
    return found


def _policy(control, name):
    [found] = [p for p in control.policies if p.name == name]
    return found


# -- the model ---------------------------------------------------------------------------------------

def test_each_resource_of_a_policys_types_is_judged_with_its_outcome():
    cr = _build()
    policy = _policy(_control(cr, "164.312(a)(2)(iv)"), "db-encrypted")
    outcomes = {j.resource_name: j.outcome for j in policy.judgements}
    assert outcomes == {"db-a": VIOLATION, "db-b": EXEMPTED, "db-c": REMEDIATED}
    [violation] = [j for j in policy.judgements if j.outcome == VIOLATION]
    assert violation.details == ["storageEncrypted is false."] and violation.enforcement == "mandatory"
    assert violation.source == "lib/db-a.py:1", "sources are relative to the program, never absolute"
    [exempt] = [j for j in policy.judgements if j.outcome == EXEMPTED]
    assert (exempt.reason, exempt.exemption_source, exempt.until) == ("restored snapshot, CHG-7", "config",
                                                                     "2027-03-31")
    assert exempt.details == ["storageEncrypted is unset."]
    bucket = _policy(_control(cr, "164.312(a)(2)(iv)"), "bucket-encrypted")
    assert [(j.resource_name, j.outcome) for j in bucket.judgements] == [("bucket", PASS)]


def test_a_policy_is_listed_under_every_control_it_cites_in_regulation_order():
    cr = _build()
    ids = [c.id for c in cr.controls]
    assert ids == ["164.308(a)(1)(ii)(B)", "164.308(a)(7)(ii)(B)", "164.312(a)(2)(iv)", "164.312(b)"]
    assert "db-encrypted" in [p.name for p in _control(cr, "164.308(a)(1)(ii)(B)").policies]
    # "45 CFR 164.312(a)(2)(iv)" is the same control as "164.312(a)(2)(iv)".
    assert {p.name for p in _control(cr, "164.312(a)(2)(iv)").policies} == {"db-encrypted", "bucket-encrypted",
                                                                            "key-rotation"}
    assert _control(cr, "164.312(a)(2)(iv)").title == "Access control: encryption and decryption"
    assert _control(cr, "164.312(a)(2)(iv)").required is False
    assert _control(cr, "164.308(a)(1)(ii)(B)").title == "Security management process: risk management"


def test_statuses_of_controls_policies_and_config_rules():
    cr = _build()
    assert _control(cr, "164.312(a)(2)(iv)").status == FAIL            # a mandatory violation
    assert _control(cr, "164.308(a)(7)(ii)(B)").status == WARN         # only an advisory one
    assert _control(cr, "164.312(b)").status == PASSING
    assert _policy(_control(cr, "164.312(a)(2)(iv)"), "key-rotation").status == NOT_APPLICABLE  # no key in the stack
    rules = {r.name: r for r in cr.config_rules}
    assert rules["cmk-backing-key-rotation-enabled"].status == NOT_APPLICABLE
    assert rules["rds-storage-encrypted"].status == FAIL and rules["rds-storage-encrypted"].resources == 3
    assert rules["s3-bucket-server-side-encryption-enabled"].status == PASSING
    assert [p.name for p in rules["rds-multi-az-support"].policies] == ["db-multi-az"]


def test_exemptions_alone_pass_with_exemptions():
    report = _preview_report(violations=[])
    control = _control(_build(report), "164.312(a)(2)(iv)")
    assert control.status == PASS_EXEMPTED


def test_a_disabled_policy_checks_nothing_and_a_configured_level_is_shown():
    config = {"db-encrypted": {"enforcementLevel": "disabled"}, "bucket-encrypted": {"enforcementLevel": "advisory",
                                                                                       "managedElsewhere": True}}
    cr = _build(_preview_report(violations=[], exempted=[], remediated=[]), config=config)
    control = _control(cr, "164.312(a)(2)(iv)")
    disabled = _policy(control, "db-encrypted")
    assert {j.outcome for j in disabled.judgements} == {NOT_CHECKED} and disabled.enforcement == "disabled"
    bucket = _policy(control, "bucket-encrypted")
    assert bucket.enforcement == "advisory" and bucket.managed_elsewhere


def test_only_the_policies_the_pack_served_are_reported_at_the_levels_it_ran():
    result = SimpleNamespace(analyzer_info={"policies": [{"name": "db-encrypted"}, {"name": "bucket-logging"}]},
                             policy_config={"bucket-logging": {"enforcementLevel": "advisory"}})
    cr = control_report_of(_preview_report(), result, RESOURCES, SPECS, date="2026-12-04")
    assert {p.name for c in cr.controls for p in c.policies} == {"db-encrypted", "bucket-logging"}
    assert _policy(_control(cr, "164.312(b)"), "bucket-logging").enforcement == "advisory"
    assert [r.name for r in cr.config_rules] == ["rds-storage-encrypted"]


def test_totals_count_each_policy_and_resource_pair_once():
    counts = _build().counts()
    # db-encrypted: 1 violation, 1 exempted, 1 remediated (cited twice, counted once); db-multi-az: 1 violation,
    # 2 pass; bucket-encrypted and bucket-logging: 1 pass each; key-rotation: nothing.
    assert (counts[VIOLATION], counts[EXEMPTED], counts[REMEDIATED], counts[PASS]) == (2, 1, 1, 4)


def test_a_finding_on_a_resource_outside_the_policys_types_is_still_judged():
    report = _preview_report(violations=[Violation("bucket-logging", "mandatory", "high", DB, "db-a",
                                                   _urn(DB, "db-a"), "the database logs to no bucket.")])
    policy = _policy(_control(_build(report), "164.312(b)"), "bucket-logging")
    assert {(j.resource_name, j.outcome) for j in policy.judgements} == {("db-a", VIOLATION), ("bucket", PASS)}


def test_controls_no_policy_cites_are_listed_once_by_standard_or_specification():
    cr = _build()
    uncovered = {c.id for c in cr.uncovered}
    assert "164.310(d)" in uncovered and "164.308(a)(5)(ii)(D)" in uncovered
    assert "164.312(b)" not in uncovered and "164.312(a)(2)(iv)" not in uncovered
    assert "164.312(a)" not in uncovered, "a standard one of whose specifications is enforced is covered"


# -- the Security Rule data --------------------------------------------------------------------------

def test_every_citation_of_every_policy_in_the_pack_has_a_title():
    missing = {(s.name, c) for s in all_policies() for c in s.citations if controls.get(c) is None}
    assert not missing, f"cite a paragraph of 45 CFR 164.308-164.316 (policypack/data/{controls.DATA_FILE})"


def test_security_rule_data_is_ordered_unique_and_well_formed():
    entries = data.load(controls.DATA_FILE)["controls"]
    ids = [e["id"] for e in entries]
    assert len(ids) == len(set(ids))
    sections = [i for i in ids if re.fullmatch(r"164\.3\d\d", i)]
    assert sections == ["164.308", "164.310", "164.312", "164.314", "164.316"]
    for e in entries:
        assert re.fullmatch(r"164\.3\d\d(\([0-9a-zA-Z]+\))*", e["id"]) and e["title"].strip(), e
        assert e["kind"] in ("section", "standard", "implementation specification", "paragraph"), e
        assert controls.normalize(e["id"]) == e["id"]
    # The regulation's order: each id after the one it is nested in.
    for i, cid in enumerate(ids):
        parents = [p for p in ids if cid.startswith(p + "(") or (cid != p and cid.startswith(p) and "(" not in p)]
        assert all(ids.index(p) < i for p in parents), cid
    assert controls.get("164.308(a)(7)(ii)(A)").required is True
    assert controls.get("164.312(e)(2)(ii)").required is False
    assert controls.title("45 CFR 164.308(a)(7)") == "Contingency plan"
    assert controls.get("164.399(z)") is None
    assert controls.TITLES["164.312(e)(2)(i)"] == "Transmission security: integrity controls"
    assert "164.399(z)" not in controls.TITLES and len(controls.TITLES) == len(ids)


# -- renderers ---------------------------------------------------------------------------------------

def test_html_is_one_self_contained_page_with_the_control_table():
    page = render_html(_build())
    parser = table_rows(page)
    assert "script" not in parser.tags and not parser.remote and "@import" not in page and "url(" not in page
    assert "@media print" in page
    body = [r for r in parser.rows if len(r) == 7 and r[0] != "Control"]
    assert [r[0] for r in body] == ["164.308(a)(1)(ii)(B)", "164.308(a)(7)(ii)(B)", "164.312(a)(2)(iv)",
                                    "164.312(b)"]
    encryption = body[2]
    assert encryption[1].startswith("Access control: encryption and decryption")
    assert encryption[2:] == ["3", "1", "1", "2", "fail"], "policies, violations, exempted, passed, status"


def test_markdown_has_the_control_table_and_every_judgement():
    text = render_markdown(_build())
    rows = [line for line in text.splitlines() if line.startswith("| 164.")]
    assert [r.split(" | ")[0] for r in rows] == ["| 164.308(a)(1)(ii)(B)", "| 164.308(a)(7)(ii)(B)",
                                                  "| 164.312(a)(2)(iv)", "| 164.312(b)"]
    assert "restored snapshot, CHG-7 (config until 2027-03-31)" in text
    assert "| db-a (lib/db-a.py:1) | aws:rds/instance:Instance | ❌ violation (mandatory) | storageEncrypted is false. |" \
        in text
    assert "✅ pass (2): db-b, db-c" in text, "db-multi-az passed the other two databases"
    assert "🔧 remediated (1): db-c" in text
    assert "➖ not applicable: none in this stack of its types (kms Key)." in text
    assert text.count("<details>") == text.count("</details>")


MARKUP = "db-<img src=x onerror=alert(1)>|x`y*z"


def test_user_data_is_escaped_in_both_formats():
    resources = [*RESOURCES, _resource(DB, MARKUP)]
    report = _preview_report(violations=[Violation("db-encrypted", "mandatory", "high", DB, MARKUP, _urn(DB, MARKUP),
                                                   "value '<script>x</script>' | not allowed")])
    cr = build_control_report(report, resources, SPECS, date="2026-12-04")
    page = render_html(cr)
    assert "<img" not in page and "<script>x" not in page and html.escape(MARKUP) in page
    md = render_markdown(cr)
    assert "<img" not in md and "<script>" not in md
    rows = [line for line in md.splitlines() if "onerror" in line and line.startswith("| ")]
    assert len(rows) == 2, "db-encrypted's violation, under each of its two controls"
    assert all(len(re.findall(r"(?<!\\)\|", row)) == 5 for row in rows), "a | in user data must not add cells"
    [passed] = [line for line in md.splitlines() if "onerror" in line and not line.startswith("| ")]
    assert passed.startswith("✅ pass (4): ") and "db-&lt;img" in passed, "db-multi-az passed it"


# -- both examples, rendered -------------------------------------------------------------------------

def test_broken_example_report_lists_every_expected_hipaa_finding(previews):
    preview_report, cr, code = previews["broken"]
    assert code == 1
    hipaa = {s.name for s in all_policies() if s.citations}
    judged = {(p.name, j.resource_name) for c in cr.controls for p in c.policies for j in p.judgements
              if j.outcome == VIOLATION}
    assert judged == {f for f in expected_findings("broken") if f[0] in hipaa}
    assert {c.status for c in cr.controls} & {FAIL}
    page, md = render_html(cr), render_markdown(cr)
    for policy, name in judged:
        assert policy in page and html.escape(name) in page and policy in md
    rows = [r for r in table_rows(page).rows if len(r) == 7 and r[0].startswith("164.")]
    assert len(rows) == len(cr.controls) and all(r[6] for r in rows)


def test_compliant_example_report_passes_every_control(previews):
    _, cr, code = previews["compliant"]
    assert code == 0
    # the compliant stack documents a few justified exemptions (tags with reasons): passing, with exemptions
    assert cr.controls and {c.status for c in cr.controls} <= {PASSING, PASS_EXEMPTED, NOT_APPLICABLE}
    assert any(c.status == PASSING for c in cr.controls)
    assert cr.counts()[VIOLATION] == 0 and cr.counts()[PASS] > 0
    md = render_markdown(cr)
    assert "❌" not in md and "✅ pass" in md


def test_exemptions_show_reason_and_expiry_and_a_secret_tag_reason_stays_withheld(previews):
    _, cr, _ = previews["secret_exempt"]
    control = _control(cr, "164.312(a)(2)(iv)")
    judgements = {(p.name, j.resource_name): j for p in control.policies for j in p.judgements}
    tagged = judgements[("rds-storage-encrypted", "legacy-db")]
    assert (tagged.outcome, tagged.reason, tagged.exemption_source, tagged.until) == (
        EXEMPTED, "reason withheld: the exemption tag is a secret", "tag", "2099-01-31")
    configured = judgements[("s3-bucket-encrypted", "exports-<b>bold</b>")]
    assert configured.outcome == EXEMPTED and configured.until == "2099-06-30"
    assert configured.reason.startswith("public open-data exports")
    assert judgements[("rds-storage-encrypted", "records-db")].outcome == VIOLATION
    for text in (render_html(cr), render_markdown(cr)):
        assert not [s for s in SECRETS if s in text]
        assert "2099-01-31" in text and "2099-06-30" in text


# -- the command -------------------------------------------------------------------------------------

def policypack(*args):
    return subprocess.run([sys.executable, "-m", "policypack.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)


def test_report_command_writes_the_file_whole_with_the_preview_exit_code(tmp_path):
    out = tmp_path / "report.md"
    proc = policypack("report", SECRET_EXEMPT, "--policy-config", SECRET_EXEMPT / "policy-config.json",
                      "--format", "markdown", "-o", out)
    assert proc.returncode == 1, proc.stderr  # one mandatory violation, as `preview` would exit
    assert proc.stdout == "" and out.read_text().startswith("## HIPAA control report: secret\\_exempt")
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"], "no temporary file left behind"
    assert not [s for s in SECRETS if s in proc.stderr + out.read_text()]


def test_report_command_errors_are_one_line_and_write_nothing(tmp_path):
    out = tmp_path / "report.html"
    proc = policypack("report", ROOT / "tests" / "cli" / "programs" / "bad_keyword", "-o", out)
    assert proc.returncode == 2 and not out.exists()
    assert "TypeError" in proc.stderr and "Traceback" not in proc.stderr
    proc = policypack("report", SECRET_EXEMPT, "-o", tmp_path / "missing" / "r.html")
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "missing" in proc.stderr
    proc = policypack("report", SECRET_EXEMPT, "--format", "pdf")
    assert proc.returncode == 2 and "invalid choice" in proc.stderr


def test_a_rule_outside_aws_hipaa_pack_is_shown_marked_and_not_counted():
    hipaa = data.aws_config_hipaa_rules()
    assert "rds-instance-deletion-protection-enabled" not in set(hipaa["checkable"]) | set(hipaa["not_checkable"])
    specs = SPECS + [_spec("db-deletion-protection", [DB], ["164.308(a)(7)(ii)(A)"],
                           ["rds-instance-deletion-protection-enabled"])]
    cr = _build(specs=specs)
    rules = {r.name: r for r in cr.config_rules}
    assert rules["rds-storage-encrypted"].in_framework and not rules["rds-instance-deletion-protection-enabled"].in_framework
    counted = sum(1 for r in cr.config_rules if r.in_framework)
    for text in (render_markdown(cr), html.unescape(re.sub(r"<[^>]+>", "", render_html(cr)))):
        assert re.search(rf"AWS Config HIPAA rules implemented\W*{counted} \(", text)
        assert "rds-instance-deletion-protection-enabled (not in AWS's HIPAA pack; not counted)" in text
