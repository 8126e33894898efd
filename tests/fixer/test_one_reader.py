"""One reader of AWS facts: the pack, the offline preview's error table and the fixer get the same cases and
must agree. Each case is decided through the component's real entry point (a policy on a resource, the
preview's error-to-rule mapping, ``fixer check`` on a source), so a second copy of a fact anywhere shows up
as a disagreement."""
import inspect

import pulumi
import pytest

from fixer import data_tables
from fixer.keywords import NOT_MOVED_OPTIONS, RESOURCE_OPTIONS
from fixer.rules import all_rules
from fixer.runner import Options, process_source
from policypack import data
from policypack.offline.error_rules import ErrorFacts, fixer_rule_for
from policypack.policy import Example, evaluate_example, get_policy

RULES = tuple(r.NAME for r in all_rules())


def _fixer(source: str, index, region=None) -> set:
    result, _ = process_source("prog.py", "import pulumi_aws as aws\n" + source, Options(RULES, region=region), index)
    return {f.rule for f in result.findings}


def _pack(policy: str, props: dict, region: str, type_: str = "aws:rds/instance:Instance") -> bool:
    return bool(evaluate_example(get_policy(policy), Example(props, region=region, type=type_)))


@pytest.mark.parametrize("engine,version,region,invalid", [
    ("postgres", "15.4", "us-gov-west-1", False),  # a region the data does not hold: nobody guesses
    ("postgres", "15.4", "us-east-1", True),
    ("Postgres", "15.4", "us-east-1", True),  # engine names are case-insensitive for AWS
    ("postgres", "15.13", "eu-west-1", False),
    ("postgres", "15", "eu-west-1", False),  # major only: AWS picks the minor
    ("postgres", "15.99", "eu-west-1", False),  # newer than the data: may exist now
    ("mysql", "8.0.11", "ap-southeast-1", True),
])
def test_engine_versions_agree(index, engine, version, region, invalid):
    pack = _pack("rds-engine-version-valid", {"engine": engine, "engineVersion": version}, region)
    fixer = "rds-engine-version-invalid" in _fixer(
        f"aws.rds.Instance('db', engine={engine!r}, engine_version={version!r})\n", index, region)
    assert (pack, fixer) == (invalid, invalid)


@pytest.mark.parametrize("engine,name,reserved", [
    ("aurora-postgresql", "postgres", False),  # AWS's own default master username for PostgreSQL engines
    ("postgres", "postgres", False),
    ("aurora-postgresql", "admin", True),
    ("postgres", "Admin", True),
    ("postgres", "pg_owner", True),  # reserved prefix
    ("mysql", "admin", False),
    ("mysql", "rdsadmin", True),
])
def test_reserved_usernames_agree(index, engine, name, reserved):
    pack = _pack("rds-master-username-valid", {"engine": engine, "masterUsername": name}, "us-east-1",
                 "aws:rds/cluster:Cluster")
    fixer = "rds-master-username-reserved" in _fixer(
        f"aws.rds.Cluster('c', engine={engine!r}, master_username={name!r})\n", index, "us-east-1")
    assert (pack, fixer) == (reserved, reserved)
    assert data.is_reserved_username(engine, data_tables.username_replacement()) is False


def test_zones_of_every_region_agree(index):
    """Every zone of every region in the data, used in its own region and in another one."""
    regions = [r for r in data.known_regions() if data.availability_zones(r)]
    assert len(regions) > 20
    for i, region in enumerate(regions):
        other = regions[(i + 1) % len(regions)]
        for zone in data.availability_zones(region):
            assert data_tables.split_zone(zone) == (region, zone[len(region):]), zone
            for deployed, wrong in ((region, False), (other, True)):
                pack = _pack("availability-zone-in-region", {"availabilityZone": zone}, deployed,
                             "aws:ec2/subnet:Subnet")
                assert pack == wrong, (zone, deployed)
    # the whole path, for one zone of each partition-style name the fixer meets
    # (a local zone of another region is the pack's to report: it has no letter the fixer could move)
    for zone, deployed, expected in (("us-east-1b", "ap-southeast-1", (True, True)),
                                     ("eu-west-3a", "eu-west-3", (False, False)),
                                     ("us-west-2-lax-1a", "us-east-1", (True, False))):
        fixer = "availability-zone-region" in _fixer(f"aws.ec2.Subnet('s', availability_zone={zone!r})\n", index,
                                                     deployed)
        pack = _pack("availability-zone-in-region", {"availabilityZone": zone}, deployed, "aws:ec2/subnet:Subnet")
        assert (pack, fixer) == expected, zone


def test_preview_names_the_rule_fixer_check_names(index):
    """For every rename and every resource option, the TypeError the program raises maps to the rule that
    `fixer check` reports on the same call."""
    for entry in data_tables.keyword_renames():
        module, cls = entry["class"].split(".")[1], entry["class"].rsplit(".", 1)[1]
        error = ErrorFacts("TypeError", f"{cls}._internal_init() got an unexpected keyword argument '{entry['from']}'",
                           [f"/site-packages/pulumi_aws/{module}/{cls.lower()}.py"])
        assert fixer_rule_for(error, ".") == "provider-keyword-renamed", entry
        found = _fixer(f"aws.{module}.{cls}('r', {entry['from']}=x)\n", index)
        assert "provider-keyword-renamed" in found, entry
    for option in RESOURCE_OPTIONS:
        error = ErrorFacts("TypeError", f"Bucket._internal_init() got an unexpected keyword argument '{option}'",
                           ["/site-packages/pulumi_aws/s3/bucket.py"])
        assert fixer_rule_for(error, ".") == "resource-option-keyword", option
        assert "resource-option-keyword" in _fixer(f"aws.s3.Bucket('b', {option}=x)\n", index), option


def test_resource_options_are_the_sdks():
    fields = set(inspect.signature(pulumi.ResourceOptions.__init__).parameters) - {"self"}
    assert set(RESOURCE_OPTIONS) | set(NOT_MOVED_OPTIONS) == fields
