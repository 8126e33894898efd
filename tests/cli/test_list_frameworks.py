"""`policypack list`: every policy's control ids and AWS Config rules, and the coverage of AWS's HIPAA
conformance pack (`--framework aws-config-hipaa`), computed from the policies' own declarations."""
import json
from types import SimpleNamespace

import pytest

from policypack import data, frameworks
from policypack.cli import main
from policypack.policy import all_policies


def run_list(capsys, *args):
    assert main(["list", *args]) == 0
    return capsys.readouterr().out


def test_json_rows_carry_every_citation_and_aws_config_rule(capsys):
    rows = {r["name"]: r for r in json.loads(run_list(capsys, "--format", "json"))}
    for spec in all_policies():
        row = rows[spec.name]
        assert row["aws_config_rules"] == list(spec.aws_config_rules)
        assert row["on_unknown"] == spec.on_unknown
        if spec.group == "hipaa":
            assert row["citations"][0] == row["citation"], spec.name  # the primary control comes first
            assert row["citations"] == [f"45 CFR {c}" for c in spec.citations]
        else:
            assert row["citations"] == []
    assert rows["opensearch-encrypted-at-rest"]["aws_config_rules"] == [
        "opensearch-encrypted-at-rest", "elasticsearch-encrypted-at-rest"]
    assert len(rows["rds-not-publicly-accessible"]["citations"]) == 5


def test_framework_listing_maps_each_checkable_rule_to_its_policy(capsys):
    report = json.loads(run_list(capsys, "--framework", "aws-config-hipaa", "--format", "json"))
    assert report["checkable"] == len(report["rules"]) == 103
    by_rule = {r["rule"]: r for r in report["rules"]}
    declared = {rule for spec in all_policies() for rule in spec.aws_config_rules}
    for rule, row in by_rule.items():
        assert (row["status"] == "not implemented") == (rule not in declared), rule
    assert by_rule["efs-encrypted-check"]["policies"] == ["efs-encrypted-check"]
    assert by_rule["elasticsearch-in-vpc-only"]["policies"] == ["opensearch-in-vpc-only"]
    assert by_rule["restricted-common-ports"]["policies"] == ["security-group-no-public-data-ports"]
    # cdk-nag keeps this rule; AWS's pack dropped it: listed apart, never counted.
    assert {"rule": "rds-instance-deletion-protection-enabled",
            "policies": ["rds-instance-deletion-protection-enabled"]} in report["outside_framework"]
    assert report["implemented"] == sum(r["status"] == "implemented" for r in report["rules"])


def test_framework_text_listing_names_each_rule_and_sums_up(capsys):
    text = run_list(capsys, "--framework", "aws-config-hipaa")
    line = next(l for l in text.splitlines() if l.startswith("alb-waf-enabled "))
    assert "implemented" in line and line.rstrip().endswith("alb-waf-enabled")
    assert "103 of 103 checkable rules implemented" in text.splitlines()[-1]


def test_unknown_framework_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["list", "--framework", "cis-aws"])
    assert exit_.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_coverage_is_computed_from_declarations_not_listed():
    fake = [SimpleNamespace(name="p1", aws_config_rules=("sns-encrypted-kms",)),
            SimpleNamespace(name="p2", aws_config_rules=("restricted-common-ports", "not-a-pack-rule"))]
    report = frameworks.coverage("aws-config-hipaa", fake)
    statuses = {r["rule"]: r["status"] for r in report["rules"]}
    assert statuses["sns-encrypted-kms"] == "implemented"
    assert statuses["restricted-common-ports"] == "implemented"
    assert statuses["efs-encrypted-check"] == "not implemented"
    assert (report["implemented"], report["partial"]) == (2, 0)
    assert report["outside_framework"] == [{"rule": "not-a-pack-rule", "policies": ["p2"]}]
    with pytest.raises(ValueError, match="unknown framework"):
        frameworks.coverage("nist-800-53", fake)


def test_pack_rule_data_is_consistent():
    facts = data.aws_config_hipaa_rules()
    checkable, not_checkable = set(facts["checkable"]), set(facts["not_checkable"])
    assert len(checkable) == len(facts["checkable"]) == 103
    assert not checkable & not_checkable and len(checkable | not_checkable) == 131
    assert set(facts["partial"]) <= checkable
    assert all(reason.strip() for reason in facts["not_checkable"].values())
