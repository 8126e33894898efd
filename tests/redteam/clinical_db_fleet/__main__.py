"""Clinical data fleet: config-driven RDS instances (MySQL, MariaDB), SQL Server, Aurora MySQL with an
RDS Proxy, plus DocumentDB and Neptune clusters for the document and graph stores."""
import json

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from lib.databases import instance_for, kms_key, replica_for
from lib.network import Network

config = pulumi.Config()
env = config.get("env") or "dev"
network_settings = config.require_object("network")
databases = config.require_object("databases")
sqlserver = config.require_object("sqlserver")

net = Network("clinical", network_settings)
key = kms_key("clinical-data-key", "Clinical fleet storage key")
zones = aws.get_availability_zones(state="available").names[:2]

subnet_group = aws.rds.SubnetGroup("clinical-db-subnets", subnet_ids=net.subnet_ids,
                                   description="private subnets for the clinical fleet")

instances = {}
for spec in databases:
    # defect: rds-engine-version-valid  (labs pins MySQL 8.0.28, retired, via Pulumi.dev.yaml)
    instances[spec["name"]] = instance_for(spec, env=env, key=key, subnet_group=subnet_group, sg=net.db_sg,
                                           zone=zones[0])

for zone in zones:
    replica_for(instances["pharmacy"], databases[0], zone, key)

# SQL Server: edition and credentials from a config object whose password is a secure value.
sql = aws.rds.Instance(
    "claims-sqlserver",
    engine=sqlserver["edition"],
    engine_version=sqlserver["version"],
    license_model="license-included",
    instance_class="db.m5.large",
    allocated_storage=100,
    storage_type="gp3",
    username=sqlserver["username"],
    password=pulumi.Output.secret(sqlserver["password"]),
    storage_encrypted=True,
    kms_key_id=key.arn,
    backup_retention_period=30,
    multi_az=True,
    db_subnet_group_name=subnet_group.name,
    vpc_security_group_ids=[net.db_sg.id],
    timezone="UTC",
    character_set_name="SQL_Latin1_General_CP1_CI_AS",
    skip_final_snapshot=True,
    tags={"engine": "sqlserver"},
)

# MariaDB analytics copy with a literal master user that is too long for MariaDB (16 characters).
analytics = aws.rds.Instance(
    "analytics-mariadb",
    # defect: rds-logging-enabled (the engine's log types are not all exported)
    # defect: rds-instance-deletion-protection-enabled (deletion_protection unset)
    # defect: rds-enhanced-monitoring-enabled (monitoring_interval unset: no Enhanced Monitoring)
    engine="mariadb",
    engine_version="10.11",
    instance_class="db.t3.large",
    allocated_storage=40,
    username="analytics_administrator",  # defect: rds-master-username-valid
    manage_master_user_password=True,
    master_user_secret_kms_key_id=key.key_id,
    storage_encrypted=True,
    kms_key_id=key.arn,
    backup_retention_period=30,
    multi_az=True,
    db_subnet_group_name=subnet_group.name,
    vpc_security_group_ids=[net.db_sg.id],
    skip_final_snapshot=True,
)

# Data warehouse on Aurora MySQL 3, with a password from plain config holding '@'.
dw_param = aws.rds.ClusterParameterGroup(
    "dw-params", family="aurora-mysql8.0", description="TLS only",
    parameters=[aws.rds.ClusterParameterGroupParameterArgs(name="require_secure_transport", value="ON")])
warehouse = aws.rds.Cluster(
    "warehouse",
    # defect: rds-cluster-deletion-protection-enabled (deletion_protection unset)
    engine="aurora-mysql",
    engine_version="8.0.mysql_aurora.3.08.2",
    database_name="warehouse",
    master_username="admin",
    master_password=config.require_secret("dwPassword"),  # defect: rds-master-password-charset
    db_cluster_parameter_group_name=dw_param.name,
    db_subnet_group_name=subnet_group.name,
    vpc_security_group_ids=[net.db_sg.id],
    availability_zones=zones,
    backup_retention_period=30,
    preferred_backup_window="03:00-04:00",
    skip_final_snapshot=True,
    enabled_cloudwatch_logs_exports=["audit", "error"],
    # defect: rds-storage-encrypted  (storage_encrypted left out)
)
for i, zone in enumerate(zones):
    aws.rds.ClusterInstance(
        f"warehouse-{i}", cluster_identifier=warehouse.id, instance_class="db.r6g.large",
        engine=warehouse.engine, engine_version=warehouse.engine_version, availability_zone=zone,
        publicly_accessible=False, db_subnet_group_name=subnet_group.name)

# RDS Proxy in front of the warehouse, authenticating with a managed secret.
proxy_secret = aws.secretsmanager.Secret("warehouse-proxy-auth", kms_key_id=key.arn)
# defect: secretsmanager-rotation-enabled-check (no SecretRotation: the value never rotates)
proxy_role = aws.iam.Role(
    "warehouse-proxy-role",
    assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "rds.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
aws.iam.RolePolicy(
    "warehouse-proxy-read-secret", role=proxy_role.id,
    policy=pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": proxy_secret.arn},
        {"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": key.arn}]}))
proxy = aws.rds.Proxy(
    "warehouse-proxy",
    engine_family="MYSQL",
    require_tls=True,
    idle_client_timeout=1800,
    role_arn=proxy_role.arn,
    vpc_subnet_ids=net.subnet_ids,
    vpc_security_group_ids=[net.db_sg.id],
    auths=[aws.rds.ProxyAuthArgs(auth_scheme="SECRETS", iam_auth="REQUIRED", secret_arn=proxy_secret.arn)],
)
target_group = aws.rds.ProxyDefaultTargetGroup(
    "warehouse-proxy-tg", db_proxy_name=proxy.name,
    connection_pool_config=aws.rds.ProxyDefaultTargetGroupConnectionPoolConfigArgs(max_connections_percent=90))
aws.rds.ProxyTarget("warehouse-proxy-target", db_proxy_name=proxy.name,
                    target_group_name=target_group.name, db_cluster_identifier=warehouse.id)

# DocumentDB: its own resource types; the RDS policies must neither crash on nor claim them.
docdb_password = random.RandomPassword("docdb-password", length=40, special=False)
docdb = aws.docdb.Cluster(
    "patient-documents",
    engine="docdb",
    engine_version="5.0.0",
    master_username="docadmin",
    master_password=docdb_password.result,
    storage_encrypted=True,
    kms_key_id=key.arn,
    backup_retention_period=35,
    db_subnet_group_name=aws.docdb.SubnetGroup("docdb-subnets", subnet_ids=net.subnet_ids).name,
    vpc_security_group_ids=[net.db_sg.id],
    enabled_cloudwatch_logs_exports=["audit", "profiler"],
    skip_final_snapshot=True,
)
for i in range(2):
    aws.docdb.ClusterInstance(f"patient-documents-{i}", cluster_identifier=docdb.id,
                              instance_class="db.r6g.large")

# Neptune: a graph of care relationships, IAM auth only.
graph = aws.neptune.Cluster(
    "care-graph",
    engine="neptune",
    engine_version="1.3.2.1",
    iam_database_authentication_enabled=True,
    storage_encrypted=True,
    kms_key_arn=key.arn,
    backup_retention_period=30,
    neptune_subnet_group_name=aws.neptune.SubnetGroup("graph-subnets", subnet_ids=net.subnet_ids).name,
    vpc_security_group_ids=[net.db_sg.id],
    skip_final_snapshot=True,
)
aws.neptune.ClusterInstance("care-graph-0", cluster_identifier=graph.id, instance_class="db.r6g.large",
                            engine="neptune")

# A disaster-recovery copy in another region through an explicit provider with default tags.
dr = aws.Provider("dr", region="eu-central-1",
                  default_tags=aws.ProviderDefaultTagsArgs(tags={"project": "clinical", "dr": "true"}))
dr_key = aws.kms.Key("dr-key", description="DR key", enable_key_rotation=True,
                     opts=pulumi.ResourceOptions(provider=dr))
aws.rds.Instance(
    "pharmacy-dr",
    replicate_source_db=instances["pharmacy"].arn,
    instance_class="db.t3.medium",
    availability_zone="eu-central-1b",
    storage_encrypted=True,
    kms_key_id=dr_key.arn,
    skip_final_snapshot=True,
    opts=pulumi.ResourceOptions(provider=dr),
)
aws.rds.Instance(
    "billing-dr",
    replicate_source_db=instances["billing"].arn,
    instance_class="db.t3.medium",
    availability_zone="eu-west-1a",  # defect: availability-zone-in-region
    storage_encrypted=True,
    kms_key_id=dr_key.arn,
    skip_final_snapshot=True,
    opts=pulumi.ResourceOptions(provider=dr),
)

pulumi.export("proxy_endpoint", proxy.endpoint)
pulumi.export("warehouse_endpoint", warehouse.endpoint)
pulumi.export("docdb_endpoint", docdb.endpoint)
