"""EHR data tier in us-west-2: RDS, Aurora, DynamoDB, EFS, EBS, one EC2 host, all protected by AWS Backup."""
import json

import pulumi
import pulumi_aws as aws

cfg = pulumi.Config()
vpc_cidr = cfg.get("vpcCidr") or "10.60.0.0/16"
retention = cfg.get_int("retentionDays") or 35
env = pulumi.get_stack()
base_tags = {"app": "ehr", "env": env, "hipaa": "true"}
account = aws.get_caller_identity().account_id
region = aws.get_region().region
azs = ["us-west-2a", "us-west-2b"]

key = aws.kms.Key("ehr-key", description="EHR at-rest key", enable_key_rotation=True, policy=json.dumps({
    "Version": "2012-10-17",
    "Statement": [
        {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
         "Action": "kms:*", "Resource": "*"},
        {"Sid": "Logs", "Effect": "Allow", "Principal": {"Service": f"logs.{region}.amazonaws.com"},
         "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
         "Resource": "*"},
    ]}), tags=base_tags)

# ---------------------------------------------------------------- network
vpc = aws.ec2.Vpc("ehr-vpc", cidr_block=vpc_cidr, enable_dns_hostnames=True, tags={**base_tags, "Name": "ehr"})
aws.ec2.DefaultSecurityGroup("ehr-default-sg", vpc_id=vpc.id, tags=base_tags)  # no rules: closed
subnets = [aws.ec2.Subnet(f"ehr-private-{i}", vpc_id=vpc.id, cidr_block=f"10.60.{10 + i}.0/24",
                          availability_zone=az, tags={**base_tags, "tier": "private"})
           for i, az in enumerate(azs)]
flow_group = aws.cloudwatch.LogGroup("ehr-flow-logs", retention_in_days=365, kms_key_id=key.arn, tags=base_tags)
flow_role = aws.iam.Role("ehr-flow-role", assume_role_policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                            "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}}]}))
aws.iam.RolePolicyAttachment("ehr-flow-role-logs", role=flow_role.name,
                             policy_arn="arn:aws:iam::aws:policy/CloudWatchLogsFullAccess")
aws.ec2.FlowLog("ehr-vpc-flow", vpc_id=vpc.id, traffic_type="ALL", log_destination=flow_group.arn,
                iam_role_arn=flow_role.arn)
data_sg = aws.ec2.SecurityGroup("ehr-data-sg", vpc_id=vpc.id, description="EHR data stores, VPC only",
                                ingress=[{"protocol": "tcp", "from_port": 5432, "to_port": 5432,
                                          "cidr_blocks": [vpc_cidr]}],
                                egress=[{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": [vpc_cidr]}])

# ---------------------------------------------------------------- relational
db_subnets = aws.rds.SubnetGroup("ehr-db-subnets", subnet_ids=[s.id for s in subnets])
pg_params = aws.rds.ParameterGroup("ehr-pg16", family="postgres16",
                                   parameters=[{"name": "rds.force_ssl", "value": "1"}])
monitoring_role = aws.iam.Role("ehr-rds-monitoring", assume_role_policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                            "Principal": {"Service": "monitoring.rds.amazonaws.com"}}]}),
    managed_policy_arns=["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"])

registry_db = aws.rds.Instance(
    "ehr-registry-db", engine="postgres", engine_version="16.4", instance_class="db.m6g.large",
    allocated_storage=100, storage_encrypted=True, kms_key_id=key.arn, username="ehradmin",
    manage_master_user_password=True, db_subnet_group_name=db_subnets.name, parameter_group_name=pg_params.name,
    vpc_security_group_ids=[data_sg.id], multi_az=True, backup_retention_period=retention, deletion_protection=True,
    monitoring_interval=60, monitoring_role_arn=monitoring_role.arn,
    enabled_cloudwatch_logs_exports=["postgresql", "upgrade"], skip_final_snapshot=False,
    final_snapshot_identifier="ehr-registry-final", tags=base_tags,
    opts=pulumi.ResourceOptions(protect=True, ignore_changes=["engine_version"]))

cluster_params = aws.rds.ClusterParameterGroup("ehr-aurora-pg16", family="aurora-postgresql16",
                                               parameters=[aws.rds.ClusterParameterGroupParameterArgs(
                                                   name="rds.force_ssl", value="1")])
notes_cluster = aws.rds.Cluster(
    "ehr-notes-aurora", engine="aurora-postgresql", engine_version="16.4", master_username="notesadmin",
    manage_master_user_password=True, db_subnet_group_name=db_subnets.name,
    db_cluster_parameter_group_name=cluster_params.name, vpc_security_group_ids=[data_sg.id],
    storage_encrypted=True, kms_key_id=key.arn, backup_retention_period=retention, deletion_protection=True,
    enabled_cloudwatch_logs_exports=["postgresql"], skip_final_snapshot=True, tags=base_tags)
for i, az in enumerate(azs):
    aws.rds.ClusterInstance(f"ehr-notes-{i}", cluster_identifier=notes_cluster.id, engine="aurora-postgresql",
                            instance_class="db.r6g.large", availability_zone=az, db_subnet_group_name=db_subnets.name,
                            monitoring_interval=30, monitoring_role_arn=monitoring_role.arn)

# ---------------------------------------------------------------- DynamoDB


def dynamo_table(name, tags, provisioned=True, gsi=None):
    args = dict(name=f"ehr-{name}-{env}", hash_key="pk", range_key="sk",
                attributes=[{"name": "pk", "type": "S"}, {"name": "sk", "type": "S"}],
                point_in_time_recovery={"enabled": True},
                server_side_encryption={"enabled": True, "kms_key_arn": key.arn}, tags={**base_tags, **tags})
    if provisioned:
        args.update(billing_mode="PROVISIONED", read_capacity=5, write_capacity=5)
    else:
        args.update(billing_mode="PAY_PER_REQUEST")
    if gsi:
        args["attributes"].append({"name": gsi, "type": "S"})
        args["global_secondary_indexes"] = [{"name": f"by-{gsi}", "hash_key": gsi, "projection_type": "ALL",
                                             "read_capacity": 5, "write_capacity": 5}]
    return aws.dynamodb.Table(f"ehr-{name}", **args)


def autoscale(table, resource_id, dimension_prefix):
    for kind, metric in (("Read", "DynamoDBReadCapacityUtilization"), ("Write", "DynamoDBWriteCapacityUtilization")):
        target = aws.appautoscaling.Target(
            f"{resource_id.replace('/', '-')}-{kind.lower()}-target", service_namespace="dynamodb",
            resource_id=pulumi.Output.concat("table/", table.name, resource_id.partition(":")[2]),
            scalable_dimension=f"dynamodb:{dimension_prefix}:{kind}CapacityUnits", min_capacity=5, max_capacity=100)
        aws.appautoscaling.Policy(
            f"{resource_id.replace('/', '-')}-{kind.lower()}-policy", policy_type="TargetTrackingScaling",
            service_namespace=target.service_namespace, resource_id=target.resource_id,
            scalable_dimension=target.scalable_dimension,
            target_tracking_scaling_policy_configuration={
                "target_value": 70, "predefined_metric_specification": {"predefined_metric_type": metric}})


encounters = dynamo_table("encounters", {"backup": "daily"}, gsi="patient")
autoscale(encounters, "encounters", "table")
# defect: dynamodb-autoscaling-enabled (the by-patient index keeps fixed capacity: no index targets)
audit_index = dynamo_table("consents", {"backup": "daily"}, provisioned=False)
# defect: dynamodb-in-backup-plan (tagged "Daily": tag values are case-sensitive in a backup selection)
referrals = dynamo_table("referrals", {"backup": "Daily"}, provisioned=False)

# Appointment slots: fixed table name, provisioned, in both regions (the us-east-1 copy is kept warm for failover).
SLOTS = f"ehr-slots-{env}"
dr = aws.Provider("ehr-dr", region="us-east-1")
for label, provider in (("primary", None), ("dr", dr)):
    aws.dynamodb.Table(f"ehr-slots-{label}", name=SLOTS, billing_mode="PROVISIONED", read_capacity=10,
                       write_capacity=10, hash_key="slot", attributes=[{"name": "slot", "type": "S"}],
                       point_in_time_recovery={"enabled": True}, server_side_encryption={"enabled": True},
                       tags={**base_tags, "backup": "daily"}, opts=pulumi.ResourceOptions(provider=provider))
for kind in ("Read", "Write"):
    slots_target = aws.appautoscaling.Target(f"ehr-slots-{kind.lower()}", service_namespace="dynamodb",
                                             resource_id=f"table/{SLOTS}", min_capacity=10, max_capacity=200,
                                             scalable_dimension=f"dynamodb:table:{kind}CapacityUnits")
    aws.appautoscaling.Policy(f"ehr-slots-{kind.lower()}-policy", policy_type="TargetTrackingScaling",
                              service_namespace="dynamodb", resource_id=f"table/{SLOTS}",
                              scalable_dimension=f"dynamodb:table:{kind}CapacityUnits",
                              target_tracking_scaling_policy_configuration={"target_value": 70, "predefined_metric_specification": {
                                  "predefined_metric_type": f"DynamoDB{kind}CapacityUtilization"}})
# defect: dynamodb-autoscaling-enabled (the targets above are registered in us-west-2 only: the DR copy keeps fixed capacity)
# defect: dynamodb-in-backup-plan (the us-west-2 plan's tag selection cannot reach the us-east-1 copy: plans are regional)

# ---------------------------------------------------------------- files and volumes
share = aws.efs.FileSystem("ehr-scans", encrypted=True, kms_key_id=key.arn, tags=base_tags)
aws.efs.BackupPolicy("ehr-scans-backup", file_system_id=share.id, backup_policy={"status": "ENABLED"})

volumes = {}
for name, size, tier in (("pacs-cache", 200, "gold"), ("hl7-spool", 50, "gold"), ("dicom-tmp", 100, "silver")):
    volumes[name] = aws.ebs.Volume(f"ehr-{name}", availability_zone=azs[0], size=size, type="gp3",
                                   encrypted=True, kms_key_id=key.arn, tags={**base_tags, "tier": tier})
# defect: ebs-in-backup-plan (dicom-tmp is tier=silver, which no selection picks)

template = aws.ec2.LaunchTemplate(
    "ehr-interface-lt", image_id="ami-0a1b2c3d4e5f67890", instance_type="m6i.large",
    metadata_options={"http_tokens": "required", "http_endpoint": "enabled"},
    block_device_mappings=[{"device_name": "/dev/xvda",
                            "ebs": {"encrypted": "true", "kms_key_id": key.arn, "volume_size": 40}}],
    iam_instance_profile={"name": "ehr-interface-profile"})
engine_host = aws.ec2.Instance("ehr-interface-engine", subnet_id=subnets[0].id,
                               launch_template={"id": template.id, "version": "$Latest"},
                               tags={**base_tags, "backup": "daily"})

# ---------------------------------------------------------------- AWS Backup
vault = aws.backup.Vault("ehr-vault", kms_key_arn=key.arn, tags=base_tags)
aws.backup.VaultPolicy("ehr-vault-guard", backup_vault_name=vault.name, policy=vault.arn.apply(lambda arn: json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Sid": "NoManualDeletes", "Effect": "Deny", "Principal": "*",
                   "Action": ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle",
                              "backup:PutBackupVaultAccessPolicy"], "Resource": "*"}]})))

daily = aws.backup.Plan("ehr-daily", rules=[aws.backup.PlanRuleArgs(
    rule_name="daily-35d", target_vault_name=vault.name, schedule="cron(0 5 ? * * *)",
    lifecycle=aws.backup.PlanRuleLifecycleArgs(delete_after=retention))])
# defect: backup-plan-min-frequency-and-min-retention-check (weekly schedule, and only 14 days kept)
weekly = aws.backup.Plan("ehr-weekly", rules=[{"rule_name": "weekly", "target_vault_name": vault.name,
                                               "schedule": "cron(0 3 ? * SUN *)", "lifecycle": {"delete_after": 14}}])

backup_role = aws.iam.Role("ehr-backup-role", assume_role_policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                            "Principal": {"Service": "backup.amazonaws.com"}}]}))
aws.iam.RolePolicyAttachment("ehr-backup-role-policy", role=backup_role.name,
                             policy_arn="arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup")

aws.backup.Selection("ehr-daily-by-arn", plan_id=daily.id, iam_role_arn=backup_role.arn,
                     resources=[registry_db.arn, share.arn])
aws.backup.Selection("ehr-daily-by-tag", plan_id=daily.id, iam_role_arn=backup_role.arn,
                     selection_tags=[{"type": "STRINGEQUALS", "key": "backup", "value": "daily"}])
aws.backup.Selection("ehr-daily-aurora", plan_id=daily.id, iam_role_arn=backup_role.arn,
                     resources=["arn:aws:rds:*:*:cluster:*"])
aws.backup.Selection("ehr-weekly-gold-volumes", plan_id=weekly.id, iam_role_arn=backup_role.arn,
                     resources=["arn:aws:ec2:*:*:volume/*"],
                     conditions=[{"string_equals": [{"key": "aws:ResourceTag/tier", "value": "gold"}]}])

pulumi.export("vault", vault.name)
