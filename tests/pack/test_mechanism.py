"""The policy mechanism's own guarantees: a buggy policy never breaks a preview, and exempted findings reach
the report as exempted (not dropped, not enforced)."""
import json
from types import SimpleNamespace

import pytest

from policypack.engine.results import Diagnostic, NotApplicable
from policypack.policy import Outcome, PolicySpec
from policypack.views import ResourceView
from policypack.report import build_report, render_json, render_sarif, render_text

URN = "urn:pulumi:dev::p::aws:rds/instance:Instance::db"


def _spec(check, **kw):
    return PolicySpec(name="test-policy", description="A test policy.", kind="resource", check=check,
                      resource_types=("aws:rds/instance:Instance",), severity="high", group="deploy",
                      remediation="Fix it.", **kw)


def _view(props):
    return ResourceView("aws:rds/instance:Instance", "db", URN, props)


def test_a_policy_that_raises_reports_nothing_and_names_itself_on_stderr(capsys):
    def broken(r):
        raise KeyError(r.props.get("password"))
    outcome = _spec(broken).decide(_view({"password": "hunter2-secret"}))
    err = capsys.readouterr().err
    assert outcome == Outcome()
    assert "test-policy" in err and URN in err and "KeyError" in err
    assert "hunter2-secret" not in err, "the error line must not carry values"


def test_a_tag_exemption_turns_the_finding_into_not_applicable_with_the_reason():
    def always(r):
        yield "storage is unencrypted."
    props = {"tags": {"hipaa-guard:exempt": "test-policy: legacy reporting copy, ticket SEC-1"}}
    outcome = _spec(always).decide(_view(props))
    assert outcome.violations == []
    assert outcome.exempted == ("exempted urn:pulumi:dev::p::aws:rds/instance:Instance::db: "
                                "legacy reporting copy, ticket SEC-1 (tag) | storage is unencrypted.")


def _result(reason):
    return SimpleNamespace(
        analyzer_info={"name": "hipaa-guard", "version": "0.1.0",
                       "policies": [{"name": "test-policy", "description": "A test policy."}]},
        diagnostics=[Diagnostic(policy_name="other", policy_pack_name="hipaa-guard", policy_pack_version="0.1.0",
                                message="Other.\nbad", urn=URN, enforcement_level="advisory", severity="low",
                                description="Other.")],
        not_applicable=[NotApplicable(policy_name="test-policy", reason=reason, urn=URN)],
        remediations=[])


RESOURCES = [{"type": "aws:rds/instance:Instance", "name": "db", "urn": URN, "custom": True,
              "source": {"file": "/prog/__main__.py", "line": 7}}]


def test_exempted_findings_are_listed_in_every_format():
    reason = f"exempted {URN}: legacy copy (config until 2027-01-31) | storage is unencrypted."
    report = build_report(_result(reason), RESOURCES, program="/prog", stack="dev")
    assert [(e.policy, e.resource_name, e.reason, e.finding) for e in report.exempted] == [
        ("test-policy", "db", "legacy copy (config until 2027-01-31)", "storage is unencrypted.")]
    assert report.exit_code() == 0, "advisory + exempted findings do not fail the preview"
    text = render_text(report)
    assert "Exempted findings" in text and "legacy copy" in text and "1 exempted" in text
    doc = json.loads(render_json(report))
    assert doc["exempted"][0]["policy"] == "test-policy" and doc["summary"]["exempted"] == 1
    spec = _spec(lambda r: [])
    sarif = json.loads(render_sarif(report, [spec], "0.1.0", "/prog"))
    [suppressed] = [r for r in sarif["runs"][0]["results"] if r.get("suppressions")]
    assert suppressed["suppressions"][0]["justification"].startswith("legacy copy")


def test_other_not_applicable_reasons_are_not_taken_for_exemptions():
    report = build_report(_result("Policy does not implement remediate"), RESOURCES, program="/prog", stack="dev")
    assert report.exempted == []
    [violation] = report.violations
    assert (violation.message, violation.file, violation.line) == ("bad", "/prog/__main__.py", 7)
