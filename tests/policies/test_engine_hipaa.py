"""The HIPAA policies served as the Pulumi CLI runs them: the repo root launched as a pack, driven over the
Analyzer protocol by the engine client. One launch per policy configuration; each policy example is analysed as
its own little stack within that launch (the CLI's RPC order: Remediate, Analyze per resource, then
AnalyzeStack)."""
from pathlib import Path

import pytest

from policypack.engine import AnalysisSession, wire
from policypack.policy import all_policies, example_view
from support import secret_sweep

ROOT = Path(__file__).resolve().parents[2]
PROJECT, STACK = "healthcare", "dev"
STACK_URN = f"urn:pulumi:{STACK}::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-{STACK}"
PROVIDER_URN = f"urn:pulumi:{STACK}::{PROJECT}::pulumi:providers:aws::default_7_51_1"
PROVIDER_REF = f"{PROVIDER_URN}::{wire.UNKNOWN}"
TODAY = "2030-01-01"

HIPAA = [s for s in all_policies() if s.group == "hipaa"]
REMEDIATING = [s for s in HIPAA if s.remediates]


def urn(rtype, name, tag=""):
    return f"urn:pulumi:{STACK}::{PROJECT}::{rtype}::{tag}{name}"


def base():
    return [
        {"type": "pulumi:pulumi:Stack", "name": f"{PROJECT}-{STACK}", "urn": STACK_URN, "custom": False,
         "inputs": {}, "outputs": {}, "parent": None, "provider": None},
        {"type": "pulumi:providers:aws", "name": "default_7_51_1", "urn": PROVIDER_URN, "custom": True,
         "inputs": {"region": "us-east-1", "version": "7.51.1"}, "parent": STACK_URN, "provider": None},
    ]


def captured(rtype, name, props, tag="", property_dependencies=None):
    """A CapturedResource (docs/architecture.md §1) whose outputs are its inputs, as in a preview."""
    deps = {k: [urn(t, n, tag) for t, n in v] for k, v in (property_dependencies or {}).items()}
    return {"type": rtype, "name": name, "urn": urn(rtype, name, tag), "custom": True, "inputs": props,
            "outputs": None, "parent": STACK_URN, "provider": PROVIDER_REF,
            "dependencies": sorted({u for v in deps.values() for u in v}), "property_dependencies": deps}


def example_stack(spec, example, tag, props=None):
    """The resources of one example, URNs made unique by `tag` so examples never see each other."""
    rtype = example.type or spec.resource_types[0]
    types = {example.name: rtype, **{o["name"]: o["type"] for o in example.stack}}
    resolve = lambda deps: {k: [(types[n], n) for n in v if n in types] for k, v in (deps or {}).items()}
    target = captured(rtype, example.name, dict(example.props if props is None else props), tag,
                      resolve(example.property_dependencies))
    others = [captured(o["type"], o["name"], dict(o.get("props", {})), tag, resolve(o.get("property_dependencies")))
              for o in example.stack]
    return [*base(), target, *others], target["urn"]


def cases(specs, kind):
    for spec in specs:
        for i, example in enumerate(getattr(spec, kind)):
            if example.config is None and example.region == "us-east-1":
                yield spec, example, f"{spec.name}-{kind[0]}{i}-"


def secret_strings(value):
    if isinstance(value, str) and not wire.is_unknown(value):
        return wire.secret(value)
    if isinstance(value, dict):
        return {k: secret_strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [secret_strings(v) for v in value]
    return value


@pytest.fixture(scope="module")
def session():
    with AnalysisSession(ROOT, project=PROJECT, stack=STACK, config={"aws:region": "us-east-1"},
                         env={"HIPAA_GUARD_TODAY": TODAY}) as s:
        yield s


HIPAA_NAMES = {s.name for s in HIPAA}


def body(diagnostic):
    """The policy's own words: the SDK puts the policy description (fixed text) first."""
    message = diagnostic.message
    return message[len(diagnostic.description):] if message.startswith(diagnostic.description) else message


def for_policy(result, name, target):
    return [d for d in result.diagnostics if d.policy_name == name and d.urn == target]


def no_sdk_noise(result):
    noise = [d.message for d in result.diagnostics if "can't run" in d.message]
    assert noise == [], noise
    assert not [r for r in result.remediations if r.diagnostic], "a remediation could not run"


def test_default_config_every_example_and_its_secret_and_unknown_variants(session):
    session.configure(None)
    checked = 0
    for spec, example, tag in cases(HIPAA, "violating"):
        resources, target = example_stack(spec, example, tag)
        result = session.analyze(resources)
        found = for_policy(result, spec.name, target)
        assert found, f"{spec.name} missed {example}"
        assert {d.enforcement_level for d in found} == {spec.enforcement}
        assert {d.severity for d in found} == {spec.severity}
        no_sdk_noise(result)

        # The same resource with every string a secret: still found, no plaintext in any message.
        resources, target = example_stack(spec, example, "s-" + tag, secret_strings(dict(example.props)))
        result = session.analyze(resources)
        assert for_policy(result, spec.name, target), f"{spec.name} missed the secret variant of {example}"
        leaked = [(d.message, t) for d in result.diagnostics for t in secret_sweep.plaintexts(dict(example.props))
                  if d.urn == target and d.policy_name in HIPAA_NAMES and t in body(d)]
        assert leaked == []

        # Every input it has unknown (a preview before anything exists): no SDK "can't run policy" advisory.
        unknown = {k: wire.UNKNOWN for k in example.props}
        resources, target = example_stack(spec, example, "u-" + tag, unknown)
        no_sdk_noise(session.analyze(resources))
        checked += 1
    assert checked >= 30

    for spec, example, tag in cases(HIPAA, "compliant"):
        resources, target = example_stack(spec, example, tag)
        result = session.analyze(resources)
        assert for_policy(result, spec.name, target) == [], f"{spec.name} flagged compliant {example}"
        no_sdk_noise(result)


def test_remediate_level_turns_findings_into_remediations(session):
    session.configure({"all": "remediate"})
    for spec, example, tag in cases(REMEDIATING, "violating"):
        resources, target = example_stack(spec, example, "r-" + tag)
        result = session.analyze(resources)
        fixed = [r for r in result.remediations if r.policy_name == spec.name and r.urn == target]
        resource, _ = example_view(spec, example)
        if spec.remediation_for(resource) is None:  # e.g. a retention above the AWS maximum: not a tightening
            assert fixed == [] and for_policy(result, spec.name, target)
            continue
        assert len(fixed) == 1 and fixed[0].properties, f"{spec.name} did not remediate {example}"
        assert for_policy(result, spec.name, target) == [], f"{spec.name} still reported after remediation"
        no_sdk_noise(result)


def test_remediation_keeps_secrets_secret_on_the_wire(session):
    session.configure({"all": "remediate"})
    stream = captured("aws:kinesis/stream:Stream", "events", {"shardCount": 1, "encryptionType": wire.secret("NONE"),
                                                              "kmsKeyId": wire.secret("alias/phi-events")})
    result = session.analyze([*base(), stream])
    [fix] = [r for r in result.remediations if r.policy_name == "kinesis-stream-encrypted"]
    assert fix.properties["encryptionType"] == wire.secret("KMS")
    assert fix.properties["kmsKeyId"] == wire.secret("alias/phi-events")
    assert not [d for d in result.diagnostics if d.urn == stream["urn"]]


def test_exemptions_over_the_protocol(session):
    session.configure({"rds-storage-encrypted": {"enforcementLevel": "mandatory", "exemptions": [
        {"resources": ["legacy-db"], "reason": "encrypted replica cut-over, CHG-42", "until": TODAY},
        {"resources": ["old-db"], "reason": "lapsed waiver", "until": "2029-12-31"}]}})
    db = {"engine": "postgres", "storageEncrypted": False, "backupRetentionPeriod": 30}
    tagged = {**db, "tags": {"hipaa-guard:exempt": "rds-storage-encrypted: restored snapshot, CHG-7"}}
    resources = [*base(), captured("aws:rds/instance:Instance", "legacy-db", db),
                 captured("aws:rds/instance:Instance", "old-db", db),
                 captured("aws:rds/instance:Instance", "tagged-db", tagged),
                 captured("aws:rds/instance:Instance", "new-db", db),
                 captured("aws:s3/bucket:Bucket", "site", {"bucket": "site", "tags": {
                     "hipaa-guard:exempt": "s3-public-access-blocked: public website, no PHI"}})]
    result = session.analyze(resources)
    flagged = {d.urn.rsplit("::", 1)[-1]: d.message for d in result.diagnostics
               if d.policy_name == "rds-storage-encrypted"}
    assert set(flagged) == {"old-db", "new-db"}
    assert "exemption expired on 2029-12-31: lapsed waiver" in flagged["old-db"]
    reasons = [n.reason for n in result.not_applicable if n.policy_name == "rds-storage-encrypted"]
    assert any(r.startswith(f"exempted {urn('aws:rds/instance:Instance', 'legacy-db')}: encrypted replica cut-over")
               for r in reasons)
    assert any("restored snapshot, CHG-7 (tag)" in r for r in reasons)
    # Exempted from one policy only: the bucket is still checked for encryption, not for public access.
    site = urn("aws:s3/bucket:Bucket", "site")
    assert [d.policy_name for d in result.diagnostics if d.urn == site
            and d.policy_name in ("s3-bucket-encrypted", "s3-public-access-blocked")] == ["s3-bucket-encrypted"]
    assert any(n.policy_name == "s3-public-access-blocked" and "public website, no PHI" in n.reason
               for n in result.not_applicable)


def test_stack_policy_resolves_an_unknown_bucket_through_property_dependencies(session):
    session.configure(None)
    bucket_t, sse_t, pab_t = ("aws:s3/bucket:Bucket",
                              "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                              "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    on = {"blockPublicAcls": True, "blockPublicPolicy": True, "ignorePublicAcls": True, "restrictPublicBuckets": True}
    resources = [*base(),
                 captured(bucket_t, "phi", {"bucket": wire.UNKNOWN}),
                 captured(sse_t, "phi-sse", {"bucket": wire.UNKNOWN, "rules": [
                     {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}]},
                     property_dependencies={"bucket": [(bucket_t, "phi")]}),
                 captured(pab_t, "phi-pab", {"bucket": wire.UNKNOWN, **on},
                          property_dependencies={"bucket": [(bucket_t, "phi")]}),
                 captured(bucket_t, "scratch", {"bucket": wire.UNKNOWN})]
    result = session.analyze(resources)
    by_bucket = {}
    for d in result.diagnostics:
        if d.policy_name not in ("s3-bucket-encrypted", "s3-public-access-blocked"):
            continue  # the other bucket rules want resources this stack does not have
        by_bucket.setdefault(d.urn.rsplit("::", 1)[-1], set()).add(d.policy_name)
    assert "phi" not in by_bucket
    assert by_bucket["scratch"] == {"s3-bucket-encrypted", "s3-public-access-blocked"}
    no_sdk_noise(result)


def test_pack_announces_every_hipaa_policy_with_its_metadata(session):
    announced = {p["name"]: p for p in session.analyzer_info["policies"]}
    for spec in HIPAA:
        assert spec.name in announced
        assert announced[spec.name]["enforcementLevel"] == spec.enforcement


U = wire.UNKNOWN
UNDECIDED = [  # each resource's deciding inputs are unknown at preview
    ("aws:rds/instance:Instance", {"engine": "postgres", "storageEncrypted": U, "publiclyAccessible": U,
                                   "backupRetentionPeriod": U, "multiAz": U, "deletionProtection": U,
                                   "monitoringInterval": U, "enabledCloudwatchLogsExports": U}),
    ("aws:rds/parameterGroup:ParameterGroup", {"family": U}),
    ("aws:elasticache/replicationGroup:ReplicationGroup", {"atRestEncryptionEnabled": U,
                                                           "transitEncryptionEnabled": U,
                                                           "snapshotRetentionLimit": U}),
    ("aws:kinesis/stream:Stream", {"encryptionType": U}),
    ("aws:kms/key:Key", {"enableKeyRotation": U}),
    ("aws:ecs/service:Service", {"networkConfiguration": U}),
    ("aws:ecs/taskDefinition:TaskDefinition", {"containerDefinitions": U}),
    ("aws:ec2/securityGroup:SecurityGroup", {"ingress": U}),
    ("aws:lb/listener:Listener", {"protocol": U, "port": 80, "defaultActions": U, "certificateArn": U}),
    ("aws:cloudwatch/logGroup:LogGroup", {"retentionInDays": U, "kmsKeyId": U}),
    ("aws:secretsmanager/secret:Secret", {"kmsKeyId": U}),
    ("aws:secretsmanager/secretRotation:SecretRotation", {"secretId": U, "rotationRules": U}),
]


@pytest.mark.parametrize("level", [None, {"all": "remediate"}])
def test_unknown_deciding_inputs_are_silent(session, level):
    session.configure(level)
    resources = [*base(), *(captured(t, f"undecided-{i}", p) for i, (t, p) in enumerate(UNDECIDED))]
    result = session.analyze(resources)
    # A policy whose control may live in another stack reports a missing partner whatever the inputs.
    decided_by_inputs = HIPAA_NAMES - {s.name for s in HIPAA if "managedElsewhere" in s.config_schema}
    assert [(d.policy_name, d.urn) for d in result.diagnostics if d.policy_name in decided_by_inputs] == []
    assert [r for r in result.remediations if r.policy_name in HIPAA_NAMES] == []
    no_sdk_noise(result)
