"""What the mocks compute: deterministic, region-aware, honouring RandomPassword settings."""

from __future__ import annotations

import string

import pytest

from policypack.offline import mock_invokes, mock_outputs, wire
from policypack.offline.mock_outputs import MockContext, new_resource, random_chars
from policypack.offline.runner import order_records, redact

CTX = MockContext(zones={"ap-southeast-1": ["ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"]})


def test_random_password_honours_its_settings():
    props = {"length": 40.0, "special": True, "overrideSpecial": "!&#$^<>-", "minNumeric": 5.0, "upper": False}
    value = random_chars(props, "seed")
    assert len(value) == 40
    assert set(value) <= set(string.ascii_lowercase + string.digits + "!&#$^<>-")
    assert sum(c.isdigit() for c in value) >= 5
    assert random_chars(props, "seed") == value  # deterministic
    assert set(random_chars({"length": 64.0, "special": False}, "s")) <= set(string.ascii_letters + string.digits)
    assert set(random_chars({"length": 64.0}, "s")) & set(mock_outputs.RANDOM_DEFAULT_SPECIAL)


def test_random_password_with_unknown_length_has_an_unknown_result():
    _, _, outputs = new_resource(CTX, "random:index/randomPassword:RandomPassword", "pw", "urn:x",
                                 {"length": wire.UNKNOWN}, None)
    assert outputs["result"] == wire.secret(wire.UNKNOWN)


def test_autoname_only_where_the_provider_autonames_and_never_over_a_given_name():
    _, checked, _ = new_resource(CTX, "aws:elasticache/replicationGroup:ReplicationGroup", "A-Very-Long-Cache-Name-For-PHI-Data",
                                 "urn:a", {}, "us-east-1")
    rg_id = checked["replicationGroupId"]
    assert len(rg_id) <= 40 and rg_id == rg_id.lower()
    _, checked, _ = new_resource(CTX, "aws:cloudwatch/logGroup:LogGroup", "audit", "urn:b", {"name": "/given"}, None)
    assert checked["name"] == "/given"
    _, checked, _ = new_resource(CTX, "aws:ec2/vpc:Vpc", "main", "urn:c", {}, "us-east-1")
    assert "name" not in checked


def test_arns_use_the_region_and_a_non_placeholder_account():
    _, _, outputs = new_resource(CTX, "aws:sns/topic:Topic", "alerts", "urn:t", {}, "ap-southeast-1")
    assert outputs["arn"].startswith("arn:aws:sns:ap-southeast-1:210987654321:alerts-")
    assert mock_outputs.FAKE_ACCOUNT_ID not in ("123456789012", "000000000000")
    _, _, outputs = new_resource(CTX, "aws:lb/loadBalancer:LoadBalancer", "web", "urn:lb", {}, "eu-west-1")
    assert outputs["dnsName"].endswith(".eu-west-1.elb.amazonaws.com")
    assert outputs["arn"].startswith("arn:aws:elasticloadbalancing:eu-west-1:210987654321:loadbalancer/app/web-")


def test_arns_name_the_aws_service_not_the_pulumi_module():
    # what AWS Backup and IAM patterns match: arn:aws:elasticfilesystem:*:*:file-system/* (Service Authorization
    # Reference), never arn:aws:efs:...
    rid, _, outputs = new_resource(CTX, "aws:efs/fileSystem:FileSystem", "docs", "urn:fs", {}, "sa-east-1")
    assert rid.startswith("fs-")
    assert outputs["arn"] == f"arn:aws:elasticfilesystem:sa-east-1:{CTX.account_id}:file-system/{rid}"
    # a type without a row of its own still gets its service's namespace
    _, _, outputs = new_resource(CTX, "aws:opensearch/domain:Domain", "search", "urn:os", {}, "eu-west-1")
    assert outputs["arn"].startswith("arn:aws:es:eu-west-1:")


def test_an_explicit_output_is_never_overwritten():
    _, _, outputs = new_resource(CTX, "aws:kms/key:Key", "k", "urn:k", {"arn": "arn:given"}, "us-east-1")
    assert outputs["arn"] == "arn:given"


def test_availability_zones_of_the_region():
    result = mock_invokes.call(CTX, "aws:index/getAvailabilityZones:getAvailabilityZones", {}, "ap-southeast-1")
    assert result["names"] == ["ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"]
    assert result["zoneIds"][0] == "apse1-az1"
    fallback = mock_invokes.call(CTX, "aws:index/getAvailabilityZones:getAvailabilityZones", {}, "xx-north-9")
    assert fallback["names"] == ["xx-north-9a", "xx-north-9b", "xx-north-9c"]


def test_unknown_invokes_echo_their_arguments():
    assert mock_invokes.call(CTX, "aws:foo/getBar:getBar", {"a": 1.0}, "us-east-1") == {"a": 1.0}


def test_redact_replaces_secret_values():
    assert redact("bad value hunter22 here", {"hunter22", "ab"}) == "bad value [secret] here"


def test_default_provider_is_placed_before_its_first_user():
    records = [{"type": "t", "name": "b", "urn": "u:b", "provider": "P::x"},
               {"type": "t", "name": "a", "urn": "u:a", "provider": "P::x"}]
    provider = {"type": "pulumi:providers:t", "name": "default", "urn": "P", "_first_user": "u:b"}
    ordered = order_records(records, [("t", "a"), ("t", "b")], [provider])
    assert [r["urn"] for r in ordered] == ["P", "u:a", "u:b"]
    assert "_first_user" not in provider


def test_unknown_invokes_get_the_required_fields_of_their_result_type():
    """A data source the mocks do not know still answers every required field of its SDK result type, so
    `aws.route53.get_zone(...).zone_id` passed to a resource is a string, not None (a TypeError)."""
    from policypack.offline.capture_monitor import required_result_fields

    required = required_result_fields("aws:route53/getZone:getZone")
    assert required["zoneId"] == "str" and required["nameServers"] == "list"
    result = mock_invokes.call(CTX, "aws:route53/getZone:getZone", {"name": "example.org"}, "eu-west-1", required)
    assert result["name"] == "example.org"  # arguments still echoed
    assert isinstance(result["zoneId"], str) and result["zoneId"]
    assert result["nameServers"] == [] and result["privateZone"] is False
    cert = mock_invokes.call(CTX, "aws:acm/getCertificate:getCertificate", {"domain": "a.example.org"}, "eu-west-1",
                             required_result_fields("aws:acm/getCertificate:getCertificate"))
    assert cert["arn"].startswith(f"arn:aws:acm:eu-west-1:{CTX.account_id}:certificate/")
    assert cert["region"] == "eu-west-1"
    zones = mock_invokes.call(CTX, "aws:index/getAvailabilityZones:getAvailabilityZones", {}, "ap-southeast-1",
                              required_result_fields("aws:index/getAvailabilityZones:getAvailabilityZones"))
    assert zones["names"] == ["ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"]  # known answers kept
    assert required_result_fields("aws:nosuch/getThing:getThing") == {}


def test_a_name_prefix_names_the_resource_prefix_plus_26_characters():
    """Regression (red team round 2): with name_prefix / bucket_prefix / identifier_prefix the mock ignored the
    prefix and invented `<resource name>-<hex>`; the provider names it `<prefix><26 characters>`."""
    _, checked, _ = new_resource(CTX, "aws:lb/targetGroup:TargetGroup", "api", "urn:tg", {"namePrefix": "api-"},
                                 "us-east-1")
    assert checked["name"].startswith("api-") and len(checked["name"]) == 4 + 26
    _, checked, _ = new_resource(CTX, "aws:s3/bucket:Bucket", "logs", "urn:s3", {"bucketPrefix": "audit-logs-"},
                                 "us-east-1")
    assert checked["bucket"].startswith("audit-logs-") and len(checked["bucket"]) == 11 + 26
    _, checked, _ = new_resource(CTX, "aws:rds/cluster:Cluster", "c", "urn:c",
                                 {"clusterIdentifierPrefix": "warehouse-"}, "us-east-1")
    assert checked["clusterIdentifier"].startswith("warehouse-")
    _, checked, _ = new_resource(CTX, "aws:lb/targetGroup:TargetGroup", "api", "urn:tg", {"namePrefix": "hl7tls-"},
                                 "us-east-1")
    assert checked["name"].startswith("hl7tls-") and len(checked["name"]) == 32  # the prefix rule reports it
    _, checked, _ = new_resource(CTX, "aws:lb/targetGroup:TargetGroup", "api", "urn:tg",
                                 {"namePrefix": wire.UNKNOWN}, "us-east-1")
    assert checked["name"] == wire.UNKNOWN  # a prefix not known yet: so is the name


# --- the knowledge as data (mock_knowledge.json) --------------------------------------------------------
from policypack.offline import mock_knowledge  # noqa: E402
from policypack.offline.mock_knowledge import Evaluation, KnowledgeError, Scope  # noqa: E402

INPUT_SETS = [{}, {"name": "given", "tags": {"team": "a"}, "length": 12.0, "inputs": ["a", "b"], "keyId": "alias/k",
                   "statements": [{"effect": "Allow", "actions": ["s3:GetObject"], "resources": ["*"]}]},
              {"name": wire.UNKNOWN, "length": wire.UNKNOWN, "tags": wire.UNKNOWN, "port": wire.UNKNOWN}]


def test_the_knowledge_file_is_dated_and_every_row_evaluates():
    data = mock_knowledge.knowledge()
    assert data["_source"] and data["_taken"]
    assert len(data["resources"]) >= 60 and len(data["invokes"]) >= 10
    for type_ in data["resources"]:
        for inputs in INPUT_SETS:
            rid, checked, outputs = new_resource(CTX, type_, "r", f"urn:{type_}", inputs, "ap-southeast-1")
            assert isinstance(rid, str) and rid
            if type_.startswith("aws:"):
                assert outputs["arn"].startswith("arn:aws:"), type_
    for token in data["invokes"]:
        for args in INPUT_SETS:
            assert isinstance(mock_invokes.call(CTX, token, args, "ap-southeast-1"), dict)


def test_adding_a_resource_type_is_a_table_row(monkeypatch):
    token = "aws:mq/broker:Broker"
    _, _, before = new_resource(CTX, token, "mq", "urn:mq", {}, "eu-west-1")
    assert before["arn"] == "arn:aws:mq:eu-west-1:210987654321:broker/mq-" + mock_knowledge.digest("urn:mq", 8)
    monkeypatch.setitem(mock_outputs._DATA["resources"], token, {
        "autoname": {"property": "brokerName", "lowercase": False, "max_length": 50},
        "values": {"id": "b-{uuid}", "arn": "arn:aws:mq:{region}:{account}:broker:{in:brokerName}:{id}",
                   "endpoint": "{id}-1.mq.{region}.amazonaws.com"}})
    rid, checked, outputs = new_resource(CTX, token, "mq", "urn:mq", {}, "eu-west-1")
    assert checked["brokerName"].startswith("mq-") and rid.startswith("b-")
    assert outputs["arn"] == f"arn:aws:mq:eu-west-1:210987654321:broker:{checked['brokerName']}:{rid}"
    assert outputs["endpoint"] == f"{rid}-1.mq.eu-west-1.amazonaws.com"


def _evaluate(specs, name, inputs=None, seed="seed"):
    facts = {"name": "web", "region": "eu-west-1", "account": "210987654321"}
    return Evaluation(specs, Scope(seed=seed, inputs=inputs or {}, facts=facts)).value(name)


def test_templates_take_the_first_alternative_that_has_a_value_and_refer_to_values_in_any_order():
    specs = {"url": "https://{_host}/{in:path|'index'}", "_host": "{in:name|name}.{region}.example.org"}
    assert _evaluate(specs, "url") == "https://web.eu-west-1.example.org/index"
    assert _evaluate(specs, "url", {"name": "given", "path": "p"}) == "https://given.eu-west-1.example.org/p"
    assert _evaluate(specs, "url", {"name": wire.UNKNOWN, "path": ""}) == "https://web.eu-west-1.example.org/index"
    assert _evaluate({"a": "x-{in:missing}"}, "a") is None  # no alternative answers: no value at all


def test_digests_numbers_and_conditions():
    digest = mock_knowledge.digest
    assert _evaluate({"v": "{hex:6}/{HEX:4:lb}/{int:4}"}, "v") == (
        f"{digest('seed', 6)}/{digest('seed#lb', 4).upper()}/{int(digest('seed', 4), 16)}")
    assert _evaluate({"id": "alias/x", "v": "{hex:8@id}"}, "v") == digest("alias/x", 8)
    port = {"first": [{"input": "port", "as": "int"},
                      {"if_input": "engine", "matches": "mysql|maria", "then": 3306, "else": 5432}]}
    specs = {"port": port, "endpoint": "db:{port}"}
    assert _evaluate(specs, "endpoint", {"port": 6543.0}) == "db:6543"  # a wire float reads as the integer
    assert _evaluate(specs, "endpoint", {"engine": "aurora-mysql"}) == "db:3306"
    assert _evaluate(specs, "endpoint", {"engine": "postgres"}) == "db:5432"
    assert _evaluate({"s": {"secret": "{name}"}}, "s") == wire.secret("web")


def test_a_broken_row_is_a_knowledge_error_not_a_silent_value():
    with pytest.raises(KnowledgeError, match="refers to itself"):
        _evaluate({"a": "{b}", "b": "{a}"}, "a")
    with pytest.raises(KnowledgeError, match="unknown placeholder"):
        _evaluate({"a": "{nosuch}"}, "a")
    with pytest.raises(KnowledgeError, match="no compute function"):
        _evaluate({"a": {"compute": "nosuch"}}, "a")


def test_policy_documents_merge_sources_statements_and_overrides_as_the_provider_does():
    from policypack.offline.mock_invokes import _policy_document
    import json as _json

    two_services = _policy_document({"statements": [{"actions": ["kms:Decrypt"], "principals": [
        {"type": "Service", "identifiers": ["logs.eu-central-1.amazonaws.com"]},
        {"type": "Service", "identifiers": ["secretsmanager.amazonaws.com"]}]}]})
    [statement] = _json.loads(two_services["json"])["Statement"]
    assert statement["Principal"] == {"Service": ["logs.eu-central-1.amazonaws.com", "secretsmanager.amazonaws.com"]}

    source = _json.dumps({"Statement": [{"Sid": "Admin", "Effect": "Allow", "Action": "kms:*", "Resource": "*"},
                                        {"Sid": "Logs", "Effect": "Allow", "Action": "kms:Encrypt*", "Resource": "*"}]})
    override = _json.dumps({"Statement": {"Sid": "Logs", "Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}})
    merged = _policy_document({"sourcePolicyDocuments": [source], "overridePolicyDocuments": [override],
                               "statements": [{"actions": ["kms:Describe*"], "resources": ["*"]}]})
    statements = _json.loads(merged["json"])["Statement"]
    assert [(s.get("Sid"), s["Action"]) for s in statements] == [
        ("Admin", "kms:*"), ("Logs", "kms:Decrypt"), (None, "kms:Describe*")]


def test_a_managed_master_password_has_its_secret_and_a_given_one_none():
    rid, _, outputs = new_resource(CTX, "aws:rds/instance:Instance", "db", "urn:db",
                                   {"engine": "postgres", "manageMasterUserPassword": True}, "eu-central-1")
    [secret] = outputs["masterUserSecrets"]
    assert secret["secretArn"].startswith("arn:aws:secretsmanager:eu-central-1:") and ":secret:rds!db-" in secret["secretArn"]
    _, _, outputs = new_resource(CTX, "aws:rds/cluster:Cluster", "c", "urn:c",
                                 {"engine": "aurora-postgresql", "masterPassword": "x"}, "eu-central-1")
    assert "masterUserSecrets" not in outputs


def test_data_sources_answer_in_the_shapes_programs_parse():
    import ipaddress
    import json as _json

    secret = mock_invokes.call(CTX, "aws:secretsmanager/getSecretVersion:getSecretVersion", {"secretId": "db/creds"},
                               "us-east-1")
    assert wire.is_secret(secret["secretString"])  # the provider marks it sensitive
    assert {"username", "password", "host", "port"} <= set(_json.loads(wire.unwrap(secret["secretString"])))
    subnet = mock_invokes.call(CTX, "aws:ec2/getSubnet:getSubnet", {"id": "subnet-0abc"}, "eu-west-2")
    assert ipaddress.ip_network(subnet["cidrBlock"]) and subnet["availabilityZone"].startswith("eu-west-2")
    ami = mock_invokes.call(CTX, "aws:ec2/getAmi:getAmi", {"mostRecent": True, "owners": ["amazon"]}, "eu-west-2")
    assert any(m["deviceName"] == ami["rootDeviceName"] for m in ami["blockDeviceMappings"])
    parameter = mock_invokes.call(CTX, "aws:ssm/getParameter:getParameter", {"name": "/platform/days"}, "eu-west-2")
    assert parameter["arn"].endswith(":parameter/platform/days") and wire.is_secret(parameter["value"])
