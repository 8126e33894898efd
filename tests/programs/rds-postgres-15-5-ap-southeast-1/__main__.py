"""Seed 004: `engine_version="15.5"` for PostgreSQL in ap-southeast-1; RDS answers "Cannot find
version 15.5 for postgres". Everything else about the database is compliant, so rds-engine-version-valid
is the only policy that may fire."""

import pulumi_aws as aws
import pulumi_random as random

key = aws.kms.Key("db-key", description="Patient database storage", enable_key_rotation=True)

password = random.RandomPassword(
    "db-master-password",
    length=32,
    special=True,
    override_special="!#$%&*()-_=+[]{}<>:?",  # no "/", "@", '"' or space
)

params = aws.rds.ParameterGroup(
    "db-params",
    family="postgres15",
    parameters=[aws.rds.ParameterGroupParameterArgs(name="rds.force_ssl", value="1")],
)

aws.rds.Instance(
    "patients-db",
    engine="postgres",
    engine_version="15.5",  # the defect under test
    instance_class="db.t4g.medium",
    allocated_storage=20,
    db_name="patients",
    username="dbadmin",
    password=password.result,
    parameter_group_name=params.name,
    storage_encrypted=True,
    kms_key_id=key.arn,
    publicly_accessible=False,
    multi_az=True,
    backup_retention_period=30,
    skip_final_snapshot=True,
)
