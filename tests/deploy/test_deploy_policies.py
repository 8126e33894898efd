"""Focused tests of the deploy-group policies: what the messages say, and the cross-resource paths the
examples (run by tests/policies/test_policy_examples.py) do not spell out."""
import json

import pytest
from pulumi_policy import Secret

from policypack import data
from policypack import resource_types as T
from policypack.policy import Example, all_policies, evaluate_example, get_policy
from policypack.views import StackView

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
DEPLOY = sorted(s.name for s in all_policies() if s.group == "deploy")
CATALOG = sorted([
    "rds-engine-version-valid", "rds-master-username-valid", "elasticache-auth-token-valid",
    "aurora-serverless-v2-valid", "identifier-limits", "availability-zone-in-region",
    "ecs-service-connect-namespace-arn", "log-group-kms-key-allows-logs", "lb-security-group-allows-listener-port",
    "ecs-execution-role-can-read-secrets", "subnet-cidrs-valid", "no-placeholder-account-ids",
    "rds-master-password-charset", "lambda-reserved-env-vars", "lambda-runtime-supported",
])


def run(policy, props, **kw):
    return evaluate_example(get_policy(policy), Example(props, **kw))


# -- metadata -------------------------------------------------------------------------------------------

def test_every_catalog_deploy_policy_is_served():
    assert DEPLOY == CATALOG


@pytest.mark.parametrize("name", CATALOG)
def test_deploy_metadata(name):
    spec = get_policy(name)
    assert spec.enforcement == "mandatory" and spec.citation is None and spec.group == "deploy"
    assert spec.description.endswith(".") and "\n" not in spec.description
    assert spec.remediation and spec.severity in ("medium", "high", "critical")
    for source in spec.data_sources:
        assert data.load(source)["_taken"], f"{name}: data source {source} has no date"


@pytest.mark.parametrize("name", CATALOG)
def test_some_compliant_example_is_a_data_missing_case(name):
    notes = " ".join(e.note for e in get_policy(name).compliant)
    assert "data missing" in notes or "unknown" in notes, name


# -- rds-engine-version-valid ---------------------------------------------------------------------------

def test_engine_version_message_names_the_nearest_valid_versions():
    [message] = run("rds-engine-version-valid", {"engine": "postgres", "engineVersion": "15.5"},
                    region="ap-southeast-1")
    nearest = data.nearest_engine_versions("postgres", "15.5", "ap-southeast-1")
    assert nearest and all(v in message for v in nearest)
    assert "ap-southeast-1" in message and "'15'" in message
    assert all(data.is_valid_engine_version("postgres", v, "ap-southeast-1") for v in nearest)


def test_engine_version_uses_the_resources_own_region_input():
    props = {"engine": "postgres", "engineVersion": "15.5", "region": "eu-west-1"}
    assert "eu-west-1" in run("rds-engine-version-valid", props, region="xx-future-1")[0]
    assert run("rds-engine-version-valid", {**props, "region": "xx-future-1"}, region="us-east-1") == []


def test_engine_version_on_cluster_instance_and_secret_version():
    assert run("rds-engine-version-valid", {"engine": "aurora-postgresql", "engineVersion": "11.1"},
               type="aws:rds/clusterInstance:ClusterInstance")
    [message] = run("rds-engine-version-valid", {"engine": "postgres", "engineVersion": Secret("15.4")})
    assert "15.4" not in message and "[secret]" in message


def test_engine_version_unknown_is_silent():
    assert run("rds-engine-version-valid", {"engine": "postgres", "engineVersion": UNKNOWN}) == []


# -- rds-master-username-valid --------------------------------------------------------------------------

def test_username_reserved_message_and_case():
    [message] = run("rds-master-username-valid", {"engine": "aurora-postgresql", "masterUsername": "admin"},
                    type="aws:rds/cluster:Cluster")
    assert "reserved" in message and "aurora-postgresql" in message and "dbadmin" in message
    # an Instance's property is `username`; masterUsername on an Instance is not read
    assert run("rds-master-username-valid", {"engine": "postgres", "masterUsername": "admin"}) == []


# -- availability-zone-in-region ------------------------------------------------------------------------

def test_zone_message_suggests_the_same_letter_and_lists_zones():
    [message] = run("availability-zone-in-region", {"availabilityZone": "us-east-1b"}, region="ap-southeast-1",
                    type="aws:ec2/subnet:Subnet")
    assert "'ap-southeast-1b'" in message
    assert all(z in message for z in data.availability_zones("ap-southeast-1"))


def test_zone_checks_every_entry_and_skips_unknown_ones():
    messages = run("availability-zone-in-region", {"availabilityZones": ["us-east-1a", UNKNOWN, "us-west-2b"]},
                   type="aws:rds/cluster:Cluster", region="us-east-1")
    assert len(messages) == 1 and "us-west-2b" in messages[0]


# -- elasticache-auth-token-valid / rds-master-password-charset ------------------------------------------

def _fed(policy, target_props, generator_props, prop, **kw):
    return run(policy, target_props, name="target", property_dependencies={prop: ["gen"]},
               stack=[{"type": "random:index/randomPassword:RandomPassword", "name": "gen", "props": generator_props}],
               **kw)


@pytest.mark.parametrize("settings,ok", [
    ({"length": 32}, False),                                            # seed 000: default specials
    ({"length": 32, "special": True, "overrideSpecial": "!&#$^<>-"}, True),
    ({"length": 32, "special": False}, True),
    ({"length": 32, "special": False, "overrideSpecial": "@%"}, True),  # special=false: override unused
    ({"length": 32, "overrideSpecial": "!&#"}, True),
    ({"length": 32, "overrideSpecial": "!&#_"}, False),
    ({"length": 12, "special": False}, False),
    ({"length": 129, "special": False}, False),
    ({"length": UNKNOWN, "special": False}, True),                      # stays unknown: skipped
])
def test_auth_token_follows_random_password_settings(settings, ok):
    messages = _fed("elasticache-auth-token-valid", {"transitEncryptionEnabled": True, "authToken": Secret(UNKNOWN)},
                    settings, "authToken", type="aws:elasticache/replicationGroup:ReplicationGroup")
    assert (messages == []) is ok, messages


def test_auth_token_message_names_the_generator_and_the_bad_characters_not_the_token():
    token = "Ab1@%*Ab1@%*Ab1@%*"
    [message] = _fed("elasticache-auth-token-valid", {"transitEncryptionEnabled": True, "authToken": Secret(token)},
                     {"length": 32}, "authToken", type="aws:elasticache/replicationGroup:ReplicationGroup")
    assert "'gen'" in message and "@" in message and "override_special" in message and token not in message


def test_literal_auth_token_is_never_shown():
    token = "not/allowed@token!"
    [message] = run("elasticache-auth-token-valid", {"transitEncryptionEnabled": True, "authToken": Secret(token)},
                    type="aws:elasticache/replicationGroup:ReplicationGroup")
    assert token not in message and "[secret]" in message


@pytest.mark.parametrize("engine,settings,ok", [
    ("postgres", {"length": 32}, False),                                          # '@' in the default set
    ("postgres", {"length": 32, "overrideSpecial": "!#$%&*()-_=+[]{}<>:?"}, True),  # seed 000's fix
    ("postgres", {"length": 32, "overrideSpecial": "!/"}, False),
    ("oracle-ee", {"length": 20, "overrideSpecial": "!&"}, False),                # Oracle also forbids &
    ("aurora-mysql", {"length": 42, "special": False}, False),                    # at most 41
    ("postgres", {"length": 7, "special": False}, False),
])
def test_master_password_follows_random_password_settings(engine, settings, ok):
    messages = _fed("rds-master-password-charset", {"engine": engine, "password": Secret(UNKNOWN)}, settings,
                    "password")
    assert (messages == []) is ok, messages


def test_master_password_on_a_cluster_reads_master_password():
    messages = _fed("rds-master-password-charset", {"engine": "aurora-postgresql", "masterPassword": Secret("x")},
                    {"length": 32}, "masterPassword", type="aws:rds/cluster:Cluster")
    assert len(messages) == 1 and "masterPassword" in messages[0]


# -- log-group-kms-key-allows-logs -----------------------------------------------------------------------

def _log_group(key_props, key_deps=None, region="ap-southeast-1", extra=()):
    return run("log-group-kms-key-allows-logs", {"name": "/app", "kmsKeyId": "arn"}, type=T.CLOUDWATCH_LOG_GROUP[0],
               name="logs", region=region, property_dependencies={"kmsKeyId": ["key"]},
               stack=[{"type": T.KMS_KEY[0], "name": "key", "props": key_props,
                       "property_dependencies": key_deps or {}}, *extra])


def _policy(*statements):
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


LOGS = {"Effect": "Allow", "Principal": {"Service": "logs.ap-southeast-1.amazonaws.com"},
        "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        "Resource": "*"}


def test_key_without_policy_violates_and_names_the_regional_principal():
    [message] = _log_group({"enableKeyRotation": True})
    assert "no key policy" in message and "logs.ap-southeast-1.amazonaws.com" in message


def test_key_policy_provider_computed_is_default_policy_but_fed_unknown_is_skipped():
    assert _log_group({"policy": UNKNOWN})  # nothing feeds it: AWS's default key policy
    assert _log_group({"policy": UNKNOWN}, key_deps={"policy": ["caller"]},
                      extra=[{"type": "aws:iam/role:Role", "name": "caller", "props": {}}]) == []


def test_key_policy_statements():
    assert _log_group({"policy": _policy(LOGS)}) == []
    assert _log_group({"policy": _policy(dict(LOGS, Principal={"Service": ["ec2.amazonaws.com",
                                                                            "logs.amazonaws.com"]}))}) == []
    assert _log_group({"policy": _policy(dict(LOGS, Effect="Deny"))})
    assert _log_group({"policy": _policy(dict(LOGS, Principal={"AWS": "arn:aws:iam::210987654321:root"}))})
    [message] = _log_group({"policy": _policy(dict(LOGS, Action=["kms:Decrypt", "kms:DescribeKey"]))})
    assert "kms:Encrypt" in message and "kms:GenerateDataKey" in message


def test_key_reached_through_an_alias():
    messages = run("log-group-kms-key-allows-logs", {"name": "/app", "kmsKeyId": "alias"},
                   type=T.CLOUDWATCH_LOG_GROUP[0], property_dependencies={"kmsKeyId": ["alias"]},
                   stack=[{"type": T.KMS_KEY[0], "name": "key", "props": {}},
                          {"type": T.KMS_ALIAS[0], "name": "alias", "props": {"name": "alias/logs"},
                           "property_dependencies": {"targetKeyId": ["key"]}}])
    assert len(messages) == 1 and "'key'" in messages[0]


# -- lb-security-group-allows-listener-port --------------------------------------------------------------

def _listener(port, sg_props, rules=(), protocol="HTTPS", sg_count=1):
    groups = [{"type": T.EC2_SECURITY_GROUP[0], "name": f"sg{i}", "props": sg_props} for i in range(sg_count)]
    lb = {"type": T.LB_LOAD_BALANCER[0], "name": "alb", "props": {"securityGroups": [UNKNOWN] * sg_count},
          "property_dependencies": {"securityGroups": [g["name"] for g in groups]}}
    listener = {"port": port, "protocol": protocol, "loadBalancerArn": UNKNOWN}
    return run("lb-security-group-allows-listener-port", listener,
               type=T.LB_LISTENER[0], name="listener", property_dependencies={"loadBalancerArn": ["alb"]},
               stack=[lb, *groups, *rules])


def _rule(kind, props, sg="sg0"):
    return {"type": kind, "name": f"rule-{len(json.dumps(props))}", "props": props,
            "property_dependencies": {"securityGroupId": [sg]}}


def test_listener_message_names_the_admitted_ports():
    [message] = _listener(443, {"ingress": [{"protocol": "tcp", "fromPort": 80, "toPort": 80}]})
    assert "443" in message and "'alb'" in message and "'sg0' admits 80" in message


def test_listener_port_admitted_by_rule_resources():
    vpc_rule = _rule(T.VPC_SECURITY_GROUP_INGRESS_RULE[0], {"ipProtocol": "tcp", "fromPort": 443, "toPort": 443})
    ec2_rule = _rule(T.EC2_SECURITY_GROUP_RULE[0], {"type": "ingress", "protocol": "tcp", "fromPort": 400,
                                                    "toPort": 500})
    egress = _rule(T.EC2_SECURITY_GROUP_RULE[0], {"type": "egress", "protocol": "-1", "fromPort": 0, "toPort": 0})
    assert _listener(443, {}, [vpc_rule]) == []
    assert _listener(443, {}, [ec2_rule]) == []
    assert _listener(443, {}, [egress])
    assert _listener(443, {}, [_rule(T.VPC_SECURITY_GROUP_INGRESS_RULE[0], {"ipProtocol": "-1"})]) == []
    assert _listener(443, {}, [_rule(T.VPC_SECURITY_GROUP_INGRESS_RULE[0], {"ipProtocol": "udp", "fromPort": 443,
                                                                            "toPort": 443})])


def test_listener_udp_and_second_group():
    udp = {"ingress": [{"protocol": "udp", "fromPort": 53, "toPort": 53}]}
    assert _listener(53, udp, protocol="UDP") == []
    assert _listener(53, udp, protocol="TCP")
    assert _listener(443, {"ingress": [{"protocol": "tcp", "fromPort": 443, "toPort": 443}]}, sg_count=2) == []


# -- subnet-cidrs-valid ----------------------------------------------------------------------------------

def _subnets(*cidrs, vpc="10.0.0.0/16", secondary=()):
    stack = [{"type": T.EC2_VPC[0], "name": "vpc", "props": {"cidrBlock": vpc}}]
    stack += [{"type": T.EC2_VPC_IPV4_CIDR_BLOCK_ASSOCIATION[0], "name": f"extra{i}", "props": {"cidrBlock": c},
               "property_dependencies": {"vpcId": ["vpc"]}} for i, c in enumerate(secondary)]
    stack += [{"type": T.EC2_SUBNET[0], "name": f"s{i}", "props": {"cidrBlock": c},
               "property_dependencies": {"vpcId": ["vpc"]}} for i, c in enumerate(cidrs[1:], 1)]
    return run("subnet-cidrs-valid", {"cidrBlock": cidrs[0]}, type=T.EC2_SUBNET[0], name="s0",
               property_dependencies={"vpcId": ["vpc"]}, stack=stack)


def test_subnet_overlap_names_the_other_subnet():
    [message] = _subnets("10.0.0.0/23", "10.0.1.0/24", "10.0.2.0/24")
    assert "'s1'" in message and "10.0.1.0/24" in message and "'s2'" not in message


def test_subnet_outside_vpc_and_secondary_block():
    [message] = _subnets("172.16.0.0/24")
    assert "outside VPC 'vpc' (10.0.0.0/16)" in message
    assert _subnets("172.16.0.0/24", secondary=["172.16.0.0/20"]) == []


def test_subnet_malformed_cidr_hint():
    [message] = _subnets("10.0.1.7/24")
    assert "10.0.1.0/24" in message
    assert _subnets("not-a-cidr")


# -- no-placeholder-account-ids ---------------------------------------------------------------------------

def test_placeholder_any_type_and_path():
    spec = get_policy("no-placeholder-account-ids")
    assert "aws:sqs/queue:Queue" in spec.resource_types and "pulumi:providers:aws" not in spec.resource_types
    messages = run("no-placeholder-account-ids",
                   {"redrivePolicy": json.dumps({"deadLetterTargetArn": "arn:aws:sqs:us-east-1:123456789012:dlq"})},
                   type="aws:sqs/queue:Queue")
    assert len(messages) == 1 and messages[0].startswith("redrivePolicy") and "123456789012" in messages[0]
    # the stack-view type filter accepts ANY too (StackView.of_type uses `in`)
    stack = StackView([])
    assert stack.of_type(spec.resource_types) == []


def test_placeholder_secret_is_not_shown():
    [message] = run("no-placeholder-account-ids",
                    {"roleArn": Secret("arn:aws:iam::000000000000:role/x")}, type="aws:ecs/service:Service")
    assert "000000000000" not in message


# -- ecs-execution-role-can-read-secrets ------------------------------------------------------------------

SECRET_ARN = "arn:aws:secretsmanager:us-east-1:210987654321:secret:db-a1b2c3"


def _task(statements, secret_props=None, extra=(), role_props=None):
    containers = [{"name": "app", "secrets": [{"name": "DB", "valueFrom": SECRET_ARN}]}]
    role_props = role_props if role_props is not None else {
        "arn": "arn:aws:iam::210987654321:role/exec",
        "inlinePolicies": [{"name": "p", "policy": json.dumps({"Statement": statements})}]}
    return run("ecs-execution-role-can-read-secrets",
               {"containerDefinitions": json.dumps(containers), "executionRoleArn": "arn"},
               type=T.ECS_TASK_DEFINITION[0], property_dependencies={"executionRoleArn": ["exec"]},
               stack=[{"type": T.IAM_ROLE[0], "name": "exec", "props": role_props},
                      {"type": T.SECRETSMANAGER_SECRET[0], "name": "db",
                       "props": secret_props or {"arn": SECRET_ARN}, "property_dependencies": {"kmsKeyId": ["cmk"]}},
                      *extra])


def test_ecs_role_policy_resource_and_wildcards():
    read = {"Effect": "Allow", "Action": "secretsmanager:Get*", "Resource": "arn:aws:secretsmanager:*:*:secret:db-*"}
    assert _task([read]) == []
    [message] = _task([{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}])
    assert "'exec'" in message and "secretsmanager:GetSecretValue" in message and "DB" in message
    role_policy = {"type": T.IAM_ROLE_POLICY[0], "name": "rp", "props": {"role": "exec", "policy": json.dumps(
        {"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]})},
        "property_dependencies": {"role": ["exec"]}}
    assert _task([], extra=[role_policy]) == []


def test_ecs_cmk_granted_by_the_key_policy():
    role_arn = "arn:aws:iam::210987654321:role/exec"
    read = {"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": "*"}
    key_policy = json.dumps({"Statement": [{"Effect": "Allow", "Principal": {"AWS": role_arn},
                                            "Action": "kms:Decrypt", "Resource": "*"}]})
    key = {"type": T.KMS_KEY[0], "name": "cmk", "props": {"arn": "arn:aws:kms:us-east-1:210987654321:key/k",
                                                          "policy": key_policy}}
    secret = {"arn": SECRET_ARN, "kmsKeyId": "arn:aws:kms:us-east-1:210987654321:key/k"}
    assert _task([read], secret, extra=[key]) == []
    key_no = dict(key, props={**key["props"], "policy": _policy()})
    [message] = _task([read], secret, extra=[key_no])
    assert "kms:Decrypt" in message


def test_ecs_unknown_role_document_is_silent():
    role = {"arn": "arn", "inlinePolicies": [{"name": "p", "policy": UNKNOWN}]}
    assert _task([], role_props=role) == []


@pytest.mark.parametrize("containers", [
    [{"name": "app", "secrets": 5}],
    [{"name": "app", "secrets": "DB_PASSWORD"}],
    [{"name": "app", "logConfiguration": ["awslogs"]}],
    [{"name": "app", "logConfiguration": {"secretOptions": 3}}],
    [{"name": "app", "secrets": [{"name": "X", "valueFrom": 7}]}],
])
def test_ecs_secrets_policy_survives_malformed_container_definitions(containers):
    """Found by the hypothesis sweep: shapes the ECS API would reject must not crash the policy."""
    from policypack.policy import Example, evaluate_example, get_policy

    spec = get_policy("ecs-execution-role-can-read-secrets")
    example = Example({"family": "app", "containerDefinitions": json.dumps(containers),
                       "executionRoleArn": "arn:aws:iam::210987654321:role/exec"},
                      type="aws:ecs/taskDefinition:TaskDefinition", name="task")
    assert evaluate_example(spec, example) == []
