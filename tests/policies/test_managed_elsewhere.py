"""`managedElsewhere`: a control that lives in another stack (a landing zone) lets a resource without an
in-stack match pass; a match that is present is still checked. The program runs once under the offline
capture; the pack, launched as the CLI launches it, analyses it with and without the option."""
from pathlib import Path

import pytest

from policypack.engine import AnalysisSession
from policypack.offline import capture_program
from policypack.policy import MANAGED_ELSEWHERE, all_policies

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = Path(__file__).parent / "programs" / "controls-in-landing-zone"
ELSEWHERE = sorted(s.name for s in all_policies() if MANAGED_ELSEWHERE in s.config_schema)
# What the landing zone provides for this program, and the resource each rule would otherwise report.
PROVIDED = {("vpc-flow-logs-enabled", "workload-vpc"), ("rds-in-backup-plan", "records-db"),
            ("efs-in-backup-plan", "scans"), ("wafv2-logging-enabled", "workload-waf"),
            ("vpc-default-security-group-closed", "workload-vpc")}


def reported(session, resources, config):
    session.configure(config)
    result = session.analyze(resources)
    return {(d.urn.rsplit("::", 1)[-1], d.policy_name) for d in result.diagnostics if d.policy_name in ELSEWHERE}


@pytest.fixture(scope="module")
def found():
    capture = capture_program(PROGRAM, stack="dev")
    assert capture.ok, capture.program_errors
    strict = {"vpc-flow-logs-enabled": {"enforcementLevel": "mandatory", "trafficType": "ALL"}}
    relaxed = {name: {MANAGED_ELSEWHERE: True} for name in ELSEWHERE}
    relaxed["vpc-flow-logs-enabled"].update(strict["vpc-flow-logs-enabled"])
    with AnalysisSession(ROOT, project="controls-in-landing-zone", stack="dev",
                         config={"aws:region": "us-east-1"}) as session:
        flip = lambda pairs: {(p, n) for n, p in pairs}
        return flip(reported(session, capture.resources, strict)), flip(reported(session, capture.resources, relaxed))


def test_without_managed_elsewhere_the_missing_controls_are_reported(found):
    without, _ = found
    assert PROVIDED <= without


def test_with_managed_elsewhere_they_pass(found):
    _, with_option = found
    assert not (PROVIDED & with_option)


def test_a_match_present_in_the_stack_is_still_checked(found):
    without, with_option = found
    assert ("vpc-flow-logs-enabled", "partner-vpc") in without
    assert ("vpc-flow-logs-enabled", "partner-vpc") in with_option


def test_every_rule_the_catalog_gives_the_option_has_it():
    assert {"alb-waf-enabled", "api-gw-associated-with-waf", "vpc-flow-logs-enabled", "wafv2-logging-enabled",
            "vpc-default-security-group-closed", "rds-in-backup-plan", "dynamodb-in-backup-plan",
            "ebs-in-backup-plan", "ec2-resources-protected-by-backup-plan", "efs-in-backup-plan",
            "aurora-resources-protected-by-backup-plan"} <= set(ELSEWHERE)
