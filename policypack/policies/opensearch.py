"""OpenSearch and Elasticsearch domains: encryption at rest and between nodes, HTTPS, VPC placement, logs.

Both resource types carry the same blocks (`opensearch/domain`, `elasticsearch/domain`); each policy implements
the OpenSearch rule and its Elasticsearch twin of AWS's HIPAA conformance pack.
"""
import re

from policypack import data
from policypack import hipaa_controls as C
from policypack import resource_types as T
from policypack.policies._remedies import in_block
from policypack.policy import Example, resource_policy

_ES = T.ELASTICSEARCH_DOMAIN[0]
_VERSION = re.compile(r"(?:(opensearch|elasticsearch)_)?(\d+)(?:\.(\d+))?", re.IGNORECASE)


def _version_tuple(text: str):
    match = _VERSION.fullmatch(text.strip())
    if not match:
        return None, None
    return (match.group(1) or "").lower(), (int(match.group(2)), int(match.group(3) or 0))


def _encryption_fixable(r) -> bool:
    """Whether AWS accepts turning encryption on in place: an OpenSearch engine, or Elasticsearch 6.7 or later
    (the provider's CustomizeDiff), on an instance type that supports encryption."""
    facts = data.opensearch_facts()
    instance_type = r.props.get_str("clusterConfig.instanceType")
    if instance_type is None or instance_type.split(".")[0].lower() in facts["unencryptable_instance_families"]:
        return False  # unset inside the block is the provider's m3.medium; no block leaves AWS to choose
    if r.type == _ES:
        engine, version = "elasticsearch", _version_tuple(r.props.get_str("elasticsearchVersion")
                                                          or facts["elasticsearch_default_version"])[1]
    else:
        text = r.props.get_str("engineVersion")
        if text is None:
            return True  # unset = the latest OpenSearch
        engine, version = _version_tuple(text)
    if version is None:
        return False
    if engine == "opensearch":
        return True
    minimum = _version_tuple(facts["in_place_encryption_min_elasticsearch_version"])[1]
    return version >= minimum


def _instance_note(r) -> str:
    instance_type = r.props.get_str("clusterConfig.instanceType")
    if instance_type and instance_type.split(".")[0].lower() in data.opensearch_facts()["unencryptable_instance_families"]:
        return (f" The instance type {r.props.show('clusterConfig.instanceType')} does not support it: "
                "choose a current generation first.")
    return ""


_KEY = "arn:aws:kms:us-east-1:210987654321:key/0b7c2f4e-9a51-4f3e-8c1d-2e5f6a7b8c9d"
_SUBNETS = {"subnetIds": ["subnet-0a1b2c3d"], "securityGroupIds": ["sg-0a1b2c3d"]}
_LOGS = [{"logType": "AUDIT_LOGS", "cloudwatchLogGroupArn": "arn:aws:logs:us-east-1:210987654321:log-group:search"}]


@resource_policy(
    name="opensearch-encrypted-at-rest",
    description="OpenSearch and Elasticsearch domains must encrypt data at rest.",
    resource_types=T.SEARCH_DOMAIN,
    severity="high", group="hipaa", citation=C.ENCRYPTION_AT_REST,
    aws_config_rules=("opensearch-encrypted-at-rest", "elasticsearch-encrypted-at-rest"),
    remediation="Set encrypt_at_rest={'enabled': True, 'kms_key_id': <customer-managed key>}. In place only for "
                "OpenSearch and Elasticsearch 6.7+ on instance types other than t2/m3; otherwise create a new "
                "domain and migrate the indices.",
    violating=[
        Example({"domainName": "records", "clusterConfig": {"instanceType": "r6g.large.search"}},
                note="no encryptAtRest block means unencrypted"),
        Example({"domainName": "records", "encryptAtRest": {"enabled": False}, "engineVersion": "OpenSearch_2.13",
                 "clusterConfig": {"instanceType": "r6g.large.search"}}),
        Example({"domainName": "legacy", "elasticsearchVersion": "5.6"}, type=_ES,
                note="Elasticsearch before 6.7 cannot be encrypted in place: reported, not remediated"),
    ],
    compliant=[
        Example({"domainName": "records", "encryptAtRest": {"enabled": True, "kmsKeyId": _KEY}}),
        Example({"domainName": "legacy", "elasticsearchVersion": "7.10", "encryptAtRest": {"enabled": True}}, type=_ES),
    ],
)
def opensearch_encrypted_at_rest(r):
    if r.props.get_bool("encryptAtRest.enabled") is not True:
        yield (f"encryptAtRest.enabled is {r.props.show('encryptAtRest.enabled')}: indices, logs and snapshots "
               "are stored unencrypted." + _instance_note(r))


@opensearch_encrypted_at_rest.remediator
def _(r):
    return in_block(r, "encryptAtRest", "enabled", True) if _encryption_fixable(r) else None


@resource_policy(
    name="opensearch-node-to-node-encryption-check",
    description="OpenSearch and Elasticsearch domains must encrypt traffic between their nodes.",
    resource_types=T.SEARCH_DOMAIN,
    severity="high", group="hipaa", citation=C.ENCRYPTION_IN_TRANSIT,
    aws_config_rules=("opensearch-node-to-node-encryption-check", "elasticsearch-node-to-node-encryption-check"),
    remediation="Set node_to_node_encryption={'enabled': True} (in place for OpenSearch and Elasticsearch 6.7+ "
                "on instance types other than t2/m3).",
    violating=[
        Example({"domainName": "records", "clusterConfig": {"instanceType": "r6g.large.search"}},
                note="no block means off"),
        Example({"domainName": "legacy", "elasticsearchVersion": "7.10",
                 "clusterConfig": {"instanceType": "r5.large.elasticsearch"},
                 "nodeToNodeEncryption": {"enabled": False}}, type=_ES),
        Example({"domainName": "small", "clusterConfig": {"instanceType": "t2.small.search"}},
                note="t2 instances support no encryption: reported with that advice, not remediated"),
    ],
    compliant=[Example({"domainName": "records", "nodeToNodeEncryption": {"enabled": True}})],
)
def opensearch_node_to_node_encryption_check(r):
    if r.props.get_bool("nodeToNodeEncryption.enabled") is not True:
        yield (f"nodeToNodeEncryption.enabled is {r.props.show('nodeToNodeEncryption.enabled')}: data moves "
               "between the domain's nodes in clear text." + _instance_note(r))


@opensearch_node_to_node_encryption_check.remediator
def _(r):
    return in_block(r, "nodeToNodeEncryption", "enabled", True) if _encryption_fixable(r) else None


@resource_policy(
    name="opensearch-https-required",
    description="OpenSearch and Elasticsearch domains must refuse plain HTTP (and, when configured, use an "
                "approved TLS policy).",
    resource_types=T.SEARCH_DOMAIN,
    severity="high", group="hipaa", citation=C.ENCRYPTION_IN_TRANSIT,
    aws_config_rules=("opensearch-https-required",),
    config_schema={"tlsPolicies": {
        "type": "array", "items": {"type": "string", "enum": data.opensearch_facts()["tls_security_policies"]},
        "default": [],
        "description": "TLS security policies accepted for the domain endpoint; empty accepts any."}},
    remediation="Set domain_endpoint_options={'enforce_https': True, 'tls_security_policy': "
                "'Policy-Min-TLS-1-2-PFS-2023-10'}.",
    violating=[
        Example({"domainName": "records"}, note="no domainEndpointOptions: nothing is sent and AWS accepts HTTP"),
        Example({"domainName": "records", "domainEndpointOptions": {"enforceHttps": False}}),
        Example({"domainName": "records", "domainEndpointOptions": {"enforceHttps": True,
                                                                    "tlsSecurityPolicy": "Policy-Min-TLS-1-0-2019-07"}},
                config={"tlsPolicies": ["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"]}),
    ],
    compliant=[
        Example({"domainName": "records", "domainEndpointOptions": {"tlsSecurityPolicy": "Policy-Min-TLS-1-2-2019-07"}},
                note="enforceHttps unset inside the block means true"),
        Example({"domainName": "records", "domainEndpointOptions": {"enforceHttps": True}}, type=_ES),
    ],
)
def opensearch_https_required(r):
    if not isinstance(r.props.get("domainEndpointOptions"), dict):
        # No block sends nothing, and AWS then accepts HTTP; inside a block the provider defaults it to true.
        yield (f"domainEndpointOptions is {r.props.show('domainEndpointOptions')}: the domain accepts plain HTTP; "
               "set enforce_https=True with a TLS 1.2 policy.")
        return
    if r.props.get_bool("domainEndpointOptions.enforceHttps") is False:
        yield "domainEndpointOptions.enforceHttps is false: the domain accepts plain HTTP."
    allowed = r.config["tlsPolicies"]
    policy = r.props.get_str("domainEndpointOptions.tlsSecurityPolicy") or data.opensearch_facts()[
        "default_tls_security_policy"]
    if allowed and policy.lower() not in {p.lower() for p in allowed}:
        yield (f"domainEndpointOptions.tlsSecurityPolicy is {r.props.show('domainEndpointOptions.tlsSecurityPolicy')}"
               f", not one of the configured {', '.join(allowed)}.")


@opensearch_https_required.remediator
def _(r):
    changes = in_block(r, "domainEndpointOptions", "enforceHttps", True)
    allowed = r.config["tlsPolicies"]
    policy = r.props.get_str("domainEndpointOptions.tlsSecurityPolicy") or data.opensearch_facts()[
        "default_tls_security_policy"]
    if allowed and policy.lower() not in {p.lower() for p in allowed}:
        if "domainEndpointOptions" in changes:  # a malformed block is replaced whole
            changes["domainEndpointOptions"]["tlsSecurityPolicy"] = allowed[-1]
        else:
            changes["domainEndpointOptions.tlsSecurityPolicy"] = allowed[-1]
    return changes


@resource_policy(
    name="opensearch-in-vpc-only",
    description="OpenSearch and Elasticsearch domains must be placed in a VPC, not on a public endpoint.",
    resource_types=T.SEARCH_DOMAIN,
    severity="critical", group="hipaa", citation=C.ACCESS_CONTROL,
    aws_config_rules=("opensearch-in-vpc-only", "elasticsearch-in-vpc-only"),
    remediation="Set vpc_options={'subnet_ids': [...], 'security_group_ids': [...]} with private subnets. A "
                "public domain cannot move into a VPC: create a new domain and migrate the indices.",
    violating=[Example({"domainName": "records"}, note="no vpcOptions: a public endpoint"),
               Example({"domainName": "records", "vpcOptions": {"subnetIds": []}}, type=_ES)],
    compliant=[Example({"domainName": "records", "vpcOptions": _SUBNETS})],
)
def opensearch_in_vpc_only(r):
    if not r.props.get_list("vpcOptions.subnetIds"):
        yield ("vpcOptions.subnetIds is empty: the domain has a public endpoint, guarded only by its access "
               "policy.")


@resource_policy(
    name="opensearch-logs-to-cloudwatch",
    description="OpenSearch and Elasticsearch domains must publish logs to CloudWatch Logs.",
    resource_types=T.SEARCH_DOMAIN,
    severity="medium", group="hipaa", citation=C.AUDIT_AND_REVIEW,
    aws_config_rules=("opensearch-logs-to-cloudwatch", "elasticsearch-logs-to-cloudwatch"),
    config_schema={"logTypes": {
        "type": "array", "items": {"type": "string"}, "default": [],
        "description": "Log types that must each be published (AUDIT_LOGS, ES_APPLICATION_LOGS, INDEX_SLOW_LOGS, "
                       "SEARCH_SLOW_LOGS); empty accepts any one."}},
    remediation="Add log_publishing_options [{'log_type': 'AUDIT_LOGS', 'cloudwatch_log_group_arn': ...}] (audit "
                "logs need fine-grained access control) and ES_APPLICATION_LOGS; the log group's resource policy "
                "must admit es.amazonaws.com.",
    violating=[
        Example({"domainName": "records"}),
        Example({"domainName": "records", "logPublishingOptions": [{**_LOGS[0], "enabled": False}]}),
        Example({"domainName": "records", "logPublishingOptions": _LOGS},
                config={"logTypes": ["AUDIT_LOGS", "ES_APPLICATION_LOGS"]}),
    ],
    compliant=[
        Example({"domainName": "records", "logPublishingOptions": _LOGS}, note="enabled unset means true"),
        Example({"domainName": "records", "logPublishingOptions": _LOGS}, type=_ES, config={"logTypes": ["audit_logs"]}),
    ],
)
def opensearch_logs_to_cloudwatch(r):
    published = set()
    for option in r.props.each("logPublishingOptions"):
        if option.is_set("cloudwatchLogGroupArn") and option.get_bool("enabled") is not False:
            published.add(str(option.get_str("logType") or "").upper())
    wanted = [t.upper() for t in r.config["logTypes"]]
    if not published:
        yield "no logPublishingOptions entry publishes to a CloudWatch log group: access to the domain is not audited."
    elif wanted and (missing := [t for t in wanted if t not in published]):
        yield f"logPublishingOptions does not publish {', '.join(missing)} (required by the pack's config)."
