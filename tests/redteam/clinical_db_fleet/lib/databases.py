"""The clinical database fleet: one RDS instance per configured database, plus SQL Server and Aurora MySQL."""
import json

import pulumi
import pulumi_aws as aws
import pulumi_random as random


def kms_key(name: str, description: str) -> aws.kms.Key:
    return aws.kms.Key(name, description=description, enable_key_rotation=True, deletion_window_in_days=30)


def instance_for(spec: dict, *, env: str, key: aws.kms.Key, subnet_group: aws.rds.SubnetGroup,
                 sg: aws.ec2.SecurityGroup, zone: str) -> aws.rds.Instance:
    password = random.RandomPassword(f"{spec['name']}-password", length=32, special=True,
                                     override_special="!#$%^&*()-_=+")
    db = aws.rds.Instance(
        f"{spec['name']}-db",
        identifier=f"{spec['name']}-{env}",
        engine=spec["engine"],
        engine_version=spec["version"],
        instance_class=spec["instanceClass"],
        allocated_storage=50,
        max_allocated_storage=200,
        storage_type="gp3",
        db_name=spec["name"],
        username=spec["username"],
        password=password.result,
        db_subnet_group_name=subnet_group.name,
        vpc_security_group_ids=[sg.id],
        storage_encrypted=True,
        kms_key_id=key.arn,
        backup_retention_period=35,
        multi_az=spec.get("multiAz", False),
        publicly_accessible=False,
        deletion_protection=True,
        copy_tags_to_snapshot=True,
        auto_minor_version_upgrade=True,
        performance_insights_enabled=True,
        performance_insights_kms_key_id=key.arn,
        enabled_cloudwatch_logs_exports=["error", "general", "slowquery"],
        skip_final_snapshot=False,
        final_snapshot_identifier=f"{spec['name']}-{env}-final",
        tags={"Name": f"{spec['name']}-{env}", "engine": spec["engine"]},
    )
    aws.secretsmanager.Secret(
        f"{spec['name']}-credentials", kms_key_id=key.arn, recovery_window_in_days=7,
        description=f"master credentials for {spec['name']}")
    return db


def replica_for(primary: aws.rds.Instance, spec: dict, zone: str, key: aws.kms.Key) -> aws.rds.Instance:
    return aws.rds.Instance(
        f"{spec['name']}-replica-{zone[-1]}",
        replicate_source_db=primary.identifier,
        instance_class=spec["instanceClass"],
        availability_zone=zone,
        storage_encrypted=True,
        kms_key_id=key.arn,
        publicly_accessible=False,
        skip_final_snapshot=True,
        tags={"role": "read-replica"},
    )
