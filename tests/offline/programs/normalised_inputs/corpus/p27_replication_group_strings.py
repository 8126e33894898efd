import pulumi_aws as aws

aws.elasticache.ReplicationGroup(
    "p27-redis",
    description="cache",
    engine="redis",
    node_type="cache.t3.micro",
    num_cache_clusters="2",
    port="6379",
    automatic_failover_enabled="true",
    at_rest_encryption_enabled=True,
    transit_encryption_enabled=True,
    snapshot_retention_limit=7,
)
