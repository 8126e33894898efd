"""EHR reporting: PostgreSQL (RDS) + ElastiCache Redis, private subnets only."""
import json

import pulumi
import pulumi_aws as aws
import pulumi_random as random

config = pulumi.Config()
env = config.get("env") or "dev"
instance_class = config.get("dbInstanceClass") or "db.t4g.medium"
common_tags = {"Environment": env, "HIPAA": "true", "ManagedBy": "pulumi"}

azs = aws.get_availability_zones(state="available")

vpc = aws.ec2.Vpc("reporting-vpc", cidr_block="172.16.0.0/16", enable_dns_hostnames=True,
                  tags={**common_tags, "Name": f"reporting-{env}"})
private_subnets = [
    aws.ec2.Subnet(f"reporting-private-{idx}",
                   vpc_id=vpc.id,
                   cidr_block=f"172.16.{idx * 16}.0/20",
                   availability_zone=az,
                   tags={**common_tags, "Name": f"reporting-private-{az}"})
    for idx, az in enumerate(azs.names[:3])
]

kms_key = aws.kms.Key("reporting-kms", description="EHR reporting CMK", enable_key_rotation=True,
                      rotation_period_in_days=180, tags=common_tags)
kms_alias = aws.kms.Alias("reporting-kms-alias", name=f"alias/ehr-reporting-{env}", target_key_id=kms_key.key_id)

# --- security groups -------------------------------------------------------
app_sg = aws.ec2.SecurityGroup("reporting-app-sg", vpc_id=vpc.id, description="reporting app tier",
                               tags=common_tags)
db_sg = aws.ec2.SecurityGroup(
    "reporting-db-sg",
    vpc_id=vpc.id,
    description="PostgreSQL from the app tier only",
    ingress=[aws.ec2.SecurityGroupIngressArgs(protocol="tcp", from_port=5432, to_port=5432,
                                              security_groups=[app_sg.id], description="app tier")],
    egress=[aws.ec2.SecurityGroupEgressArgs(protocol="-1", from_port=0, to_port=0, cidr_blocks=["0.0.0.0/0"])],
    tags=common_tags,
)
redis_sg = aws.ec2.SecurityGroup("reporting-redis-sg", vpc_id=vpc.id, description="Redis", tags=common_tags)
aws.vpc.SecurityGroupIngressRule("redis-from-app", security_group_id=redis_sg.id,
                                 referenced_security_group_id=app_sg.id, ip_protocol="tcp",
                                 from_port=6379, to_port=6379)
aws.vpc.SecurityGroupIngressRule("redis-from-vpc", security_group_id=redis_sg.id, cidr_ipv4=vpc.cidr_block,
                                 ip_protocol="tcp", from_port=6379, to_port=6379)
aws.vpc.SecurityGroupEgressRule("app-egress-all", security_group_id=app_sg.id, cidr_ipv4="0.0.0.0/0",
                                ip_protocol="-1")
aws.vpc.SecurityGroupIngressRule("app-https-public", security_group_id=app_sg.id, cidr_ipv4="0.0.0.0/0",
                                 ip_protocol="tcp", from_port=443, to_port=443)
aws.vpc.SecurityGroupIngressRule("app-ssh-anywhere", security_group_id=app_sg.id, cidr_ipv4="0.0.0.0/0",
                                 ip_protocol="tcp", from_port=22, to_port=22)  # defect: security-group-no-public-data-ports

# --- PostgreSQL --------------------------------------------------------------
db_password = random.RandomPassword("reporting-db-password", length=24, special=True,
                                    override_special="!#$%&*()-_=+[]{}:?")
db_subnet_group = aws.rds.SubnetGroup("reporting-db-subnets", subnet_ids=[s.id for s in private_subnets],
                                      tags=common_tags)
param_group = aws.rds.ParameterGroup(
    "reporting-pg16",
    family="postgres16",
    parameters=[{"name": "rds.force_ssl", "value": "1", "apply_method": "pending-reboot"},
                {"name": "log_min_duration_statement", "value": "1000"}],
    tags=common_tags,
)
db_args = {
    "engine": "postgres",
    "engine_version": "16.3",
    "instance_class": instance_class,
    "allocated_storage": 100,
    "max_allocated_storage": 500,
    "storage_type": "gp3",
    "db_name": "reporting",
    "username": "reporting_owner",
    "password": db_password.result,
    "db_subnet_group_name": db_subnet_group.name,
    "parameter_group_name": param_group.name,
    "vpc_security_group_ids": [db_sg.id],
    "storage_encrypted": True,
    "kms_key_id": kms_key.arn,
    "multi_az": True,
    "backup_retention_period": 7,  # defect: rds-backup-retention
    "deletion_protection": True,
    "publicly_accessible": False,
    "iam_database_authentication_enabled": True,
    "performance_insights_enabled": True,
    "performance_insights_kms_key_id": kms_key.arn,
    "enabled_cloudwatch_logs_exports": ["postgresql", "upgrade"],
    "skip_final_snapshot": False,
    "final_snapshot_identifier": f"reporting-final-{env}",
    "tags": common_tags,
}
# defect: rds-enhanced-monitoring-enabled (db_args sets no monitoring_interval: no Enhanced Monitoring)
reporting_db = aws.rds.Instance("reporting-db", **db_args)

read_replica = aws.rds.Instance(
    "reporting-db-replica",
    # defect: rds-instance-deletion-protection-enabled (deletion_protection unset)
    replicate_source_db=reporting_db.identifier,
    instance_class=instance_class,
    storage_encrypted=True,
    kms_key_id=kms_key.arn,
    publicly_accessible=False,
    vpc_security_group_ids=[db_sg.id],
    skip_final_snapshot=True,
    tags=common_tags,
)

db_secret = aws.secretsmanager.Secret("reporting-db-credentials", kms_key_id=kms_alias.arn,
                                      # defect: secretsmanager-rotation-enabled-check (never rotates)
                                      description="reporting DB credentials", tags=common_tags)
aws.secretsmanager.SecretVersion(
    "reporting-db-credentials-v1",
    secret_id=db_secret.id,
    secret_string=pulumi.Output.json_dumps({"username": "reporting_owner", "password": db_password.result,
                                            "host": reporting_db.address, "port": reporting_db.port}),
)

# --- Redis -------------------------------------------------------------------------
redis_auth = random.RandomPassword("redis-auth-token", length=64, special=True,
                                   override_special="!&#$^<>-")
redis_subnets = aws.elasticache.SubnetGroup("reporting-redis-subnets",
                                            subnet_ids=[s.id for s in private_subnets])
redis = aws.elasticache.ReplicationGroup(
    "reporting-redis",
    # defect: elasticache-redis-cluster-automatic-backup-check (fewer than 15 days of automatic snapshots)
    description="reporting session cache",
    engine="redis",
    engine_version="7.1",
    node_type="cache.r7g.large",
    num_cache_clusters=2,
    automatic_failover_enabled=True,
    multi_az_enabled=True,
    port=6379,
    subnet_group_name=redis_subnets.name,
    security_group_ids=[redis_sg.id],
    at_rest_encryption_enabled=True,
    kms_key_id=kms_key.arn,
    transit_encryption_enabled=True,
    auth_token=redis_auth.result,
    snapshot_retention_limit=7,
    preferred_cache_cluster_azs=[azs.names[0], azs.names[1]],
    tags=common_tags,
)
redis_secret = aws.secretsmanager.Secret("reporting-redis-auth", tags=common_tags)  # defect: secret-encrypted-with-cmk
aws.secretsmanager.SecretVersion("reporting-redis-auth-v1", secret_id=redis_secret.id,
                                 secret_string=redis_auth.result)

# --- logs ------------------------------------------------------------------------
aws.cloudwatch.LogGroup("reporting-slow-queries", name=f"/rds/reporting-{env}/slow", retention_in_days=90,
                        kms_key_id=kms_key.arn)  # defect: log-group-kms-key-allows-logs (default key policy)

pulumi.export("db_endpoint", reporting_db.endpoint)
pulumi.export("redis_endpoint", redis.primary_endpoint_address)
pulumi.export("db_secret_arn", db_secret.arn)
