"""Pharmacy benefits back end: Oracle SE2 for the claims adjudicator, a Multi-AZ DB cluster (PostgreSQL) for the
formulary, Aurora MySQL (through the SDK's enums) for eligibility, Valkey for sessions, and keys of every kind."""
import json

import pulumi
import pulumi_aws as aws
import pulumi_random as random

config = pulumi.Config()
env = config.get("env") or "dev"
zones = aws.get_availability_zones().names

vpc = aws.ec2.Vpc("benefits-vpc", cidr_block="10.70.0.0/16", assign_generated_ipv6_cidr_block=True)
subnets = [aws.ec2.Subnet(f"benefits-db-{z[-1]}", vpc_id=vpc.id, availability_zone=z,
                          cidr_block=f"10.70.{10 + i}.0/24") for i, z in enumerate(zones[:3])]
db_subnets = aws.rds.SubnetGroup("benefits-db-subnets", subnet_ids=[s.id for s in subnets])

db_sg = aws.ec2.SecurityGroup(
    "benefits-db-sg", vpc_id=vpc.id, description="databases and diagnostics",
    ingress=[
        aws.ec2.SecurityGroupIngressArgs(protocol="icmp", from_port=-1, to_port=-1, cidr_blocks=["0.0.0.0/0"]),
        aws.ec2.SecurityGroupIngressArgs(protocol="58", from_port=-1, to_port=-1, ipv6_cidr_blocks=["::/0"]),
        aws.ec2.SecurityGroupIngressArgs(protocol="tcp", from_port=1521, to_port=1521, cidr_blocks=["10.70.0.0/16"]),
        aws.ec2.SecurityGroupIngressArgs(protocol="tcp", from_port=5432, to_port=5432, security_groups=[]),
        aws.ec2.SecurityGroupIngressArgs(protocol="tcp", from_port=3306, to_port=3306, self=True),
        aws.ec2.SecurityGroupIngressArgs(protocol="tcp", from_port=443, to_port=443, cidr_blocks=["0.0.0.0/0"]),
        aws.ec2.SecurityGroupIngressArgs(protocol="udp", from_port=53, to_port=53, cidr_blocks=["0.0.0.0/0"]),
    ])
aws.ec2.SecurityGroupRule("benefits-db-oracle-em", type="ingress", security_group_id=db_sg.id, protocol="tcp",
                          from_port=5500, to_port=5500, cidr_blocks=["10.70.0.0/16"])
aws.vpc.SecurityGroupIngressRule("benefits-valkey-all", security_group_id=db_sg.id, ip_protocol="-1",
                                 cidr_ipv4="0.0.0.0/0")  # defect: security-group-no-public-data-ports
aws.vpc.SecurityGroupEgressRule("benefits-db-egress", security_group_id=db_sg.id, ip_protocol="-1",
                                cidr_ipv4="0.0.0.0/0")

# --- keys of every kind ---------------------------------------------------------------------------------
data_key = aws.kms.Key("benefits-data", description="benefits data", enable_key_rotation=True,
                       multi_region=True, rotation_period_in_days=365)
aws.kms.Key("claims-hmac", description="claim id tokenisation", key_usage="GENERATE_VERIFY_MAC",
            customer_master_key_spec="HMAC_256")
aws.kms.Key("claims-signing", description="signing", key_usage="SIGN_VERIFY", customer_master_key_spec="RSA_3072")
aws.kms.Key("cache-key", description="valkey snapshots", is_enabled=True)  # defect: kms-key-rotation

# --- Oracle SE2 -----------------------------------------------------------------------------------------
oracle_password = random.RandomPassword("oracle-password", length=24, special=True, override_special="#$%_-+=")
aws.rds.Instance(
    "adjudicator-oracle",
    engine="oracle-se2",
    engine_version="19",
    license_model="license-included",
    instance_class="db.m5.large",
    allocated_storage=200,
    db_name="ADJUD",
    username="adjudicator",
    password=oracle_password.result,
    character_set_name="AL32UTF8",
    storage_encrypted=True,
    kms_key_id=data_key.arn,
    backup_retention_period=30,
    multi_az=True,
    db_subnet_group_name=db_subnets.name,
    vpc_security_group_ids=[db_sg.id],
    skip_final_snapshot=True,
)
aws.rds.Instance(
    "adjudicator-oracle-reports",
    engine="oracle-se2",
    license_model="license-included",
    instance_class="db.m5.large",
    allocated_storage=100,
    db_name="REPORTS",
    username="reports_owner",
    password="Rep0rts&Claims-2026",  # defect: rds-master-password-charset  (Oracle refuses &)
    storage_encrypted=True,
    kms_key_id=data_key.arn,
    backup_retention_period=30,
    multi_az=True,
    db_subnet_group_name=db_subnets.name,
    vpc_security_group_ids=[db_sg.id],
    skip_final_snapshot=True,
)

# --- Multi-AZ DB cluster (PostgreSQL, not Aurora) --------------------------------------------------------
formulary_password = aws.secretsmanager.get_random_password(password_length=30, exclude_characters="/@\" '\\")
aws.rds.Cluster(
    "formulary",
    engine="postgres",
    engine_version="16.4",
    db_cluster_instance_class="db.m6gd.large",
    storage_type="io1",
    allocated_storage=100,
    iops=1000,
    master_username="admin",  # defect: rds-master-username-valid
    master_password=pulumi.Output.secret(formulary_password.random_password),
    storage_encrypted=True,
    kms_key_id=data_key.arn,
    backup_retention_period=35,
    db_subnet_group_name=db_subnets.name,
    vpc_security_group_ids=[db_sg.id],
    skip_final_snapshot=True,
)

# --- Aurora MySQL through the SDK's enums ---------------------------------------------------------------
eligibility = aws.rds.Cluster(
    "eligibility",
    engine=aws.rds.EngineType.AURORA_MYSQL,
    engine_version="8.0",
    engine_mode=aws.rds.EngineMode.PROVISIONED,
    master_username="admin",
    manage_master_user_password=True,
    storage_encrypted=True,
    kms_key_id=data_key.arn,
    backup_retention_period=30,
    db_subnet_group_name=db_subnets.name,
    vpc_security_group_ids=[db_sg.id],
    iam_database_authentication_enabled=True,
    skip_final_snapshot=True,
    serverlessv2_scaling_configuration=aws.rds.ClusterServerlessv2ScalingConfigurationArgs(min_capacity=0.5,
                                                                                          max_capacity=8),
)
aws.rds.ClusterInstance("eligibility-writer", cluster_identifier=eligibility.id, instance_class="db.serverless",
                        engine=aws.rds.EngineType.AURORA_MYSQL, engine_version=eligibility.engine_version,
                        publicly_accessible=False)

# --- Valkey session cache -------------------------------------------------------------------------------
cache_subnets = aws.elasticache.SubnetGroup("benefits-cache-subnets", subnet_ids=[s.id for s in subnets])
token = random.RandomPassword("valkey-token", length=48, special=True, override_special="!&#$^<>-")
aws.elasticache.ReplicationGroup(
    "sessions",
    description="benefits sessions",
    engine="valkey",
    engine_version="8.0",
    node_type="cache.t4g.small",
    num_cache_clusters=2,
    automatic_failover_enabled=True,
    multi_az_enabled=True,
    preferred_cache_cluster_azs=zones[:2],
    transit_encryption_enabled=True,
    auth_token=token.result,
    auth_token_update_strategy="ROTATE",
    kms_key_id=data_key.arn,
    subnet_group_name=cache_subnets.name,
    security_group_ids=[db_sg.id],
)
aws.elasticache.ReplicationGroup(
    "rate-limits",
    description="rate limiting",
    engine="redis",
    engine_version="7.1",
    node_type="cache.t4g.small",
    num_cache_clusters=1,
    at_rest_encryption_enabled=True,
    transit_encryption_enabled=True,
    auth_token="RateLimit Token 2026 Shared",  # defect: elasticache-auth-token-valid
    subnet_group_name=cache_subnets.name,
    security_group_ids=[db_sg.id],
)

pulumi.export("vpc", vpc.id)
