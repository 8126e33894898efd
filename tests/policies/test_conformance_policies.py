"""The AWS Config HIPAA conformance policies (issue 9) beyond their own examples: remediations that must not
be offered, relations placed through dependencies or names, and the traps of the catalog."""
import pytest

from policypack import resource_types as T
from policypack.policy import Example, evaluate_example, example_view, get_policy

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def check(policy, props, *, type=None, stack=(), deps=None, config=None, name="res"):
    example = Example(props, type=type, stack=list(stack), property_dependencies=deps, config=config, name=name)
    return evaluate_example(get_policy(policy), example)


def remediation(policy, props, *, type=None, config=None):
    spec = get_policy(policy)
    resource, _ = example_view(spec, Example(props, type=type, config=config))
    return spec.remediation_for(resource)


# -- remediations: turn on or tighten, only where AWS accepts it --------------------------------------------

_ES = T.ELASTICSEARCH_DOMAIN[0]


@pytest.mark.parametrize("props,type,fixed", [
    ({"engineVersion": "OpenSearch_2.13", "clusterConfig": {"instanceType": "r6g.large.search"}}, None, True),
    ({"clusterConfig": {"instanceType": "r6g.large.search"}}, None, True),  # unset engine = latest OpenSearch
    ({"elasticsearchVersion": "7.10", "clusterConfig": {"instanceType": "r5.large.elasticsearch"}}, _ES, True),
    ({"elasticsearchVersion": "6.5", "clusterConfig": {"instanceType": "r5.large.elasticsearch"}}, _ES, False),
    ({"clusterConfig": {"instanceType": "r5.large.elasticsearch"}}, _ES, False),  # unset = Elasticsearch 1.5
    ({"clusterConfig": {"instanceType": "t2.small.search"}}, None, False),  # t2 supports no encryption
    ({"clusterConfig": {"instanceCount": 2}}, None, False),  # the provider's default instance type is m3.medium
])
@pytest.mark.parametrize("policy,path", [("opensearch-encrypted-at-rest", "encryptAtRest"),
                                         ("opensearch-node-to-node-encryption-check", "nodeToNodeEncryption")])
def test_search_encryption_is_remediated_only_where_aws_turns_it_on_in_place(policy, path, props, type, fixed):
    assert check(policy, props, type=type)
    tree = remediation(policy, props, type=type)
    assert (tree is not None) == fixed
    if fixed:
        assert tree[path]["enabled"] is True and check(policy, tree, type=type) == []


def test_https_remediation_tightens_the_tls_policy_to_an_allowed_one():
    config = {"tlsPolicies": ["Policy-Min-TLS-1-2-PFS-2023-10"]}
    props = {"domainEndpointOptions": {"enforceHttps": False}}  # unset policy = the TLS 1.0 default
    tree = remediation("opensearch-https-required", props, config=config)
    assert tree["domainEndpointOptions"] == {"enforceHttps": True, "tlsSecurityPolicy": "Policy-Min-TLS-1-2-PFS-2023-10"}
    assert check("opensearch-https-required", tree, config=config) == []


def test_retention_remediations_never_lower_a_value():
    assert remediation("redshift-backup-enabled", {"automatedSnapshotRetentionPeriod": 40}) is None
    assert remediation("redshift-backup-enabled", {"automatedSnapshotRetentionPeriod": 0},
                       config={"minimumDays": 7})["automatedSnapshotRetentionPeriod"] == 7
    assert remediation("elasticache-redis-cluster-automatic-backup-check",
                       {"engine": "redis", "snapshotRetentionLimit": 3})["snapshotRetentionLimit"] == 15


def test_public_sharing_remediations_remove_only_the_public_grant():
    tree = remediation("rds-snapshots-public-prohibited", {"sharedAccounts": ["210987654321", "All"]})
    assert tree["sharedAccounts"] == ["210987654321"]
    tree = remediation("ssm-document-not-public", {"permissions": {"type": "Share", "account_ids": "1, all"}})
    assert tree["permissions"] is None and check("ssm-document-not-public", tree) == []


def test_pitr_remediation_covers_every_replica():
    tree = remediation("dynamodb-pitr-enabled", {"replicas": [{"regionName": "us-west-2"}, {"regionName": "eu-west-1"}]})
    assert [r["pointInTimeRecovery"] for r in tree["replicas"]] == [True, True]
    assert check("dynamodb-pitr-enabled", tree) == []


# -- relations placed through propertyDependencies or literal names -----------------------------------------

_TARGET, _POLICY = T.APPAUTOSCALING_TARGET[0], T.APPAUTOSCALING_POLICY[0]


def _scaling(kind, dimension, resource_id, deps=None, name=None):
    return {"type": kind, "name": name or f"{kind[-6:]}-{dimension}-{resource_id}", "props": {
        "serviceNamespace": "dynamodb", "resourceId": resource_id, "scalableDimension": dimension},
        "property_dependencies": deps or {}}


def test_dynamodb_autoscaling_needs_every_index_scaled_too():
    table = {"name": "visits", "globalSecondaryIndexes": [{"name": "byPatient"}]}
    table_scaling = [_scaling(k, f"dynamodb:table:{d}CapacityUnits", "table/visits")
                     for k in (_TARGET, _POLICY) for d in ("Read", "Write")]
    [message] = check("dynamodb-autoscaling-enabled", table, stack=table_scaling, name="visits")
    assert "index 'byPatient' ReadCapacityUnits" in message and "table " not in message.split("covers:")[1]
    index_scaling = [_scaling(k, f"dynamodb:index:{d}CapacityUnits", "table/visits/index/byPatient")
                     for k in (_TARGET, _POLICY) for d in ("Read", "Write")]
    assert check("dynamodb-autoscaling-enabled", table, stack=table_scaling + index_scaling, name="visits") == []


def test_dynamodb_autoscaling_target_without_policy_does_not_count():
    targets = [_scaling(_TARGET, f"dynamodb:table:{d}CapacityUnits", "table/visits") for d in ("Read", "Write")]
    assert check("dynamodb-autoscaling-enabled", {"name": "visits"}, stack=targets, name="visits")


def test_an_unplaceable_unknown_reference_keeps_a_stack_policy_silent():
    cluster = {"clusterIdentifier": "warehouse"}
    logging = {"type": T.REDSHIFT_LOGGING[0], "name": "audit", "props": {"clusterIdentifier": UNKNOWN}}
    assert check("redshift-cluster-configuration-check", cluster, stack=[logging], name="warehouse") == []
    other = {"type": T.REDSHIFT_LOGGING[0], "name": "audit", "props": {"clusterIdentifier": "other-cluster"}}
    assert check("redshift-cluster-configuration-check", cluster, stack=[other], name="warehouse")


@pytest.mark.parametrize("subnet_type,subnet_props,public", [
    (T.EC2_DEFAULT_SUBNET[0], {"availabilityZone": "us-east-1a"}, True),  # a default subnet maps public IPs
    (T.EC2_DEFAULT_SUBNET[0], {"mapPublicIpOnLaunch": False}, False),
    (T.EC2_SUBNET[0], {"mapPublicIpOnLaunch": UNKNOWN}, False),  # unknown at preview: silent
])
def test_instance_public_ip_follows_its_subnet(subnet_type, subnet_props, public):
    stack = [{"type": subnet_type, "name": "sub", "props": {"id": "subnet-9", **subnet_props}}]
    found = check("ec2-instance-no-public-ip", {"subnetId": "subnet-9"}, stack=stack, name="app")
    assert bool(found) == public


def test_emr_subnet_routed_to_an_internet_gateway_by_a_separate_route():
    igw = {"type": T.EC2_INTERNET_GATEWAY[0], "name": "igw", "props": {}}
    subnet = {"type": T.EC2_SUBNET[0], "name": "sub", "props": {"id": "subnet-1"}}
    table = {"type": T.EC2_ROUTE_TABLE[0], "name": "rt", "props": {"id": "rtb-1"}}
    association = {"type": T.EC2_ROUTE_TABLE_ASSOCIATION[0], "name": "assoc",
                   "props": {"subnetId": "subnet-1", "routeTableId": "rtb-1"}}

    def route(target, deps):
        return {"type": T.EC2_ROUTE[0], "name": "default", "property_dependencies": deps,
                "props": {"routeTableId": "rtb-1", "destinationCidrBlock": "0.0.0.0/0", **target}}

    cluster = {"ec2Attributes": {"subnetId": "subnet-1"}}
    via_igw = route({"gatewayId": UNKNOWN}, {"gatewayId": ["igw"]})
    assert check("emr-master-no-public-ip", cluster, stack=[igw, subnet, table, association, via_igw])
    via_nat = route({"natGatewayId": "nat-1"}, {})
    assert check("emr-master-no-public-ip", cluster, stack=[igw, subnet, table, association, via_nat]) == []


def test_launch_template_instances_are_judged_on_the_template():
    template = {"type": T.EC2_LAUNCH_TEMPLATE[0], "name": "lt",
                "props": {"metadataOptions": {"httpTokens": "optional"}}}
    instance = {"launchTemplate": {"id": "lt-1"}}
    assert check("ec2-imdsv2-check", instance, stack=[template], deps={"launchTemplate": ["lt"]}) == []
    assert check("ec2-imdsv2-check", template["props"], type=T.EC2_LAUNCH_TEMPLATE[0], name="lt")
    assert check("encrypted-volumes", instance, type=T.EC2_INSTANCE[0]) == []


def test_account_defaults_count_only_when_they_turn_the_protection_on():
    off = {"type": T.EBS_ENCRYPTION_BY_DEFAULT[0], "name": "ebs", "props": {"enabled": False}}
    assert check("encrypted-volumes", {"size": 10}, stack=[off])
    optional = {"type": T.EC2_INSTANCE_METADATA_DEFAULTS[0], "name": "imds", "props": {"httpTokens": "optional"}}
    assert check("ec2-imdsv2-check", {"ami": "ami-1"}, stack=[optional])


# -- traps and messages ------------------------------------------------------------------------------------

@pytest.mark.parametrize("props,public", [
    ({"principal": "*", "sourceArn": "arn:aws:execute-api:us-east-1:210987654321:abc/*"}, False),
    ({"principal": "*", "sourceArn": "arn:aws:s3:::bucket"}, True),  # no account in an S3 ARN
    ({"principal": "sns.amazonaws.com"}, False),
    ({"principal": "S3.amazonaws.com", "sourceAccount": "210987654321"}, False),
])
def test_lambda_permission_scoping(props, public):
    assert bool(check("lambda-function-public-access-prohibited", {"action": "lambda:InvokeFunction", **props})) \
        == public


def test_codebuild_never_repeats_a_credential_from_the_url():
    url = "https://bot:ghp_tok3nValue@github.com/o/r.git"
    [message] = check("codebuild-project-source-repo-url-check", {"source": {"type": "GITHUB", "location": url}})
    assert "ghp_tok3nValue" not in message and "bot" not in message
    assert check("codebuild-project-source-repo-url-check",
                 {"source": {"type": "CODECOMMIT", "location": url}}) == []  # only the rule's source types


def test_sagemaker_one_local_nvme_variant_exempts_the_configuration():
    variants = [{"instanceType": "ml.m5.large"}, {"instanceType": "ml.g5.2xlarge"}]
    assert check("sagemaker-endpoint-configuration-kms-key-configured", {"productionVariants": variants}) == []


def test_rotation_frequency_follows_config():
    rotation = {"type": T.SECRETSMANAGER_SECRET_ROTATION[0], "name": "rot",
                "props": {"secretId": "db", "rotationRules": {"automaticallyAfterDays": 60}}}
    assert check("secretsmanager-rotation-enabled-check", {"name": "db"}, stack=[rotation]) == []
    assert check("secretsmanager-rotation-enabled-check", {"name": "db"}, stack=[rotation],
                 config={"maximumAllowedRotationFrequency": 30})
    no_rules = {**rotation, "props": {"secretId": "db"}}
    assert check("secretsmanager-rotation-enabled-check", {"name": "db"}, stack=[no_rules])


@pytest.mark.parametrize("engine,exports,flagged", [
    ("oracle-ee", ["alert", "audit", "trace", "listener"], False),
    ("sqlserver-se", ["error"], True),
    ("db2-se", [], False),  # no required types known: passes
])
def test_rds_log_types_per_engine_family(engine, exports, flagged):
    assert bool(check("rds-logging-enabled", {"engine": engine, "enabledCloudwatchLogsExports": exports})) == flagged


@pytest.mark.parametrize("policy,props,block", [
    ("dynamodb-pitr-enabled", {"pointInTimeRecovery": []}, "pointInTimeRecovery"),  # found by the sweep
    ("opensearch-https-required", {"domainEndpointOptions": "on"}, "domainEndpointOptions"),
])
def test_a_malformed_block_is_replaced_whole_by_the_remediation(policy, props, block):
    tree = remediation(policy, props)
    assert isinstance(tree[block], dict) and check(policy, tree) == []


def test_a_setting_given_empty_reads_empty_and_one_left_out_reads_unset():
    spec = get_policy("sns-encrypted-kms")
    assert evaluate_example(spec, Example({"name": "alerts", "kmsMasterKeyId": ""}))[0].startswith(
        "kmsMasterKeyId is empty:")
    assert evaluate_example(spec, Example({"name": "alerts"}))[0].startswith("kmsMasterKeyId is unset:")
