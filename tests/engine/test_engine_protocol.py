"""The engine client against the fixture pack: what the pack is told and what it reports."""

from __future__ import annotations

import pytest

from policypack.engine import AnalyzerRPCError, ConfigError, run_analysis, wire

from engine_support import (BUCKET_URN, DB_URN, ECHO_URN, FIXTURE_PACK, KEY_URN, PROJECT, PROVIDER_URN, SECRET_PLAINTEXT,
                      SECRET_URN, STACK, STACK_URN, UNKNOWN_BUCKET_URN, by_policy, captured, echo_of,
                      sample_stack)


@pytest.fixture
def configured(session):
    """The shared session, reset to the pack's own config after each test."""
    yield session
    session.configure(None)


def test_analyzer_info_carries_policy_metadata(session):
    info = session.analyzer_info
    assert info["name"] == "fixture-pack"
    assert info["version"] == "1.2.3"  # PulumiPolicy.yaml wins over the SDK's 0.0.1, as in the CLI
    assert info["description"] == "engine client fixture pack"
    assert info["supportsConfig"] is True
    assert [p["name"] for p in info["policies"]] == sorted(p["name"] for p in info["policies"])
    policies = {p["name"]: p for p in info["policies"]}
    bucket = policies["fixture-bucket-encrypted"]
    assert bucket["enforcementLevel"] == "mandatory"
    assert bucket["severity"] == "high"
    assert bucket["framework"] == {"name": "hipaa", "version": "2013", "reference": "164.312(a)(2)(iv)",
                                   "specification": "Encryption at rest"}
    assert bucket["tags"] == ["s3", "encryption"]
    assert bucket["remediationSteps"] == "Set server_side_encryption=True."
    assert bucket["url"].endswith("fixture-bucket-encrypted")
    assert bucket["policyType"] == "resource" and bucket["configSchema"] is None
    retention = policies["fixture-retention"]
    assert retention["enforcementLevel"] == "advisory"  # the pack's default level
    assert retention["severity"] is None
    assert retention["configSchema"]["properties"]["minimumDays"] == {"type": "integer", "minimum": 1.0,
                                                                      "default": 7.0}
    assert policies["fixture-stack-graph"]["policyType"] == "stack"
    assert info["initialConfig"] == {"fixture-echo": {"enforcementLevel": "advisory", "fromInitial": "yes"}}
    assert session.plugin_info["version"]


def test_default_config_applies_schema_defaults_and_initial_config(session):
    cfg = session.policy_config
    assert cfg["fixture-retention"] == {"enforcementLevel": "advisory", "minimumDays": 7.0}
    # initial_config with properties only arrives as advisory and overrides the policy's mandatory level.
    assert cfg["fixture-echo"] == {"enforcementLevel": "advisory", "fromInitial": "yes"}
    assert cfg["fixture-bucket-encrypted"] == {"enforcementLevel": "mandatory"}


def test_mandatory_violation_and_float_config(session):
    result = session.analyze(sample_stack())
    [bucket] = by_policy(result, "fixture-bucket-encrypted", BUCKET_URN)
    assert bucket.enforcement_level == "mandatory"
    assert bucket.severity == "high"
    assert bucket.message == "Buckets must be encrypted.\nserverSideEncryption is not true"
    assert bucket.policy_pack_name == "fixture-pack" and bucket.policy_pack_version == "1.2.3"
    assert bucket.description == "Buckets must be encrypted."
    assert bucket in result.mandatory
    [retention] = by_policy(result, "fixture-retention", DB_URN)
    # Numbers cross the wire as doubles: the default 7 and the input 3 arrive as 7.0 and 3.0.
    assert retention.message.endswith("backupRetentionPeriod 3.0 is below minimumDays 7.0")
    assert retention.enforcement_level == "advisory" and retention.severity is None
    echo = echo_of(result)
    assert by_policy(result, "fixture-echo")[0].enforcement_level == "advisory"
    assert echo["config"] == {"fromInitial": "yes"}


def test_user_config_overrides_level_and_properties(configured):
    configured.configure({"fixture-retention": {"minimumDays": 2}, "fixture-echo": "mandatory"})
    assert configured.policy_config["fixture-retention"] == {"enforcementLevel": "advisory", "minimumDays": 2.0}
    result = configured.analyze(sample_stack())
    assert by_policy(result, "fixture-retention") == []
    [echo] = by_policy(result, "fixture-echo")
    assert echo.enforcement_level == "mandatory"


def test_all_disables_every_policy_but_named_ones(configured):
    configured.configure({"all": "disabled", "fixture-bucket-encrypted": {"enforcementLevel": "advisory"}})
    assert "all" not in configured.policy_config
    result = configured.analyze(sample_stack())
    assert {d.policy_name for d in result.diagnostics} == {"fixture-bucket-encrypted"}
    assert {d.enforcement_level for d in result.diagnostics} == {"advisory"}


def test_config_errors_name_policy_and_property(configured):
    with pytest.raises(ConfigError) as e:
        configured.configure({"fixture-retention": {"minimumDays": -1}})
    assert str(e.value) == "policy 'fixture-retention': property 'minimumDays': -1 is less than the minimum of 1"
    assert (e.value.policy, e.value.property) == ("fixture-retention", "minimumDays")
    with pytest.raises(ConfigError, match="unknown policy 'no-such-policy'"):
        configured.configure({"no-such-policy": "mandatory"})


def test_remediation_flows_into_analyze(configured):
    configured.configure({"fixture-bucket-encrypted": "remediate"})
    result = configured.analyze(sample_stack())
    [fixed] = [r for r in result.remediations if r.urn == BUCKET_URN]
    assert fixed.policy_name == "fixture-bucket-encrypted"
    assert fixed.properties == {"bucket": "logs", "serverSideEncryption": True}
    assert fixed.diagnostic == "" and fixed.policy_pack_version == "1.2.3"
    # Analyze saw the remediated inputs: the bucket no longer violates.
    assert by_policy(result, "fixture-bucket-encrypted", BUCKET_URN) == []
    assert result.remediated_properties[BUCKET_URN]["serverSideEncryption"] is True
    # pulumi-policy 1.21 does not check for unknowns in Remediate (its secrets proxy hides the dicts from the
    # unknown-checking proxy), so the unknown serverSideEncryption is simply overwritten.
    [overwritten] = [r for r in result.remediations if r.urn == UNKNOWN_BUCKET_URN]
    assert overwritten.properties == {"serverSideEncryption": True}
    assert by_policy(result, "fixture-bucket-encrypted") == []


def test_remediate_level_reports_not_applicable(configured):
    configured.configure({"all": "remediate"})
    result = configured.analyze(sample_stack())
    reasons = {(n.policy_name, n.urn): n.reason for n in result.not_applicable}
    assert reasons[("fixture-retention", DB_URN)] == "Policy does not implement remediate"
    # A stack policy at remediate level is reported as mandatory.
    assert {d.enforcement_level for d in by_policy(result, "fixture-stack-graph")} == {"mandatory"}


def test_unknown_value_gives_the_sdk_preview_advisory(session):
    result = session.analyze(sample_stack())
    [diag] = by_policy(result, "fixture-bucket-encrypted", UNKNOWN_BUCKET_URN)
    assert diag.enforcement_level == "advisory"
    assert "can't run policy 'fixture-bucket-encrypted'" in diag.message
    assert "during preview" in diag.message
    # The echo resource's unknown input reaches the policy as the engine's sentinel.
    assert echo_of(result)["props"]["later"] == wire.UNKNOWN


def test_secret_arrives_as_plaintext_and_is_not_echoed(session):
    result = session.analyze(sample_stack())
    [diag] = by_policy(result, "fixture-secret-check", SECRET_URN)
    assert diag.message.endswith("plaintext-visible=True")
    assert diag.severity == "low"
    assert all(SECRET_PLAINTEXT not in d.message for d in result.diagnostics)


def test_analyze_request_carries_wire_props_options_and_provider(session):
    echo = echo_of(session.analyze(sample_stack()))
    assert echo["props"] == {"count": 3.0, "nested": {"a": [1.0, "x"]}, "later": wire.UNKNOWN}  # no __defaults
    assert echo["name"] == "echo" and echo["urn"] == ECHO_URN
    assert echo["provider"] == {"type": "pulumi:providers:aws", "name": "default_7_51_1", "urn": PROVIDER_URN,
                                "props": {"region": "us-west-2", "version": "7.51.1"}}
    assert echo["options"] == {
        "protect": True, "ignore_changes": ["tags"], "delete_before_replace": True,
        "aliases": ["urn:pulumi:dev::proj::test:index:Echo::old"], "custom_timeouts": [300.0, 0.0, 5400.0],
        "additional_secret_outputs": ["secretOut"], "parent": STACK_URN}
    assert echo["stack_tags"] == {"team": "platform"}
    assert echo["pulumi_config"] == "us-west-2"
    assert echo["env"] == {"PULUMI_ORGANIZATION": "acme", "PULUMI_PROJECT": PROJECT, "PULUMI_STACK": STACK,
                           "PULUMI_DRY_RUN": "true", "FIXTURE_MARKER": None}
    assert echo["cwd"] == str(FIXTURE_PACK.resolve())


def test_analyze_stack_sees_graph_outputs_and_provider(session):
    resources = sample_stack()
    result = session.analyze(resources)
    [graph] = by_policy(result, "fixture-stack-graph")
    assert graph.urn == DB_URN
    assert graph.severity == "medium"
    seen = __import__("json").loads(graph.message.split("GRAPH ", 1)[1])
    assert seen["parent"] == STACK_URN
    assert seen["dependencies"] == [KEY_URN]
    assert seen["property_dependencies"] == {"kmsKeyId": [KEY_URN]}  # empty lists are not sent
    assert seen["region"] == "us-west-2"
    assert seen["engine"] == "postgres"
    # Every resource, including the stack and the provider, goes to AnalyzeStack.
    assert seen["count"] == len(resources)
    assert {"pulumi:pulumi:Stack", "pulumi:providers:aws"} <= set(seen["types"])


def test_policy_exception_surfaces_as_rpc_error(session):
    explode = captured("test:index:Explode", "boom", "urn:pulumi:dev::proj::test:index:Explode::boom", {})
    with pytest.raises(AnalyzerRPCError) as e:
        session.analyze([explode], analyze_stack=False)
    assert e.value.rpc == "Analyze"
    assert "kaboom from the fixture pack" in str(e.value)


def test_run_analysis_end_to_end_with_config():
    result = run_analysis(FIXTURE_PACK, sample_stack(), project=PROJECT, stack=STACK,
                          config={"aws:region": "eu-west-1"}, policy_config={"fixture-retention": "disabled"},
                          dry_run=False)
    assert by_policy(result, "fixture-retention") == []
    echo = echo_of(result)
    assert echo["pulumi_config"] == "eu-west-1"
    assert echo["env"]["PULUMI_DRY_RUN"] == "false"
    assert echo["env"]["PULUMI_ORGANIZATION"] == "organization"
    assert result.analyzer_info["name"] == "fixture-pack"
    assert result.policy_config["fixture-retention"]["enforcementLevel"] == "disabled"
    assert isinstance(result.logs, list)
