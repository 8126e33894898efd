import pulumi_aws as aws

subnets = aws.elasticache.SubnetGroup("cache", subnet_ids=["subnet-1"])
cache = aws.elasticache.ReplicationGroup(
    "cache",
    replication_group_description="PHI cache",
    node_type="cache.t3.micro",
)
