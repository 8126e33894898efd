"""Seed 001: Aurora Serverless v2 declared with `engine_mode="serverless"` (the v1 mode) beside a
`serverlessv2_scaling_configuration`; RDS answers "Aurora Serverless v2 requires engine_mode='provisioned'".
The instance class is already right (`db.serverless`) and the rest is compliant, so
aurora-serverless-v2-valid on the cluster is the only finding expected."""

import pulumi_aws as aws
import pulumi_random as random

key = aws.kms.Key("analytics-key", description="Analytics storage", enable_key_rotation=True)

password = random.RandomPassword(
    "analytics-master-password",
    length=32,
    special=True,
    override_special="!#$%&*()-_=+[]{}<>:?",  # no "/", "@", '"' or space
)

cluster = aws.rds.Cluster(
    "analytics-cluster",
    engine="aurora-postgresql",
    engine_mode="serverless",  # the defect under test: v2 needs "provisioned"
    engine_version="16",
    database_name="analytics",
    master_username="dbadmin",
    master_password=password.result,
    serverlessv2_scaling_configuration=aws.rds.ClusterServerlessv2ScalingConfigurationArgs(
        min_capacity=0.5,
        max_capacity=4,
    ),
    storage_encrypted=True,
    kms_key_id=key.arn,
    backup_retention_period=30,
    skip_final_snapshot=True,
)

aws.rds.ClusterInstance(
    "analytics-instance-1",
    cluster_identifier=cluster.id,
    engine="aurora-postgresql",
    instance_class="db.serverless",
    publicly_accessible=False,
)
