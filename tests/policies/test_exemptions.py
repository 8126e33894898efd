"""Exemptions through the SDK adapters the pack serves: a config entry or a `hipaa-guard:exempt` tag excuses
exactly the named policy on exactly the named resource, says why, and stops excusing after its date."""
import pytest
from pulumi_policy import policy as sdk

from policypack.analyzer_service import sdk_policy
from policypack.exemptions import TAG_KEY
from policypack.policy import get_policy

INSTANCE = "aws:rds/instance:Instance"
BUCKET = "aws:s3/bucket:Bucket"
UNENCRYPTED = {"engine": "postgres", "storageEncrypted": False, "backupRetentionPeriod": 30}


def urn(rtype, name):
    return f"urn:pulumi:dev::healthcare::{rtype}::{name}"


def _options():
    return sdk.PolicyResourceOptions(False, [], None, [], sdk.PolicyCustomTimeouts(0, 0, 0), [])


def validate(policy, name, props, config=None, rtype=INSTANCE):
    """Run one resource policy as the SDK would; returns (violations, not-applicable reason or None)."""
    spec = get_policy(policy)
    violations = []
    args = sdk.ResourceValidationArgs(rtype, props, urn(rtype, name), name, _options(),
                                      sdk.PolicyProviderResource("pulumi:providers:aws", {"region": "us-east-1"},
                                                                 "urn:provider", "default"),
                                      config=spec.effective_config(config))
    try:
        sdk_policy(spec, withhold=False).validate(args, lambda message, _urn=None: violations.append(message))
    except sdk._NotApplicableError as exc:  # the SDK's own signal: the server reports it as not applicable
        return violations, exc.reason
    return violations, None


def remediate(policy, name, props, config=None, rtype=INSTANCE):
    spec = get_policy(policy)
    args = sdk.ResourceValidationArgs(rtype, props, urn(rtype, name), name, _options(), None,
                                      config=spec.effective_config(config))
    return sdk_policy(spec, withhold=False).remediate(args)


EXEMPT_DB = {"exemptions": [{"resources": ["legacy-db"], "reason": "migrating to the encrypted replica, TICKET-12"}]}


def test_config_exemption_suppresses_the_named_policy_on_the_named_resource():
    violations, reason = validate("rds-storage-encrypted", "legacy-db", UNENCRYPTED, EXEMPT_DB)
    assert violations == []
    assert reason.startswith(f"exempted {urn(INSTANCE, 'legacy-db')}: migrating to the encrypted replica, TICKET-12")
    assert "(config)" in reason and "storageEncrypted is false" in reason


def test_config_exemption_does_not_reach_other_resources():
    violations, reason = validate("rds-storage-encrypted", "new-db", UNENCRYPTED, EXEMPT_DB)
    assert reason is None and len(violations) == 1


def test_config_exemption_of_one_policy_does_not_reach_another():
    # The exemption lives in rds-storage-encrypted's config; rds-backup-retention has its own (empty) one.
    violations, reason = validate("rds-backup-retention", "legacy-db", {**UNENCRYPTED, "backupRetentionPeriod": 1})
    assert reason is None and violations


def test_config_exemption_by_urn_glob():
    config = {"exemptions": [{"resources": ["urn:pulumi:dev::*::aws:rds/instance:Instance::legacy-*"],
                              "reason": "legacy fleet"}]}
    assert validate("rds-storage-encrypted", "legacy-db", UNENCRYPTED, config)[1]
    assert validate("rds-storage-encrypted", "new-db", UNENCRYPTED, config)[1] is None


def test_config_exemption_without_reason_is_ignored():
    config = {"exemptions": [{"resources": ["legacy-db"], "reason": "  "}]}
    violations, reason = validate("rds-storage-encrypted", "legacy-db", UNENCRYPTED, config)
    assert reason is None and violations


def test_tag_exemption_suppresses_only_the_policies_it_names():
    props = {**UNENCRYPTED, "backupRetentionPeriod": 1,
             "tags": {TAG_KEY: "rds-storage-encrypted: restored from a legacy snapshot"}}
    violations, reason = validate("rds-storage-encrypted", "legacy-db", props)
    assert violations == [] and "restored from a legacy snapshot (tag)" in reason
    violations, reason = validate("rds-backup-retention", "legacy-db", props)
    assert reason is None and violations


def test_tag_exemption_with_several_entries_and_wildcard():
    props = {**UNENCRYPTED, "publiclyAccessible": True,
             "tags": {TAG_KEY: "rds-backup-retention: nightly dump instead; *: sandbox account [until 2999-12-31]"}}
    _, reason = validate("rds-not-publicly-accessible", "sandbox", props)
    assert "sandbox account (tag until 2999-12-31)" in reason


def test_tag_exemption_on_another_resource_does_not_apply():
    tagged = {**UNENCRYPTED, "tags": {TAG_KEY: "rds-storage-encrypted: legacy"}}
    assert validate("rds-storage-encrypted", "legacy-db", tagged)[1]
    assert validate("rds-storage-encrypted", "other-db", UNENCRYPTED)[1] is None


@pytest.mark.parametrize("today,active", [("2030-01-01", True), ("2030-01-02", False)])
def test_exemption_applies_through_its_until_day(monkeypatch, today, active):
    monkeypatch.setenv("HIPAA_GUARD_TODAY", today)
    config = {"exemptions": [{"resources": ["legacy-db"], "reason": "key rotation window", "until": "2030-01-01"}]}
    violations, reason = validate("rds-storage-encrypted", "legacy-db", UNENCRYPTED, config)
    if active:
        assert violations == [] and "until 2030-01-01" in reason
    else:
        assert reason is None
        [message] = violations
        assert message.endswith("(exemption expired on 2030-01-01: key rotation window)")


def test_expired_tag_exemption_says_it_expired(monkeypatch):
    monkeypatch.setenv("HIPAA_GUARD_TODAY", "2031-06-01")
    props = {**UNENCRYPTED, "tags": {TAG_KEY: "rds-storage-encrypted: waiver W-7 until 2031-05-31"}}
    violations, reason = validate("rds-storage-encrypted", "legacy-db", props)
    assert reason is None and "exemption expired on 2031-05-31: waiver W-7" in violations[0]


def test_exempted_resource_is_not_remediated():
    assert remediate("rds-storage-encrypted", "new-db", UNENCRYPTED)["storageEncrypted"] is True
    assert remediate("rds-storage-encrypted", "legacy-db", UNENCRYPTED, EXEMPT_DB) is None


# -- stack policies ---------------------------------------------------------------------------------------

def stack_resource(rtype, name, props):
    return sdk.PolicyResource(rtype, props, urn(rtype, name), name, _options(),
                              sdk.PolicyProviderResource("pulumi:providers:aws", {"region": "us-east-1"},
                                                         "urn:provider", "default"), None, [], {})


def validate_stack(policy, resources, config=None):
    spec = get_policy(policy)
    violations = []
    args = sdk.StackValidationArgs(resources, spec.effective_config(config))
    try:
        sdk_policy(spec, withhold=False).validate(args, lambda message, u=None: violations.append((u, message)))
    except sdk._NotApplicableError as exc:
        return violations, exc.reason
    return violations, None


def test_stack_policy_exemption_by_tag_excuses_one_bucket_and_reports_the_other():
    exempt = stack_resource(BUCKET, "public-site", {"bucket": "site", "tags": {
        TAG_KEY: "s3-public-access-blocked: static public website, no PHI"}})
    plain = stack_resource(BUCKET, "phi", {"bucket": "phi"})
    violations, reason = validate_stack("s3-public-access-blocked", [exempt, plain])
    assert [u for u, _ in violations] == [urn(BUCKET, "phi")]
    assert reason.startswith(f"exempted {urn(BUCKET, 'public-site')}: static public website, no PHI (tag)")


def test_stack_policy_exemption_by_config(monkeypatch):
    monkeypatch.setenv("HIPAA_GUARD_TODAY", "2030-01-01")
    buckets = [stack_resource(BUCKET, "logs", {"bucket": "logs"}), stack_resource(BUCKET, "phi", {"bucket": "phi"})]
    config = {"exemptions": [{"resources": ["logs"], "reason": "ALB access logs need SSE-S3", "until": "2030-01-01"}]}
    violations, reason = validate_stack("s3-bucket-encrypted", buckets, config)
    assert [u for u, _ in violations] == [urn(BUCKET, "phi")] and "ALB access logs need SSE-S3" in reason
    monkeypatch.setenv("HIPAA_GUARD_TODAY", "2030-01-02")
    violations, reason = validate_stack("s3-bucket-encrypted", buckets, config)
    assert reason is None and len(violations) == 2
    assert any("exemption expired on 2030-01-01" in m for u, m in violations if u == urn(BUCKET, "logs"))
