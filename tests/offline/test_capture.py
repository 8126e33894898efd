"""What a capture holds for working programs: the engine's resources, URNs, providers, wire-form values."""

from __future__ import annotations

from pathlib import Path

from policypack.offline import wire

from offline_helpers import PROGRAMS, by_name

STACK = "pulumi:pulumi:Stack"
DEFAULT_AWS = "urn:pulumi:dev::netdb::pulumi:providers:aws::default_7_51_1"


def test_project_stack_and_config_from_the_stack_file(captures):
    r = captures["network_db"]
    assert (r.project, r.stack) == ("netdb", "dev")
    assert r.program_errors == []
    assert r.config["aws:region"] == "eu-west-1"
    assert r.config["netdb:replicas"] == "2"  # numbers reach the program as strings
    assert r.config["netdb:tags"] == '{"team": "data"}'  # objects as JSON
    assert "netdb:apiKey" not in r.config  # secure: not decryptable offline
    assert any("netdb:apiKey" in note for note in r.notes)


def test_stack_resource_parents_top_level_resources(captures):
    r = captures["network_db"]
    stack = r.resources[0]
    assert (stack["type"], stack["name"], stack["parent"], stack["custom"]) == (STACK, "netdb-dev", None, False)
    vpc = by_name(r, "aws:ec2/vpc:Vpc", "main")
    assert vpc["urn"] == "urn:pulumi:dev::netdb::aws:ec2/vpc:Vpc::main"
    assert vpc["parent"] == stack["urn"]
    assert stack["outputs"]["endpoint"].endswith(".eu-west-1.rds.amazonaws.com:5432")  # exports registered


def test_default_provider_carries_the_stack_region_and_precedes_its_users(captures):
    r = captures["network_db"]
    provider = by_name(r, "pulumi:providers:aws", "default_7_51_1")
    assert provider["urn"] == DEFAULT_AWS
    assert provider["inputs"] == {"region": "eu-west-1", "version": "7.51.1"}
    assert provider["parent"] is None and provider["id"] == wire.UNKNOWN
    vpc = by_name(r, "aws:ec2/vpc:Vpc", "main")
    assert vpc["provider"] == f"{DEFAULT_AWS}::{wire.UNKNOWN}"
    assert r.resources.index(provider) < r.resources.index(vpc)
    random_provider = by_name(r, "pulumi:providers:random", "default_4_21_4")
    assert random_provider["inputs"] == {"version": "4.21.4"}
    assert by_name(r, "random:index/randomPassword:RandomPassword", "db-password")["provider"].startswith(
        random_provider["urn"] + "::")


def test_config_override_changes_region_of_provider_arns_and_zones(captures):
    r = captures["network_db_west"]
    assert r.program_errors == []
    provider = by_name(r, "pulumi:providers:aws", "default_7_51_1")
    assert provider["inputs"]["region"] == "us-west-2"
    db = by_name(r, "aws:rds/instance:Instance", "db")
    assert db["inputs"]["dbName"] == "records"
    assert db["outputs"]["arn"].startswith("arn:aws:rds:us-west-2:210987654321:db:")
    zones = [by_name(r, "aws:ec2/subnet:Subnet", f"private-{i}")["inputs"]["availabilityZone"] for i in range(2)]
    assert zones == ["us-west-2a", "us-west-2b"]


def test_dependencies_and_property_dependencies(captures):
    r = captures["network_db"]
    vpc = by_name(r, "aws:ec2/vpc:Vpc", "main")
    subnet = by_name(r, "aws:ec2/subnet:Subnet", "private-0")
    assert subnet["dependencies"] == [vpc["urn"]]
    assert subnet["property_dependencies"]["vpcId"] == [vpc["urn"]]
    assert subnet["inputs"]["vpcId"] == vpc["id"] and vpc["id"].startswith("vpc-")
    assert subnet["inputs"]["availabilityZone"] == "eu-west-1a"  # get_availability_zones of the region


def test_random_password_result_flows_into_the_db_as_a_wire_secret(captures):
    r = captures["network_db"]
    password = by_name(r, "random:index/randomPassword:RandomPassword", "db-password")
    result = password["outputs"]["result"]
    assert wire.is_secret(result)
    value = result["value"]
    assert len(value) == 24 and set(value) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#$%")
    db = by_name(r, "aws:rds/instance:Instance", "db")
    assert db["inputs"]["password"] == wire.secret(value)
    assert db["property_dependencies"]["password"] == [password["urn"]]
    version = by_name(r, "aws:secretsmanager/secretVersion:SecretVersion", "db-credentials")
    assert wire.is_secret(version["inputs"]["secretString"])


def test_provider_computed_outputs_and_autonames(captures):
    r = captures["network_db"]
    db = by_name(r, "aws:rds/instance:Instance", "db")
    assert db["inputs"]["storageEncrypted"] is True
    assert db["inputs"]["allocatedStorage"] == 20.0  # numbers are floats on the wire
    assert db["inputs"]["identifier"].startswith("db-")  # auto-named at Check: an input for the analyzer
    assert db["outputs"]["endpoint"] == f"{db['outputs']['address']}:5432"
    assert db["options"]["protect"] is True and db["options"]["ignore_changes"] == ["password"]
    role = by_name(r, "aws:iam/role:Role", "reader")
    assert role["outputs"]["arn"] == f"arn:aws:iam::210987654321:role/{role['inputs']['name']}"
    policy = by_name(r, "aws:iam/rolePolicy:RolePolicy", "reader")
    assert '"Action": "s3:GetObject"' in policy["inputs"]["policy"]  # get_policy_document rendered


def test_outputs_the_mocks_do_not_compute_stay_unknown(captures):
    table = by_name(captures["network_db"], "aws:ec2/routeTable:RouteTable", "private")
    assert table["inputs"]["tags"]["MainRouteTable"] == wire.UNKNOWN


def test_source_positions_point_at_the_constructor_call(captures):
    r = captures["network_db"]
    main = str(PROGRAMS / "network_db" / "__main__.py")
    lines = (PROGRAMS / "network_db" / "__main__.py").read_text().splitlines()
    vpc = by_name(r, "aws:ec2/vpc:Vpc", "main")
    assert vpc["source"]["file"] == main
    assert lines[vpc["source"]["line"] - 1].startswith('vpc = aws.ec2.Vpc("main"')
    assert by_name(r, "pulumi:providers:aws", "default_7_51_1")["source"] is None


def test_resources_are_in_construction_order(captures):
    names = [res["name"] for res in captures["network_db"].resources if not res["type"].startswith("pulumi:")]
    assert names == ["main", "private-0", "private-1", "db", "db-password", "db", "db-credentials",
                     "db-credentials", "reader", "reader", "private"]


def test_two_captures_are_identical(captures):
    again = captures["network_db"].resources
    from policypack.offline import capture_program

    assert capture_program(PROGRAMS / "network_db").resources == again


def test_component_children_urns_parents_and_explicit_provider(captures):
    r = captures["component_provider"]
    assert r.program_errors == [] and r.stack == "prod"
    west = by_name(r, "pulumi:providers:aws", "west")
    assert west["inputs"]["region"] == "us-west-2" and west["custom"] is True
    logs = by_name(r, "hipaa:storage:EncryptedBucket", "logs")
    assert logs["custom"] is False and logs["provider"] is None and logs["id"] is None
    assert logs["outputs"] == {"bucketName": by_name(r, "aws:s3/bucket:Bucket", "logs-bucket")["inputs"]["bucket"]}
    bucket = by_name(r, "aws:s3/bucket:Bucket", "logs-bucket")
    assert bucket["urn"] == "urn:pulumi:prod::storage::hipaa:storage:EncryptedBucket$aws:s3/bucket:Bucket::logs-bucket"
    assert bucket["parent"] == logs["urn"]
    assert bucket["provider"] == f"{west['urn']}::{wire.UNKNOWN}"
    assert bucket["outputs"]["region"] == "us-west-2"
    sse = by_name(r, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
                  "logs-sse")
    assert sse["urn"].split("::")[2] == ("hipaa:storage:EncryptedBucket$aws:s3/bucket:Bucket$"
                                         "aws:s3/bucketServerSideEncryptionConfiguration:"
                                         "BucketServerSideEncryptionConfiguration")
    key = by_name(r, "aws:kms/key:Key", "logs-key")
    rule = sse["inputs"]["rules"][0]["applyServerSideEncryptionByDefault"]
    assert rule == {"sseAlgorithm": "aws:kms", "kmsMasterKeyId": key["outputs"]["arn"]}
    assert key["outputs"]["arn"].startswith("arn:aws:kms:us-west-2:210987654321:key/")
    # the home bucket has no explicit provider: the default one, in the stack's region
    home_key = by_name(r, "aws:kms/key:Key", "home-key")
    assert home_key["provider"].startswith("urn:pulumi:prod::storage::pulumi:providers:aws::default_7_51_1::")
    assert home_key["outputs"]["arn"].startswith("arn:aws:kms:us-east-1:")
    assert key["source"]["file"] == str(PROGRAMS / "component_provider" / "lib" / "storage.py")
    assert logs["source"] == {"file": str(PROGRAMS / "component_provider" / "__main__.py"), "line": 7}


def test_apply_output_json_and_explicit_dependencies(captures):
    r = captures["component_provider"]
    policy = by_name(r, "aws:s3/bucketPolicy:BucketPolicy", "logs-policy")
    bucket = by_name(r, "aws:s3/bucket:Bucket", "logs-bucket")
    assert f'"{bucket["outputs"]["arn"]}/*"' in policy["inputs"]["policy"]
    group = by_name(r, "aws:cloudwatch/logGroup:LogGroup", "audit")
    assert group["outputs"]["arn"] == "arn:aws:logs:us-west-2:210987654321:log-group:/hipaa/audit"
    assert bucket["urn"] in group["dependencies"]  # depends_on a component: its children
    stack = r.resources[0]
    assert stack["outputs"] == {"region": "us-east-1", "account": "210987654321"}
    assert [i["token"] for i in r.invokes] == ["aws:index/getRegion:getRegion",
                                               "aws:index/getCallerIdentity:getCallerIdentity"]


def test_python_used_is_reported(captures):
    assert Path(captures["network_db"].python).name.startswith("python")


def test_a_35_resource_program_captures_completely(captures):
    r = captures["sized_35"]
    assert r.program_errors == []
    program = [res for res in r.resources if not res["type"].startswith("pulumi:")]
    assert len(program) == 37
    listener = by_name(r, "aws:lb/listener:Listener", "https")
    cert = by_name(r, "aws:acm/certificate:Certificate", "web")
    assert listener["inputs"]["certificateArn"] == cert["outputs"]["arn"]
    assert cert["outputs"]["arn"].startswith("arn:aws:acm:us-east-2:210987654321:certificate/")
    token = by_name(r, "random:index/randomPassword:RandomPassword", "cache")["outputs"]["result"]["value"]
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!&#$^<>-")


def test_assets_and_archives_reach_the_pack_with_only_the_fields_the_engine_reads():
    # The Node SDK sends its asset objects whole, markers included; the engine keeps sig, hash, text, path, uri.
    asset = {wire.SIG_KEY: wire.ASSET_SIG, "text": "print(1)", "__pulumiAsset": True}
    archive = {wire.SIG_KEY: wire.ARCHIVE_SIG, "__pulumiArchive": True, "assets": {"index.py": asset}}
    inputs = {"code": archive, "environment": {"variables": {"A": "1"}},
              "layers": [wire.secret({wire.SIG_KEY: wire.ASSET_SIG, "path": "x.zip", "__pulumiAsset": True})]}
    read = wire.as_engine_reads(inputs)
    assert read["code"] == {wire.SIG_KEY: wire.ARCHIVE_SIG,
                            "assets": {"index.py": {wire.SIG_KEY: wire.ASSET_SIG, "text": "print(1)"}}}
    assert read["layers"] == [wire.secret({wire.SIG_KEY: wire.ASSET_SIG, "path": "x.zip"})]
    assert read["environment"] is inputs["environment"]  # nothing to change: the same object, not a copy
    plain = {"a": [1, {"b": "c"}]}
    assert wire.as_engine_reads(plain) is plain
