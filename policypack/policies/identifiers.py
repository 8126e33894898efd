"""Explicit resource names AWS (or the provider) refuses: too long, or with characters the service forbids.

One policy over every type in the identifier data; an auto-named resource (name absent or unknown) is left
alone: the provider builds auto-names within the limits.
"""
import re

from policypack import data
from policypack.policy import Example, resource_policy

_LIMITS = "identifier_limits.json"
_TYPES = tuple(data.load(_LIMITS)["rules"])
_LONG = "healthcare-data-pipeline-aurora-postgresql-cluster-synth2698188040"


@resource_policy(
    name="identifier-limits",
    description="Explicit resource names must fit AWS's length and character rules (RDS 63, ElastiCache 40, "
                "IAM role 64, load balancer and target group 32, ...).",
    resource_types=_TYPES,
    severity="high", group="deploy",
    remediation="Shorten the name (abbreviate, drop the environment suffix or move it to a tag), use only the "
                "allowed characters, or leave the name out and let Pulumi auto-name the resource.",
    data_sources=(_LIMITS,),
    violating=[
        Example({"clusterIdentifier": _LONG, "engine": "aurora-postgresql"}, type="aws:rds/cluster:Cluster",
                note="seed 001: over 63 characters"),
        Example({"replicationGroupId": "healthcare-redis-replication-group-synth2698188040"},
                type="aws:elasticache/replicationGroup:ReplicationGroup", note="over 40 characters"),
        Example({"name": "healthcare-alb-synth2698188040-dev"}, type="aws:lb/loadBalancer:LoadBalancer",
                note="over 32 characters"),
        Example({"identifier": "Healthcare_DB", "engine": "postgres"}, type="aws:rds/instance:Instance",
                note="upper case and underscore"),
        Example({"name": "ecs-task-execution-role-for-healthcare-data-pipeline-synth2698188040"},
                type="aws:iam/role:Role"),
    ],
    compliant=[
        Example({"clusterIdentifier": "healthcare-aurora-dev", "engine": "aurora-postgresql"},
                type="aws:rds/cluster:Cluster"),
        Example({"engine": "aurora-postgresql"}, type="aws:rds/cluster:Cluster", note="auto-named"),
        Example({"clusterIdentifier": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"}, type="aws:rds/cluster:Cluster",
                note="unknown at preview"),
        Example({"name": "healthcare-alb"}, type="aws:lb/loadBalancer:LoadBalancer"),
        Example({"name": "n" * 300}, type="aws:appsync/graphQLApi:GraphQLApi",
                note="data missing: a type the identifier data has no rule for"),
    ],
)
def identifier_limits(r):
    for prop, rule in data.identifier_rules(r.type).items():
        name = r.props.get_str(prop)
        if name is None:
            continue
        shown = r.props.show(prop)
        if len(name) > rule["max_length"]:
            size = "too long" if r.props.is_secret(prop) else f"{len(name)} characters"
            yield f"{prop} {shown} is {size}; AWS allows at most {rule['max_length']} ({rule['rule']})."
        elif len(name) < rule["min_length"] or not re.fullmatch(rule["pattern"], name):
            yield f"{prop} {shown} does not fit AWS's rule: {rule['rule']}."
