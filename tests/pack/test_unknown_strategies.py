"""Each `on_unknown` strategy over gRPC, served by the pack's analyzer exactly as the CLI would launch it:
`defer` decides at AnalyzeStack where the stack resolves the value and stays silent where nothing does;
`skip` stays silent; `report` gives one advisory saying what could not be verified. None of them ever
produces the SDK's "can't run policy during preview" advisory."""
import textwrap

import pytest

from policypack.engine import AnalysisSession, wire

THING = "test:index:Thing"
STACK = "urn:pulumi:dev::strategies::pulumi:pulumi:Stack::strategies-dev"

PACK = textwrap.dedent('''
    from policypack.analyzer_service import serve
    from policypack.policy import PolicySpec


    def flag_on(r):
        if r.props.get_bool("flag") is not True:
            yield "flag is " + r.props.show("flag") + "."


    serve([PolicySpec(name=f"flag-{strategy}", description=f"Flag must be on ({strategy}).", kind="resource",
                      check=flag_on, resource_types=("test:index:Thing",), severity="low", group="deploy",
                      remediation="Turn it on.", on_unknown=strategy)
           for strategy in ("defer", "skip", "report")])
''')


def thing(name, inputs, outputs):
    return {"type": THING, "name": name, "urn": f"urn:pulumi:dev::strategies::{THING}::{name}", "custom": True,
            "id": name, "inputs": inputs, "outputs": outputs, "parent": STACK, "dependencies": [],
            "property_dependencies": {}, "provider": None, "options": {}}


@pytest.fixture(scope="module")
def session(tmp_path_factory):
    pack = tmp_path_factory.mktemp("strategy-pack")
    (pack / "PulumiPolicy.yaml").write_text("runtime: python\ndescription: strategies\n")
    (pack / "__main__.py").write_text(PACK)
    with AnalysisSession(pack, project="strategies", stack="dev") as s:
        yield s


@pytest.fixture(scope="module")
def result(session):
    stack = [
        {"type": "pulumi:pulumi:Stack", "name": "strategies-dev", "urn": STACK, "custom": False, "inputs": {},
         "outputs": {}, "parent": None, "dependencies": [], "property_dependencies": {}, "provider": None,
         "options": {}},
        thing("resolved", {"flag": wire.UNKNOWN}, {"flag": False}),   # unknown at Analyze, known after
        thing("unresolved", {"flag": wire.UNKNOWN}, {"flag": wire.UNKNOWN}),
        thing("known-bad", {"flag": False}, {"flag": False}),
    ]
    return session.analyze(stack)


def findings(result, policy):
    return sorted((d.urn.rsplit("::", 1)[-1], d.enforcement_level) for d in result.diagnostics
                  if d.policy_name == policy)


def test_defer_is_decided_at_analyze_stack_where_the_stack_knows_and_silent_where_it_does_not(result):
    assert findings(result, "flag-defer") == [("known-bad", "mandatory"), ("resolved", "mandatory")]


def test_skip_stays_silent_on_every_unknown(result):
    assert findings(result, "flag-skip") == [("known-bad", "mandatory")]


def test_report_gives_one_advisory_per_unknown_resource_saying_what_was_not_verified(result):
    assert findings(result, "flag-report") == [
        ("known-bad", "mandatory"), ("resolved", "advisory"), ("unresolved", "advisory")]
    notes = [d.message for d in result.diagnostics
             if d.policy_name == "flag-report" and d.enforcement_level == "advisory"]
    assert all("could not be verified at preview: flag is not known yet" in m for m in notes)


def test_no_strategy_produces_the_sdk_cant_run_advisory(result):
    assert [d for d in result.diagnostics if "during preview" in d.message] == []


def test_a_finding_made_at_analyze_is_not_repeated_at_analyze_stack(result):
    known = [d for d in result.diagnostics if d.policy_name == "flag-defer" and d.urn.endswith("known-bad")]
    assert len(known) == 1
