"""A generated program's classic mistake: the CloudFormation name of a keyword pulumi-aws renamed."""
import pulumi_aws as aws

cache = aws.elasticache.ReplicationGroup(
    "sessions",
    replication_group_description="session cache",
    engine="redis",
    node_type="cache.t3.micro",
    num_cache_clusters=2,
)
