"""Seed 003: an Aurora PostgreSQL cluster whose master username is "admin"; RDS refuses it ("MasterUsername
admin cannot be used as it is a reserved word used by the engine"). The cluster is otherwise compliant,
so rds-master-username-valid is the only policy that may fire."""

import pulumi_aws as aws
import pulumi_random as random

key = aws.kms.Key("records-key", description="Clinical records storage", enable_key_rotation=True)

password = random.RandomPassword(
    "records-master-password",
    length=32,
    special=True,
    override_special="!#$%&*()-_=+[]{}<>:?",  # no "/", "@", '"' or space
)

cluster_params = aws.rds.ClusterParameterGroup(
    "records-cluster-params",
    family="aurora-postgresql16",
    parameters=[aws.rds.ClusterParameterGroupParameterArgs(name="rds.force_ssl", value="1")],
)

cluster = aws.rds.Cluster(
    "records-cluster",
    engine="aurora-postgresql",
    engine_version="16",
    database_name="records",
    master_username="admin",  # the defect under test
    master_password=password.result,
    db_cluster_parameter_group_name=cluster_params.name,
    storage_encrypted=True,
    kms_key_id=key.arn,
    backup_retention_period=30,
    skip_final_snapshot=True,
)

aws.rds.ClusterInstance(
    "records-instance-1",
    cluster_identifier=cluster.id,
    engine="aurora-postgresql",
    instance_class="db.r6g.large",
    publicly_accessible=False,
)
