"""Semantics of the data accessors that the policies rely on."""

import datetime as dt
import re
import sys
import subprocess

import pytest

from policypack import data


# ---------------------------------------------------------------- engine versions

@pytest.mark.parametrize(
    "engine, version, region, expected",
    [
        ("postgres", "15.4", "us-east-1", False),  # seed 000: "Cannot find version 15.4 for postgres"
        ("postgres", "15.5", "ap-southeast-1", False),  # seed 004
        ("postgres", "15", "sa-east-1", True),  # major-only
        ("postgres", "15.13", "us-east-1", True),
        ("POSTGRES", "15.13", "us-east-1", True),
        ("postgres", "10.21", "us-east-1", False),  # retired major older than the newest known
        ("postgres", "9.6.22", "us-east-1", False),
        ("postgres", "15.99", "us-east-1", None),  # newer than the data: released later?
        ("postgres", "99.1", "us-east-1", None),  # major newer than every known major
        ("postgres", "15.4", "xx-nowhere-1", None),  # region not in data
        ("cockroach", "1.0", "us-east-1", None),  # engine not in data
        ("postgres", "latest", "us-east-1", None),  # does not parse
        ("mysql", "8.0", "us-east-1", True),  # major.minor is mysql's major
        ("mysql", "8", "us-east-1", None),
        ("mysql", "8.0.36", "us-east-1", False),
        ("aurora-mysql", "8.0", "eu-west-1", True),
        ("aurora-mysql", "8.0.mysql_aurora.3.05.2", "us-east-1", False),
        ("aurora-mysql", "8.0.mysql_aurora.3.11.0", "us-east-1", None),
        ("aurora", "5.6.10a", "us-east-1", False),  # legacy spelling maps to aurora-mysql
        ("aurora-postgresql", "16.4-limitless", "us-east-1", True),
        ("mariadb", "10.7.1", "us-east-1", False),  # between known majors, never offered
    ],
)
def test_is_valid_engine_version(engine, version, region, expected):
    assert data.is_valid_engine_version(engine, version, region) is expected


def test_documented_withdrawal_is_applied_to_the_snapshot():
    versions = data.rds_engine_versions("postgres", "us-east-1")
    snapshot = data.load("rds_engine_versions.json")["engines"]["postgres"]["snapshot"]
    assert "15.12" in snapshot and "15.12" not in versions
    assert "15.15" in versions


def test_engine_versions_sorted_numerically():
    versions = data.rds_engine_versions("postgres", "us-east-1")
    assert versions.index("15.8") < versions.index("15.13") < versions.index("16.3")


def test_region_override_replaces_the_default(monkeypatch):
    content = data.load("rds_engine_versions.json")
    monkeypatch.setitem(content["region_overrides"], "ap-southeast-1", {"postgres": ["15.5", "15.2"]})
    assert data.rds_engine_versions("postgres", "ap-southeast-1") == ["15.2", "15.5"]
    assert data.is_valid_engine_version("postgres", "15.5", "ap-southeast-1") is True
    assert data.is_valid_engine_version("postgres", "15.5", "us-east-1") is False


def test_nearest_versions_prefer_same_major_by_distance():
    assert data.nearest_engine_versions("postgres", "15.4", "us-east-1") == ["15.7", "15.8", "15.13"]
    # an equal gap either side: the newer first
    near = data.nearest_engine_versions("aurora-mysql", "8.0.mysql_aurora.3.05.2", "us-east-1", n=2)
    assert near == ["8.0.mysql_aurora.3.04.4", "8.0.mysql_aurora.3.04.3"]


def test_nearest_versions_fall_back_to_nearest_major_and_skip_major_only_entries():
    near = data.nearest_engine_versions("aurora-postgresql", "10.7", "us-east-1", n=4)
    assert near == ["11.21", "11.9", "12.22", "12.9"]  # nearest major first, newest first within it
    assert "11" not in data.nearest_engine_versions("aurora-postgresql", "10.7", "us-east-1", n=50)


def test_nearest_versions_empty_when_data_cannot_say():
    assert data.nearest_engine_versions("postgres", "15.4", "xx-nowhere-1") == []
    assert data.nearest_engine_versions("postgres", "15.4", "us-east-1", n=0) == []


def test_engine_major():
    assert data.engine_major("postgres", "15.4") == "15"
    assert data.engine_major("postgres", "9.6.22") == "9.6"
    assert data.engine_major("mysql", "8.0.39") == "8.0"
    assert data.engine_major("aurora-mysql", "5.7.mysql_aurora.2.12.5") == "5.7"
    assert data.engine_major("unknown", "1.0") is None


# ---------------------------------------------------------------- zones

def test_zones_of_a_region():
    assert data.availability_zones("ap-southeast-1") == ["ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"]
    assert data.availability_zones("xx-nowhere-1") is None


@pytest.mark.parametrize(
    "zone, region",
    [
        ("us-east-1a", "us-east-1"),
        ("ap-southeast-1b", "ap-southeast-1"),
        ("ap-southeast-2c", "ap-southeast-2"),  # not confused with ap-southeast-1 / -2x prefixes
        ("us-west-2-lax-1a", "us-west-2"),  # Local Zone
        ("mx-central-1a", "mx-central-1"),  # known region without zone data
        ("us-east-1", None),  # a region is not a zone
        ("useast1a", None),
        ("", None),
    ],
)
def test_region_of_zone(zone, region):
    assert data.region_of_zone(zone) == region


def test_is_zone_in_region_distinguishes_wrong_region_from_unknown_letter():
    assert data.is_zone_in_region("us-east-1a", "ap-southeast-1") is False  # seed 004
    assert data.is_zone_in_region("ap-southeast-1a", "ap-southeast-1") is True
    assert data.is_zone_in_region("us-west-1c", "us-west-1") is None  # letters differ per account


# ---------------------------------------------------------------- credentials and tokens

def test_username_rules():
    pg = data.rds_username_rules("aurora-postgresql")
    assert "admin" in pg["reserved"]  # seed 003
    assert "pg_" in pg["reserved_prefixes"]
    assert "admin" not in data.rds_username_rules("aurora-mysql")["reserved"]
    assert data.rds_username_rules("postgres")["max_length"] == 63
    assert data.rds_username_rules("mariadb")["max_length"] == 16
    assert data.rds_username_rules("sqlserver-se")["max_length"] == 128
    assert data.rds_username_rules("nosuch") is None
    assert re.fullmatch(pg["pattern"], "dbadmin") and not re.fullmatch(pg["pattern"], "1admin")


def test_password_rules():
    assert data.rds_password_rules("postgres")["max_length"] == 128
    assert data.rds_password_rules("mysql")["max_length"] == 41
    oracle = data.rds_password_rules("oracle-ee")
    assert oracle["max_length"] == 30 and {"&", "'"} <= set(oracle["forbidden"])
    assert {"/", "@", '"', " "} <= set(data.rds_password_rules("mariadb")["forbidden"])


def test_elasticache_and_aurora_rules():
    token = data.elasticache_auth_token_rules()
    assert (token["min_length"], token["max_length"], token["allowed_specials"]) == (16, 128, "!&#$^<>-")
    assert token["requires_transit_encryption"] is True
    rg = data.elasticache_replication_group_id_rules()
    assert re.fullmatch(rg["pattern"], "redis-a1") and not re.fullmatch(rg["pattern"], "redis--a")
    sv2 = data.aurora_serverless_v2_rules()
    assert sv2["engine_mode"] == "provisioned" and sv2["instance_class"] == "db.serverless"
    assert sv2["max_capacity"]["maximum"] == 256 and sv2["step"] == 0.5


# ---------------------------------------------------------------- identifiers

def _ok(token, prop, value):
    rule = data.identifier_rules(token)[prop]
    return rule["min_length"] <= len(value) <= rule["max_length"] and bool(re.fullmatch(rule["pattern"], value))


@pytest.mark.parametrize(
    "token, prop, value, ok",
    [
        ("aws:rds/cluster:Cluster", "clusterIdentifier", "healthcare-aurora-1", True),
        ("aws:rds/cluster:Cluster", "clusterIdentifier", "a" * 64, False),
        ("aws:rds/cluster:Cluster", "clusterIdentifier", "ends-", False),
        ("aws:rds/cluster:Cluster", "clusterIdentifier", "two--hyphens", False),
        ("aws:rds/cluster:Cluster", "clusterIdentifier", "Upper", False),
        ("aws:elasticache/replicationGroup:ReplicationGroup", "replicationGroupId", "r" * 41, False),
        ("aws:iam/role:Role", "name", "role+=,.@_-1", True),
        ("aws:iam/role:Role", "namePrefix", "p" * 39, False),
        ("aws:lb/loadBalancer:LoadBalancer", "name", "internal-app", False),
        ("aws:alb/loadBalancer:LoadBalancer", "name", "x" * 33, False),
        ("aws:lb/targetGroup:TargetGroup", "name", "-tg", False),
        ("aws:s3/bucket:Bucket", "bucket", "my.bucket-1", True),
        ("aws:s3/bucketV2:BucketV2", "bucket", "192.168.1.1", False),
        ("aws:s3/bucket:Bucket", "bucket", "a..b", False),
        ("aws:sqs/queue:Queue", "name", "jobs.fifo", True),
        ("aws:kms/alias:Alias", "name", "alias/aws/mine", False),
        ("aws:kms/alias:Alias", "name", "alias/app-key", True),
        ("aws:ec2/securityGroup:SecurityGroup", "name", "sg-web", False),
    ],
)
def test_identifier_rules(token, prop, value, ok):
    assert _ok(token, prop, value) is ok


def test_identifier_rules_unknown_type_is_empty():
    assert data.identifier_rules("aws:nosuch/thing:Thing") == {}


# ---------------------------------------------------------------- lambda, placeholders, ports

def test_lambda_reserved_env_vars():
    reserved = data.lambda_reserved_env_vars()
    assert {"AWS_REGION", "AWS_ACCESS_KEY_ID", "_HANDLER", "LAMBDA_TASK_ROOT"} <= reserved
    assert "MY_SETTING" not in reserved


@pytest.mark.parametrize(
    "runtime, day, status",
    [
        ("python3.9", "2026-01-14", "deprecated"),
        ("python3.9", "2026-01-15", "blocked"),
        ("python3.9", dt.date(2025, 12, 14), "supported"),
        ("nodejs18.x", "2025-10-01", "blocked"),
        ("python3.11", "2026-11-22", "deprecated"),  # no block date in the data: never blocked
        ("python3.13", "2026-11-22", "supported"),
    ],
)
def test_lambda_runtime_status(runtime, day, status):
    assert data.lambda_runtime_status(runtime, day)["status"] == status


def test_lambda_runtime_status_unknown_runtime():
    assert data.lambda_runtime_status("cobol1.0", "2026-01-01") is None


def test_placeholders_and_ports():
    assert {"123456789012", "111122223333", "000000000000"} <= data.placeholder_account_ids()
    assert "placeholder" in data.placeholder_words()
    ports = data.data_ports()
    assert ports[5432].startswith("PostgreSQL") and 443 not in ports and 80 not in ports


# ---------------------------------------------------------------- import cost

def test_import_does_not_pull_boto3_or_the_provider():
    code = "import sys, policypack.data as d; d.is_valid_engine_version('postgres','15','us-east-1'); " \
           "print(sorted(m for m in ('boto3','botocore','pulumi_aws') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
