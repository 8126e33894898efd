import pulumi_aws as aws

cluster = aws.rds.Cluster(
    "analytics",
    engine="aurora-postgresql",
    engine_mode="serverless",  # Aurora Serverless v2
    master_username="analytics",
    manage_master_user_password=True,
    storage_encrypted=True,
    serverlessv2_scaling_configuration={"min_capacity": 0.5, "max_capacity": 4},
)
writer = aws.rds.ClusterInstance(
    "analytics-writer",
    cluster_identifier=cluster.id,
    instance_class="db.r6g.large",
    engine="aurora-postgresql",
)
