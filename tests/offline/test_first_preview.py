"""`--unknowns first-preview`: computed outputs unknown as in `pulumi preview` of a new stack; inputs, auto-names
and invoke results known. Both passes run in one process."""

from __future__ import annotations

from offline_helpers import by_name

from policypack.offline import wire


def first_preview(result, type_, name):
    [record] = [r for r in result.passes["first-preview"]["resources"] if r["type"] == type_ and r["name"] == name]
    return record


def test_the_first_pass_is_the_full_capture_and_the_second_the_first_preview(captures):
    result = captures["network_db_first_preview"]
    assert result.program_errors == [] and result.passes["first-preview"]["program_errors"] == []
    full = [r["urn"] for r in result.resources]
    assert full == [r["urn"] for r in captures["network_db"].resources]
    assert [r["urn"] for r in result.passes["first-preview"]["resources"]] == full


def test_computed_outputs_are_unknown_and_inputs_known(captures):
    result = captures["network_db_first_preview"]
    full_db = by_name(result, "aws:rds/instance:Instance", "db")
    db = first_preview(result, "aws:rds/instance:Instance", "db")
    assert db["id"] == wire.UNKNOWN and full_db["id"] != wire.UNKNOWN
    for computed in ("arn", "address", "endpoint"):
        assert db["outputs"][computed] == wire.UNKNOWN and full_db["outputs"][computed] != wire.UNKNOWN
    assert db["inputs"]["storageEncrypted"] is True and db["outputs"]["engine"] == "postgres"
    assert db["inputs"]["identifier"] == full_db["inputs"]["identifier"]  # auto-named at Check: known
    password = first_preview(result, "random:index/randomPassword:RandomPassword", "db-password")
    assert wire.unwrap(password["outputs"]["result"]) == wire.UNKNOWN


def test_values_built_from_computed_outputs_are_unknown_and_invokes_known(captures):
    result = captures["network_db_first_preview"]
    subnet = first_preview(result, "aws:ec2/subnet:Subnet", "private-0")
    assert subnet["inputs"]["vpcId"] == wire.UNKNOWN  # vpc.id
    assert subnet["inputs"]["availabilityZone"] == by_name(result, "aws:ec2/subnet:Subnet", "private-0")[
        "inputs"]["availabilityZone"]  # from get_availability_zones: known at preview
    policy = first_preview(result, "aws:iam/rolePolicy:RolePolicy", "reader")
    assert isinstance(policy["inputs"]["policy"], str) and policy["inputs"]["policy"].startswith("{")
