from pulumi_aws import elasticache

cache = elasticache.ReplicationGroup(
    "sessions",
    description="session cache",
    node_type="cache.t3.micro",
    num_cache_clusters=2,
    auth_token_enabled=False,
    transit_encryption_enabled=True,
)
