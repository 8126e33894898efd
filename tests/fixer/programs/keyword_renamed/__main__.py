import pulumi_aws as aws

cache = aws.elasticache.ReplicationGroup(
    "sessions",
    replication_group_description="session cache",  # shown in the console
    node_type="cache.t3.micro",
    number_cache_clusters=2,
    at_rest_encryption_enabled=True,
    transit_encryption_enabled=True,
)
