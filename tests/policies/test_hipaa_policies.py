"""Behaviour of the HIPAA policies beyond their own examples: edge cases of each rule, remediations (what
they change, what they leave alone, that secrets stay secret), and stack policies' use of dependencies."""
import json

import pytest
from pulumi_policy import Secret

from policypack import data
from policypack.policy import Example, evaluate_example, example_view, get_policy
from policypack.views import ResourceView

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def view(policy, props, rtype=None, config=None, region="us-east-1"):
    spec = get_policy(policy)
    rtype = rtype or spec.resource_types[0]
    return ResourceView(rtype, "res", f"urn:pulumi:dev::p::{rtype}::res", props,
                        provider_props={"region": region}, config=spec.effective_config(config))


def findings(policy, props, rtype=None, config=None):
    return get_policy(policy).findings(view(policy, props, rtype, config))


def remediated(policy, props, rtype=None, config=None):
    return get_policy(policy).remediation_for(view(policy, props, rtype, config))


# -- remediations ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("policy,props,expected", [
    ("kinesis-stream-encrypted", {"shardCount": 1}, {"shardCount": 1, "encryptionType": "KMS",
                                                     "kmsKeyId": "alias/aws/kinesis"}),
    ("kms-key-rotation", {"description": "k"}, {"description": "k", "enableKeyRotation": True}),
    ("ecs-no-public-ip", {"networkConfiguration": {"subnets": ["subnet-1"], "assignPublicIp": True}},
     {"networkConfiguration": {"subnets": ["subnet-1"], "assignPublicIp": False}}),
])
def test_remediation_turns_the_protection_on(policy, props, expected):
    fixed = remediated(policy, props)
    assert fixed == expected
    assert findings(policy, fixed) == [], "the remediated resource must pass its own policy"


def test_kinesis_remediation_keeps_the_chosen_key():
    fixed = remediated("kinesis-stream-encrypted", {"encryptionType": "NONE", "kmsKeyId": "alias/phi"})
    assert fixed == {"encryptionType": "KMS", "kmsKeyId": "alias/phi"}


def test_kinesis_remediation_keeps_a_secret_key_secret():
    fixed = remediated("kinesis-stream-encrypted", {"encryptionType": Secret("NONE"), "kmsKeyId": Secret("alias/phi")})
    assert isinstance(fixed["encryptionType"], Secret) and fixed["encryptionType"].value == "KMS"
    assert isinstance(fixed["kmsKeyId"], Secret) and fixed["kmsKeyId"].value == "alias/phi"


def test_ecs_remediation_keeps_a_secret_network_configuration_secret():
    fixed = remediated("ecs-no-public-ip",
                       {"networkConfiguration": Secret({"subnets": ["subnet-1"], "assignPublicIp": True})})
    assert isinstance(fixed["networkConfiguration"], Secret)
    assert fixed["networkConfiguration"].value == {"subnets": ["subnet-1"], "assignPublicIp": False}


@pytest.mark.parametrize("policy,props", [
    ("kinesis-stream-encrypted", {"encryptionType": "KMS", "kmsKeyId": "alias/phi"}),
    ("kms-key-rotation", {"enableKeyRotation": True}),
    ("kms-key-rotation", {"customerMasterKeySpec": "ECC_NIST_P256"}),
    ("ecs-no-public-ip", {"networkConfiguration": {"assignPublicIp": False}}),
    ("kinesis-stream-encrypted", {"encryptionType": UNKNOWN}),
])
def test_no_remediation_when_compliant_or_unknown(policy, props):
    assert remediated(policy, props) is None


def test_policies_without_a_safe_fix_do_not_remediate():
    for name in ("rds-multi-az", "rds-force-ssl", "log-group-encrypted", "log-group-retention",
                 "secret-encrypted-with-cmk", "ecs-no-plaintext-secrets", "security-group-no-public-data-ports",
                 "alb-http-redirects-to-https", "s3-bucket-encrypted", "s3-public-access-blocked"):
        assert not get_policy(name).remediates, name
    for name in ("kinesis-stream-encrypted", "kms-key-rotation", "ecs-no-public-ip"):
        assert get_policy(name).remediates, name


# -- rds ---------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("family,params,flagged", [
    ("postgres13", [], True),
    ("postgres14", [{"name": "RDS.FORCE_SSL", "value": "1"}], False),  # names are case-insensitive
    ("postgres15", [], False),
    ("postgres17", [{"name": "rds.force_ssl", "value": "0"}], True),
    ("postgres16", [{"name": "rds.force_ssl", "value": 1.0}], False),  # a number on the wire
    ("aurora-postgresql16", [], True),
    ("aurora-postgresql16", [{"name": "rds.force_ssl", "value": "1"}], False),
    ("aurora-mysql8.0", [], False),
    ("mariadb10.11", [{"name": "rds.force_ssl", "value": "0"}], False),
])
def test_rds_force_ssl_families(family, params, flagged):
    # Aurora sets rds.force_ssl at the cluster level: its cluster parameter group is the one judged
    rtype = "aws:rds/clusterParameterGroup:ClusterParameterGroup" if family.startswith("aurora") else None
    assert bool(findings("rds-force-ssl", {"family": family, "parameters": params}, rtype)) is flagged


def test_rds_force_ssl_leaves_an_aurora_instance_parameter_group_alone():
    assert findings("rds-force-ssl", {"family": "aurora-postgresql16", "parameters": []}) == []
    assert findings("rds-force-ssl", {"family": "aurora-postgresql16", "parameters": []},
                    "aws:rds/clusterParameterGroup:ClusterParameterGroup")


def test_rds_force_ssl_secret_value_is_checked_and_hidden():
    messages = findings("rds-force-ssl", {"family": "postgres16",
                                          "parameters": [{"name": "rds.force_ssl", "value": Secret("0")}]})
    assert len(messages) == 1 and "[secret]" in messages[0] and "'0'" not in messages[0]


def test_rds_multi_az_is_advisory_by_default():
    assert get_policy("rds-multi-az").enforcement == "advisory"
    assert findings("rds-multi-az", {"multiAz": "true"}) == []  # providers may send booleans as strings


# -- cloudwatch / secrets / kms ------------------------------------------------------------------------------

@pytest.mark.parametrize("days,minimum,flagged", [
    (None, 30, True), (0, 30, False), (1, 30, True), (29, 30, True), (30, 30, False), (3653, 30, False),
    (30, 90, True), ("365", 90, False), ("forever", 30, True),
])
def test_log_group_retention(days, minimum, flagged):
    props = {} if days is None else {"retentionInDays": days}
    assert bool(findings("log-group-retention", props, config={"minimumDays": minimum})) is flagged


def test_log_group_retention_default_minimum_is_30():
    assert get_policy("log-group-retention").default_config() == {"minimumDays": 30}


@pytest.mark.parametrize("key,flagged", [
    (None, True), ("", True), ("alias/aws/secretsmanager", True), ("ALIAS/AWS/SECRETSMANAGER", True),
    ("alias/phi", False), (UNKNOWN, False), (Secret("alias/aws/secretsmanager"), True),
])
def test_secret_encrypted_with_cmk(key, flagged):
    props = {"name": "s"} if key is None else {"name": "s", "kmsKeyId": key}
    messages = findings("secret-encrypted-with-cmk", props)
    assert bool(messages) is flagged
    if isinstance(key, Secret):
        assert "[secret]" in messages[0] and "alias/aws/secretsmanager" not in messages[0]


@pytest.mark.parametrize("props,flagged", [
    ({"customerMasterKeySpec": "SYMMETRIC_DEFAULT"}, True),
    ({"keySpec": "symmetric_default", "enableKeyRotation": False}, True),
    ({"customerMasterKeySpec": "HMAC_256", "keyUsage": "GENERATE_VERIFY_MAC"}, False),
    ({"customerMasterKeySpec": "RSA_4096"}, False),
    ({"customKeyStoreId": UNKNOWN}, False),
    ({"enableKeyRotation": UNKNOWN}, False),
])
def test_kms_key_rotation_symmetric_only(props, flagged):
    assert bool(findings("kms-key-rotation", props)) is flagged


# -- ecs ---------------------------------------------------------------------------------------------------

def _task(environment, name="api"):
    return {"family": "f", "containerDefinitions": json.dumps([{"name": name, "image": "i",
                                                                "environment": environment}])}


@pytest.mark.parametrize("name,value,flagged", [
    ("DB_PASSWORD", "p4ss", True), ("db_passwd", "p4ss", True), ("GITHUB_TOKEN", "ghp_x", True),
    ("ApiKey", "k", True), ("API_KEY", "k", True), ("TLS_PRIVATE_KEY", "-----BEGIN", True),
    ("AWS_CREDENTIALS", "x", True), ("CLIENT_SECRET", "x", True),
    ("DB_PASSWORD", "", False),  # nothing stored
    ("DB_SECRET_ARN", "arn:aws:secretsmanager:us-east-1:210987654321:secret:x", False),
    ("SECRET_NAME", "prod/db", False), ("TOKEN_TTL", "3600", False),
    ("DB_PASSWORD", "arn:aws:ssm:us-east-1:210987654321:parameter/db", False),  # a reference, not a value
    ("PORT", "8080", False), ("LOG_LEVEL", "debug", False),
])
def test_ecs_plaintext_secret_names(name, value, flagged):
    assert bool(findings("ecs-no-plaintext-secrets", _task([{"name": name, "value": value}]))) is flagged


def test_ecs_plaintext_secret_message_names_the_variable_not_the_value():
    [message] = findings("ecs-no-plaintext-secrets", _task([{"name": "DB_PASSWORD", "value": "hunter2-prod"}]))
    assert "DB_PASSWORD" in message and "'api'" in message and "hunter2" not in message


def test_ecs_plaintext_secret_in_secret_definitions_names_nothing():
    props = _task([{"name": "DB_PASSWORD", "value": "hunter2-prod"}], name="payments")
    [message] = findings("ecs-no-plaintext-secrets", {**props, "containerDefinitions": Secret(props["containerDefinitions"])})
    assert "hunter2" not in message and "DB_PASSWORD" not in message and "payments" not in message


@pytest.mark.parametrize("definitions", ["not json", "{}", "[1, null, \"x\"]", json.dumps([{"environment": "x"}]),
                                         json.dumps([{"environment": [{"name": 3, "value": "x"}, None]}]), UNKNOWN])
def test_ecs_odd_container_definitions_pass_quietly(definitions):
    assert findings("ecs-no-plaintext-secrets", {"containerDefinitions": definitions}) == []


def test_ecs_definitions_already_parsed_are_read_too():
    props = {"containerDefinitions": [{"name": "api", "environment": [{"name": "DB_PASSWORD", "value": "x"}]}]}
    assert findings("ecs-no-plaintext-secrets", props)


def test_ecs_public_ip_as_string_true():
    assert findings("ecs-no-public-ip", {"networkConfiguration": {"assignPublicIp": "true"}})


# -- security groups ----------------------------------------------------------------------------------------

SG = "aws:ec2/securityGroup:SecurityGroup"
RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"


@pytest.mark.parametrize("rule,flagged", [
    ({"protocol": "tcp", "fromPort": 0, "toPort": 65535, "cidrBlocks": ["0.0.0.0/0"]}, True),
    ({"protocol": "6", "fromPort": 3306, "toPort": 3306, "cidrBlocks": ["0.0.0.0/0"]}, True),
    ({"protocol": 6.0, "fromPort": 3306.0, "toPort": 3306.0, "cidrBlocks": ["0.0.0.0/0"]}, True),
    ({"protocol": "all", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"]}, True),
    ({"protocol": "tcp", "fromPort": 3389, "toPort": 3389, "cidrBlocks": ["10.0.0.0/8", "0.0.0.0/0"]}, True),
    ({"protocol": "icmp", "fromPort": -1, "toPort": -1, "cidrBlocks": ["0.0.0.0/0"]}, False),
    ({"protocol": "tcp", "fromPort": 80, "toPort": 443, "cidrBlocks": ["0.0.0.0/0"]}, False),
    ({"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrBlocks": ["0.0.0.0/1"]}, True),  # half the internet
    ({"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrBlocks": ["0.0.0.0/2"]}, False),
    ({"protocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrBlocks": UNKNOWN}, False),
])
def test_security_group_inline_rules(rule, flagged):
    assert bool(findings("security-group-no-public-data-ports", {"ingress": [rule]}, SG)) is flagged


def test_security_group_unknown_rule_does_not_hide_the_others():
    rules = [{"protocol": "tcp", "fromPort": UNKNOWN, "toPort": UNKNOWN, "cidrBlocks": ["0.0.0.0/0"]},
             {"protocol": "tcp", "fromPort": 22, "toPort": 22, "cidrBlocks": ["0.0.0.0/0"]}]
    [message] = findings("security-group-no-public-data-ports", {"ingress": rules}, SG)
    assert message.startswith("ingress.1 ") and "22 (SSH)" in message


def test_security_group_message_names_ports_and_hides_secret_cidr():
    rules = [{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": [Secret("0.0.0.0/0")]}]
    [message] = findings("security-group-no-public-data-ports", {"ingress": rules}, SG)
    assert "[secret]" in message and "0.0.0.0/0" not in message and "more" in message


def test_security_group_ports_default_comes_from_data():
    assert get_policy("security-group-no-public-data-ports").default_config()["ports"] == sorted(data.data_ports())


def test_security_group_configured_ports_replace_the_default():
    props = {"type": "ingress", "protocol": "tcp", "fromPort": 5432, "toPort": 5432, "cidrBlocks": ["0.0.0.0/0"]}
    assert findings("security-group-no-public-data-ports", props, RULE)
    assert findings("security-group-no-public-data-ports", props, RULE, config={"ports": [22]}) == []


@pytest.mark.parametrize("props,flagged", [
    ({"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "0.0.0.0/0"}, True),
    ({"ipProtocol": "tcp", "fromPort": 22, "toPort": 22, "cidrIpv4": "192.0.2.0/24"}, False),
    ({"ipProtocol": "-1", "cidrIpv4": "0.0.0.0/0"}, True),
    ({"ipProtocol": "udp", "fromPort": 53, "toPort": 53, "cidrIpv6": "::/0"}, False),
])
def test_vpc_ingress_rule(props, flagged):
    assert bool(findings("security-group-no-public-data-ports", props, INGRESS)) is flagged


# -- load balancer ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("props,flagged", [
    ({"protocol": "HTTP", "port": 80, "defaultActions": [
        {"type": "redirect", "redirect": {"protocol": "HTTPS"}}, {"type": "forward"}]}, True),
    ({"protocol": "http", "port": 80, "defaultActions": [{"type": "REDIRECT", "redirect": {"protocol": "https"}}]},
     False),
    ({"protocol": "HTTP", "port": 80, "defaultActions": []}, True),
    ({"defaultActions": [{"type": "forward"}]}, False),  # Gateway Load Balancer: no protocol, no port
    ({"protocol": "TLS", "port": 443, "defaultActions": [{"type": "forward"}]}, False),
])
def test_alb_http_redirects_to_https(props, flagged):
    assert bool(findings("alb-http-redirects-to-https", props)) is flagged


# -- s3 stack policies ---------------------------------------------------------------------------------------

BUCKET, SSE, PAB = "aws:s3/bucket:Bucket", \
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", \
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
KMS_RULES = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}]
ALL_ON = {"blockPublicAcls": True, "blockPublicPolicy": True, "ignorePublicAcls": True, "restrictPublicBuckets": True}


def stack_findings(policy, bucket_props, others, rtype=BUCKET, config=None):
    spec = get_policy(policy)
    return evaluate_example(spec, Example(bucket_props, name="b", type=rtype, stack=others, config=config))


def test_sse_with_unknown_bucket_resolves_through_property_dependencies():
    others = [{"type": SSE, "name": "sse", "props": {"bucket": UNKNOWN, "rules": KMS_RULES},
               "property_dependencies": {"bucket": ["b"]}}]
    assert stack_findings("s3-bucket-encrypted", {"bucket": UNKNOWN}, others) == []


def test_sse_of_another_bucket_does_not_count_even_with_the_same_name_text():
    others = [{"type": BUCKET, "name": "other", "props": {"bucket": "x"}},
              {"type": SSE, "name": "sse", "props": {"bucket": "x", "rules": KMS_RULES},
               "property_dependencies": {"bucket": ["other"]}}]
    assert stack_findings("s3-bucket-encrypted", {"bucket": "x"}, others)


def test_sse_that_cannot_be_placed_keeps_the_policy_silent():
    others = [{"type": SSE, "name": "sse", "props": {"bucket": UNKNOWN, "rules": KMS_RULES}}]
    assert stack_findings("s3-bucket-encrypted", {"bucket": "x"}, others) == []


def test_sse_with_unknown_rules_is_silent_and_a_v2_alias_is_checked():
    others = [{"type": SSE, "name": "sse", "props": {"bucket": "x", "rules": UNKNOWN}}]
    assert stack_findings("s3-bucket-encrypted", {"bucket": "x"}, others) == []
    assert stack_findings("s3-bucket-encrypted", {"bucket": "x"}, [], rtype="aws:s3/bucketV2:BucketV2")
    v2 = [{"type": "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
           "name": "sse", "props": {"bucket": "x", "rules": KMS_RULES}}]
    assert stack_findings("s3-bucket-encrypted", {"bucket": "x"}, v2, rtype="aws:s3/bucketV2:BucketV2") == []


def test_v6_bucket_v2_inline_configuration_list_counts():
    inline = {"bucket": "x", "serverSideEncryptionConfigurations": [{"rules": [
        {"applyServerSideEncryptionByDefaults": [{"sseAlgorithm": "aws:kms"}]}]}]}
    assert stack_findings("s3-bucket-encrypted", inline, [], rtype="aws:s3/bucketV2:BucketV2") == []


def test_unknown_inline_configuration_is_s3_default_and_flagged():
    # A new bucket's computed inline configuration is unknown at preview; without an SSE resource S3 applies SSE-S3.
    [message] = stack_findings("s3-bucket-encrypted", {"bucket": "x", "serverSideEncryptionConfiguration": UNKNOWN}, [])
    assert "BucketServerSideEncryptionConfiguration" in message


def test_sse_message_names_the_configuration_to_fix():
    others = [{"type": SSE, "name": "phi-sse", "props": {"bucket": "x", "rules": [
        {"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]}}]
    [message] = stack_findings("s3-bucket-encrypted", {"bucket": "x"}, others)
    assert "phi-sse" in message and "aws:kms" in message


def test_public_access_block_settings_are_named():
    others = [{"type": PAB, "name": "pab", "props": {**ALL_ON, "ignorePublicAcls": False,
                                                      "restrictPublicBuckets": None},
               "property_dependencies": {"bucket": ["b"]}}]
    [message] = stack_findings("s3-public-access-blocked", {"bucket": "x"}, others)
    assert "pab" in message and "ignorePublicAcls" in message and "restrictPublicBuckets" in message
    assert "blockPublicAcls" not in message


def test_public_access_block_unknown_setting_is_silent():
    others = [{"type": PAB, "name": "pab", "props": {**ALL_ON, "blockPublicPolicy": UNKNOWN},
               "property_dependencies": {"bucket": ["b"]}}]
    assert stack_findings("s3-public-access-blocked", {"bucket": "x"}, others) == []


def test_account_block_with_a_setting_off_does_not_cover_buckets():
    others = [{"type": "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock", "name": "acct",
               "props": {**ALL_ON, "restrictPublicBuckets": False}}]
    assert stack_findings("s3-public-access-blocked", {"bucket": "x"}, others)


def test_public_access_block_matched_by_bucket_name():
    others = [{"type": PAB, "name": "pab", "props": {"bucket": "x", **ALL_ON}}]
    assert stack_findings("s3-public-access-blocked", {"bucket": "x"}, others) == []
    assert stack_findings("s3-public-access-blocked", {"bucket": "y"}, others)


def test_stack_policies_attach_findings_to_buckets_only():
    spec = get_policy("s3-bucket-encrypted")
    resource, stack = example_view(spec, Example({"bucket": "x"}, name="b"))
    sse_view = ResourceView(SSE, "sse", "urn:x", {"bucket": "x"})
    assert spec.findings(sse_view, stack) == []
    assert spec.findings(resource, stack)
