"""The repo root launched as a policy pack, exactly as the Pulumi CLI launches it, driven over gRPC."""
from pathlib import Path

import pytest

from policypack.engine import AnalysisSession, wire

ROOT = Path(__file__).resolve().parents[2]
STACK = "urn:pulumi:dev::spine::pulumi:pulumi:Stack::spine-dev"
PROVIDER = "urn:pulumi:dev::spine::pulumi:providers:aws::default_7_51_1"
SPINE_POLICIES = {
    "rds-storage-encrypted": ("high", "164.312(a)(2)(iv)"),
    "rds-backup-retention": ("medium", "164.308(a)(7)(ii)(A)"),
    "rds-not-publicly-accessible": ("critical", "164.312(a)(1)"),
    "elasticache-at-rest-encryption": ("high", "164.312(a)(2)(iv)"),
    "elasticache-transit-encryption": ("high", "164.312(e)(1)"),
    "alb-https-real-certificate": ("high", "164.312(e)(1)"),
}
GOOD_CERT = "arn:aws:acm:us-east-1:210987654321:certificate/5e1c6c2a-4f7a-4f3e-9a51-3f0c2b7d9e10"
PLACEHOLDER_CERT = "arn:aws:acm:us-east-1:123456789012:certificate/placeholder"


def resource(rtype, name, inputs):
    return {"type": rtype, "name": name, "urn": f"urn:pulumi:dev::spine::{rtype}::{name}", "custom": True,
            "id": f"{name}-id", "inputs": inputs, "outputs": dict(inputs), "parent": STACK, "dependencies": [],
            "property_dependencies": {}, "provider": f"{PROVIDER}::p", "options": {}}


def stack(*resources):
    return [
        {"type": "pulumi:pulumi:Stack", "name": "spine-dev", "urn": STACK, "custom": False, "inputs": {},
         "outputs": {}, "parent": None, "dependencies": [], "property_dependencies": {}, "provider": None,
         "options": {}},
        {"type": "pulumi:providers:aws", "name": "default_7_51_1", "urn": PROVIDER, "custom": True, "id": "p",
         "inputs": {"region": "us-east-1"}, "outputs": {"region": "us-east-1"}, "parent": None,
         "dependencies": [], "property_dependencies": {}, "provider": None, "options": {}},
        *resources]


BAD_DB = resource("aws:rds/instance:Instance", "bad-db", {
    "engine": "postgres", "engineVersion": "16", "instanceClass": "db.t3.medium", "username": "dbadmin",
    "storageEncrypted": False, "publiclyAccessible": True, "backupRetentionPeriod": 7,
    "password": wire.secret("Sup3r-S3cret-Passw0rd")})
GOOD_DB = resource("aws:rds/instance:Instance", "good-db", {
    "engine": "postgres", "engineVersion": "16", "instanceClass": "db.t3.medium", "username": "dbadmin",
    "storageEncrypted": True, "publiclyAccessible": False, "backupRetentionPeriod": 30, "multiAz": True,
    "kmsKeyId": GOOD_CERT.replace("acm", "kms").replace("certificate/", "key/"),
    "password": wire.secret("Sup3r-S3cret-Passw0rd")})
BAD_LISTENER = resource("aws:lb/listener:Listener", "bad-listener",
                        {"protocol": "HTTPS", "port": 443, "certificateArn": PLACEHOLDER_CERT})
SECRET_LISTENER = resource("aws:alb/listener:Listener", "secret-listener",
                           {"protocol": "HTTPS", "port": 443, "certificateArn": wire.secret(PLACEHOLDER_CERT)})
GOOD_LISTENER = resource("aws:lb/listener:Listener", "good-listener",
                         {"protocol": "HTTPS", "port": 443, "certificateArn": GOOD_CERT})
BAD_CACHE = resource("aws:elasticache/replicationGroup:ReplicationGroup", "bad-cache",
                     {"engine": "redis", "description": "cache"})
GOOD_CACHE = resource("aws:elasticache/replicationGroup:ReplicationGroup", "good-cache",
                      {"engine": "redis", "description": "cache", "atRestEncryptionEnabled": True,
                       "transitEncryptionEnabled": True})
UNKNOWN_DB = resource("aws:rds/instance:Instance", "unknown-db", {
    "engine": wire.UNKNOWN, "storageEncrypted": wire.UNKNOWN, "publiclyAccessible": wire.UNKNOWN,
    "backupRetentionPeriod": wire.UNKNOWN, "engineVersion": wire.UNKNOWN, "username": wire.UNKNOWN})
UNKNOWN_LISTENER = resource("aws:lb/listener:Listener", "unknown-listener",
                            {"protocol": "HTTPS", "port": 443, "certificateArn": wire.UNKNOWN})


@pytest.fixture(scope="module")
def session():
    with AnalysisSession(ROOT, project="spine", stack="dev", config={"aws:region": "us-east-1"}) as s:
        yield s


def spine_findings(result):
    return {(d.policy_name, d.urn.rsplit("::", 1)[-1], d.enforcement_level)
            for d in result.diagnostics if d.policy_name in SPINE_POLICIES}


def test_analyzer_info_lists_the_spine_policies_with_severity_and_citation(session):
    info = {p["name"]: p for p in session.analyzer_info["policies"]}
    assert session.analyzer_info["name"] == "hipaa-guard"
    for name, (severity, citation) in SPINE_POLICIES.items():
        assert info[name]["severity"] == severity
        assert info[name]["framework"]["reference"] == citation
        assert info[name]["enforcementLevel"] == "mandatory"
        assert info[name]["remediationSteps"]


def test_broken_resources_get_mandatory_violations(session):
    found = spine_findings(session.analyze(stack(BAD_DB, BAD_LISTENER, BAD_CACHE)))
    assert found == {
        ("rds-storage-encrypted", "bad-db", "mandatory"),
        ("rds-not-publicly-accessible", "bad-db", "mandatory"),
        ("rds-backup-retention", "bad-db", "mandatory"),
        ("alb-https-real-certificate", "bad-listener", "mandatory"),
        ("elasticache-at-rest-encryption", "bad-cache", "mandatory"),
        ("elasticache-transit-encryption", "bad-cache", "mandatory"),
    }


def test_compliant_resources_pass(session):
    assert spine_findings(session.analyze(stack(GOOD_DB, GOOD_LISTENER, GOOD_CACHE))) == set()


def test_unknown_values_make_no_noise(session):
    result = session.analyze(stack(UNKNOWN_DB, UNKNOWN_LISTENER))
    assert [d for d in result.diagnostics if "during preview" in d.message] == []
    assert spine_findings(result) == set()


def test_no_secret_text_in_any_message(session):
    result = session.analyze(stack(BAD_DB, SECRET_LISTENER))
    assert ("alb-https-real-certificate", "secret-listener", "mandatory") in spine_findings(result)
    for d in result.diagnostics:
        assert "Sup3r-S3cret-Passw0rd" not in d.message
        assert PLACEHOLDER_CERT not in d.message


def test_remediate_level_turns_findings_into_remediations(session):
    session.configure({name: "remediate" for name in SPINE_POLICIES})
    try:
        result = session.analyze(stack(BAD_DB, BAD_CACHE))
    finally:
        session.configure(None)
    remediated = {(r.policy_name, r.urn.rsplit("::", 1)[-1]) for r in result.remediations if r.properties}
    assert {("rds-storage-encrypted", "bad-db"), ("rds-not-publicly-accessible", "bad-db"),
            ("rds-backup-retention", "bad-db"), ("elasticache-at-rest-encryption", "bad-cache"),
            ("elasticache-transit-encryption", "bad-cache")} <= remediated
    assert spine_findings(result) == set()
    props = result.remediated_properties[BAD_DB["urn"]]
    assert props["storageEncrypted"] is True and props["publiclyAccessible"] is False
    assert props["backupRetentionPeriod"] == 30
    assert wire.is_secret(props["password"]), "a remediation must keep the password secret"


def test_policy_config_changes_the_threshold(session):
    session.configure({"rds-backup-retention": {"minimumDays": 7}})
    try:
        found = spine_findings(session.analyze(stack(BAD_DB)))
    finally:
        session.configure(None)
    assert ("rds-backup-retention", "bad-db", "mandatory") not in found


def _unknown_at_analyze(name, outputs):
    """A resource whose inputs were unknown at Analyze and whose outputs the stack knows."""
    inputs = {k: wire.UNKNOWN for k in outputs}
    r = resource("aws:rds/instance:Instance", name, inputs)
    r["outputs"] = dict(outputs)
    return r


def test_a_value_unknown_at_analyze_is_decided_at_analyze_stack(session):
    late = _unknown_at_analyze("late-db", {"engine": "postgres", "storageEncrypted": False,
                                           "backupRetentionPeriod": 30, "publiclyAccessible": False})
    still = resource("aws:rds/instance:Instance", "still-unknown-db", {
        "engine": "postgres", "storageEncrypted": wire.UNKNOWN, "backupRetentionPeriod": 30})
    result = session.analyze(stack(late, still, BAD_DB))
    storage = [(d.urn.rsplit("::", 1)[-1], d.enforcement_level) for d in result.diagnostics
               if d.policy_name == "rds-storage-encrypted"]
    # decided once for late-db (at AnalyzeStack), once for bad-db (at Analyze, not repeated), never for still-unknown
    assert sorted(storage) == [("bad-db", "mandatory"), ("late-db", "mandatory")]
    assert [d for d in result.diagnostics if "during preview" in d.message] == []
