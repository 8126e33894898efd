"""hipaa-healthcare: a patient-portal backend that passes every hipaa-guard policy.

Layout
  network   VPC over two zones of the stack's region: public subnets (ALB, NAT), private subnets
            (Fargate tasks, PostgreSQL, Redis).
  keys      one customer-managed KMS key (rotated) for every store of PHI, including CloudWatch Logs.
  data      RDS PostgreSQL (Multi-AZ, encrypted, TLS enforced, 30-day backups), ElastiCache Redis
            (encrypted at rest and in transit, AUTH token), Kinesis audit stream, S3 export bucket.
  compute   ECS Fargate service in private subnets, secrets injected from Secrets Manager.
  edge      internet-facing ALB: HTTPS on 443 with a certificate issued in this stack, HTTP on 80 only
            redirects to HTTPS.

Run it offline against the policy pack:  policypack preview examples/compliant
"""

import json

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from lib.audit import log_bucket, noncurrent_versions_expire, tls_only_statement
from lib.network import HealthcareNetwork
from lib.policies import (
    assume_role_policy,
    kms_key_policy,
    read_secrets_policy,
    stream_writer_policy,
)

config = pulumi.Config()
stack = pulumi.get_stack()
domain_name = config.require("domainName")
app_image = config.get("appImage") or "public.ecr.aws/nginx/nginx:stable"

# Short prefix for the physical names we set explicitly; every one of them stays well inside the AWS
# limits (ALB and target group 32, ElastiCache replication group 40, RDS identifier 63).
prefix = f"hc-{stack}"
tags = {
    "project": "hipaa-healthcare",
    "environment": stack,
    "data-classification": "phi",
    "compliance": "hipaa",
}

identity = aws.get_caller_identity_output()
region = aws.get_region_output().region

# --------------------------------------------------------------------------------------------------
# Network
# --------------------------------------------------------------------------------------------------
network = HealthcareNetwork(
    "healthcare",
    cidr_block="10.40.0.0/16",
    public_cidrs=["10.40.0.0/24", "10.40.1.0/24"],
    private_cidrs=["10.40.10.0/24", "10.40.11.0/24"],
    tags=tags,
)

# The ALB security group keeps its rules inline; the other groups use standalone rule resources so
# they can reference each other without a dependency cycle. (Never mix both styles on one group.)
alb_sg = aws.ec2.SecurityGroup(
    "alb-sg",
    description="Internet-facing ALB: HTTPS, and HTTP for the redirect",
    vpc_id=network.vpc_id,
    ingress=[
        aws.ec2.SecurityGroupIngressArgs(
            description="HTTPS from clients",
            protocol="tcp",
            from_port=443,
            to_port=443,
            cidr_blocks=["0.0.0.0/0"],
        ),
        aws.ec2.SecurityGroupIngressArgs(
            description="HTTP, answered only with a redirect to HTTPS",
            protocol="tcp",
            from_port=80,
            to_port=80,
            cidr_blocks=["0.0.0.0/0"],
        ),
    ],
    egress=[
        aws.ec2.SecurityGroupEgressArgs(
            description="To the application tasks",
            protocol="tcp",
            from_port=80,
            to_port=80,
            cidr_blocks=[network.vpc_cidr],
        )
    ],
    tags={**tags, "Name": "alb-sg"},
)
app_sg = aws.ec2.SecurityGroup(
    "app-sg",
    description="Fargate tasks of the patient portal",
    vpc_id=network.vpc_id,
    tags={**tags, "Name": "app-sg"},
)
db_sg = aws.ec2.SecurityGroup(
    "db-sg",
    description="PostgreSQL, reachable from the application only",
    vpc_id=network.vpc_id,
    tags={**tags, "Name": "db-sg"},
)
cache_sg = aws.ec2.SecurityGroup(
    "cache-sg",
    description="Redis, reachable from the application only",
    vpc_id=network.vpc_id,
    tags={**tags, "Name": "cache-sg"},
)

aws.vpc.SecurityGroupIngressRule(
    "app-from-alb",
    security_group_id=app_sg.id,
    referenced_security_group_id=alb_sg.id,
    ip_protocol="tcp",
    from_port=80,
    to_port=80,
    description="HTTP from the ALB",
)
aws.vpc.SecurityGroupEgressRule(
    "app-egress",
    security_group_id=app_sg.id,
    cidr_ipv4="0.0.0.0/0",
    ip_protocol="-1",
    description="Image pulls and AWS APIs through the NAT gateway",
)
aws.vpc.SecurityGroupIngressRule(
    "db-from-app",
    security_group_id=db_sg.id,
    referenced_security_group_id=app_sg.id,
    ip_protocol="tcp",
    from_port=5432,
    to_port=5432,
    description="PostgreSQL from the application",
)
aws.vpc.SecurityGroupIngressRule(
    "cache-from-app",
    security_group_id=cache_sg.id,
    referenced_security_group_id=app_sg.id,
    ip_protocol="tcp",
    from_port=6379,
    to_port=6379,
    description="Redis (TLS) from the application",
)

# --------------------------------------------------------------------------------------------------
# Encryption key
# --------------------------------------------------------------------------------------------------
phi_key = aws.kms.Key(
    "phi-key",
    description="Encrypts PHI at rest: database, cache, secrets, logs, audit stream, exports",
    enable_key_rotation=True,
    deletion_window_in_days=30,
    # The account id and region are resolved by data sources, so the policy is right in any account.
    policy=pulumi.Output.all(account=identity.account_id, region=region).apply(
        lambda ctx: json.dumps(kms_key_policy(ctx["account"], ctx["region"]))
    ),
    tags=tags,
)
aws.kms.Alias("phi-key-alias", name=f"alias/{prefix}-phi", target_key_id=phi_key.key_id)

# --------------------------------------------------------------------------------------------------
# Credentials
# --------------------------------------------------------------------------------------------------
db_username = "dbadmin"  # "admin", "postgres" and "rdsadmin" are reserved by RDS for PostgreSQL
db_password = random.RandomPassword(
    "db-master-password",
    length=32,
    special=True,
    # RDS rejects "/", "@", '"' and spaces in a master password.
    override_special="!#$%&*()-_=+[]{}<>:?",
)
redis_auth_token = random.RandomPassword(
    "redis-auth-token",
    length=32,
    special=True,
    # The only punctuation ElastiCache accepts in an AUTH token.
    override_special="!&#$^<>-",
)

# --------------------------------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------------------------------
db_subnets = aws.rds.SubnetGroup(
    "db-subnets",
    description="Private subnets of the patient database",
    subnet_ids=network.private_subnet_ids,
    tags=tags,
)
db_params = aws.rds.ParameterGroup(
    "db-params",
    family="postgres16",
    description="PostgreSQL 16 with TLS required and connections logged",
    parameters=[
        aws.rds.ParameterGroupParameterArgs(name="rds.force_ssl", value="1"),
        aws.rds.ParameterGroupParameterArgs(name="log_connections", value="1"),
        aws.rds.ParameterGroupParameterArgs(name="log_disconnections", value="1"),
    ],
    tags=tags,
)
rds_monitoring_role = aws.iam.Role(
    "rds-monitoring",
    assume_role_policy=json.dumps(assume_role_policy("monitoring.rds.amazonaws.com")),
    managed_policy_arns=["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"],
    tags=tags,
)
database = aws.rds.Instance(
    "patients-db",
    identifier=f"{prefix}-patients-db",
    engine="postgres",
    engine_version="16",  # major only: RDS picks the current default minor of 16 in the region
    instance_class="db.t4g.medium",
    allocated_storage=50,
    max_allocated_storage=200,
    storage_type="gp3",
    storage_encrypted=True,
    kms_key_id=phi_key.arn,
    db_name="patients",
    username=db_username,
    password=db_password.result,
    parameter_group_name=db_params.name,
    db_subnet_group_name=db_subnets.name,
    vpc_security_group_ids=[db_sg.id],
    publicly_accessible=False,
    multi_az=True,
    backup_retention_period=30,
    backup_window="03:00-04:00",
    maintenance_window="sun:05:00-sun:06:00",
    copy_tags_to_snapshot=True,
    auto_minor_version_upgrade=True,
    iam_database_authentication_enabled=True,
    enabled_cloudwatch_logs_exports=["postgresql", "upgrade"],
    monitoring_interval=60,
    monitoring_role_arn=rds_monitoring_role.arn,
    # Keep a final snapshot and refuse accidental deletion: the database holds PHI.
    deletion_protection=True,
    skip_final_snapshot=False,
    final_snapshot_identifier=f"{prefix}-patients-db-final",
    tags=tags,
)

# --------------------------------------------------------------------------------------------------
# Secrets (read by the ECS agent at task start; never put in plain environment variables)
# --------------------------------------------------------------------------------------------------
db_secret = aws.secretsmanager.Secret(
    "db-credentials",
    description="Connection settings of the patient database",
    kms_key_id=phi_key.arn,
    recovery_window_in_days=30,
    tags=tags,
)
aws.secretsmanager.SecretVersion(
    "db-credentials-value",
    secret_id=db_secret.id,
    secret_string=pulumi.Output.json_dumps(
        {
            "engine": "postgres",
            "host": database.address,
            "port": database.port,
            "dbname": "patients",
            "username": db_username,
            "password": db_password.result,
        }
    ),
)
redis_secret = aws.secretsmanager.Secret(
    "redis-auth",
    description="AUTH token of the session cache",
    kms_key_id=phi_key.arn,
    recovery_window_in_days=30,
    tags=tags,
)
aws.secretsmanager.SecretVersion(
    "redis-auth-value",
    secret_id=redis_secret.id,
    secret_string=redis_auth_token.result,
)

# --------------------------------------------------------------------------------------------------
# Redis session cache
# --------------------------------------------------------------------------------------------------
cache_subnets = aws.elasticache.SubnetGroup(
    "cache-subnets",
    description="Private subnets of the session cache",
    subnet_ids=network.private_subnet_ids,
    tags=tags,
)
sessions = aws.elasticache.ReplicationGroup(
    "sessions-cache",
    replication_group_id=f"{prefix}-sessions",
    description="Patient-portal sessions",
    engine="redis",
    engine_version="7.1",
    node_type="cache.t4g.small",
    num_cache_clusters=2,
    automatic_failover_enabled=True,
    multi_az_enabled=True,
    port=6379,
    parameter_group_name="default.redis7",
    subnet_group_name=cache_subnets.name,
    security_group_ids=[cache_sg.id],
    at_rest_encryption_enabled=True,
    kms_key_id=phi_key.arn,
    transit_encryption_enabled=True,
    auth_token=redis_auth_token.result,
    snapshot_retention_limit=15,  # AWS's HIPAA pack asks for at least 15 days
    tags=tags,
)

# --------------------------------------------------------------------------------------------------
# Logs and audit trail
# --------------------------------------------------------------------------------------------------
app_logs = aws.cloudwatch.LogGroup(
    "app-logs",
    name=f"/ecs/{prefix}/patient-portal",
    kms_key_id=phi_key.arn,  # the key policy admits logs.<region>.amazonaws.com
    retention_in_days=90,
    tags=tags,
)
audit_logs = aws.cloudwatch.LogGroup(
    "audit-logs",
    name=f"/{prefix}/audit",
    kms_key_id=phi_key.arn,
    retention_in_days=365,
    tags=tags,
)
audit_stream = aws.kinesis.Stream(
    "audit-stream",
    name=f"{prefix}-audit-events",
    shard_count=1,
    retention_period=168,
    encryption_type="KMS",
    kms_key_id=phi_key.arn,
    tags=tags,
)

# --------------------------------------------------------------------------------------------------
# Export bucket (reports handed to other covered entities)
# --------------------------------------------------------------------------------------------------
exports = aws.s3.Bucket(
    "phi-exports",
    bucket_prefix=f"{prefix}-phi-exports-",
    tags={**tags, "hipaa-guard:exempt": "s3-bucket-replication-enabled: single-region deployment, "
                                        "the bucket is in the AWS Backup plan"},
)
aws.s3.BucketServerSideEncryptionConfiguration(
    "phi-exports-encryption",
    bucket=exports.id,
    rules=[
        aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
            apply_server_side_encryption_by_default={"sse_algorithm": "aws:kms", "kms_master_key_id": phi_key.arn},
            bucket_key_enabled=True,  # fewer KMS calls for the same protection
        )
    ],
)
aws.s3.BucketPublicAccessBlock(
    "phi-exports-public-access",
    bucket=exports.id,
    block_public_acls=True,
    block_public_policy=True,
    ignore_public_acls=True,
    restrict_public_buckets=True,
)
aws.s3.BucketVersioning(
    "phi-exports-versioning",
    bucket=exports.id,
    versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
)

# --------------------------------------------------------------------------------------------------
# Load balancer and TLS
# --------------------------------------------------------------------------------------------------
certificate = aws.acm.Certificate(
    "portal-cert",
    domain_name=domain_name,
    validation_method="DNS",
    tags=tags,
)
# Waits until ACM has issued the certificate: the validation CNAME (exported below) must be published
# in the domain's DNS. A listener cannot use a certificate that is still pending validation.
certificate_issued = aws.acm.CertificateValidation("portal-cert-issued", certificate_arn=certificate.arn)

# ALB access logs, S3 server access logs, the trail and the flow logs all land in one log bucket.
audit_bucket, audit_bucket_policy = log_bucket("audit-logs-bucket", prefix, identity.account_id, tags)
alb = aws.lb.LoadBalancer(
    "portal-alb",
    name=f"{prefix}-portal",
    load_balancer_type="application",
    internal=False,
    subnets=network.public_subnet_ids,
    security_groups=[alb_sg.id],
    drop_invalid_header_fields=True,
    enable_deletion_protection=True,
    access_logs=aws.lb.LoadBalancerAccessLogsArgs(bucket=audit_bucket.bucket, prefix="alb", enabled=True),
    tags=tags,
    opts=pulumi.ResourceOptions(depends_on=[audit_bucket_policy]),  # ELB checks it may write there
)
target_group = aws.lb.TargetGroup(
    "portal-tg",
    name=f"{prefix}-portal",
    port=80,
    protocol="HTTP",
    target_type="ip",
    vpc_id=network.vpc_id,
    deregistration_delay=30,
    health_check=aws.lb.TargetGroupHealthCheckArgs(path="/", matcher="200-399"),
    tags=tags,
)
https_listener = aws.lb.Listener(
    "portal-https",
    load_balancer_arn=alb.arn,
    port=443,  # admitted by alb-sg
    protocol="HTTPS",
    ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06",
    certificate_arn=certificate.arn,
    default_actions=[aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=target_group.arn)],
    tags=tags,
    opts=pulumi.ResourceOptions(depends_on=[certificate_issued]),
)
aws.lb.Listener(
    "portal-http-redirect",
    load_balancer_arn=alb.arn,
    port=80,
    protocol="HTTP",
    default_actions=[
        aws.lb.ListenerDefaultActionArgs(
            type="redirect",
            redirect=aws.lb.ListenerDefaultActionRedirectArgs(protocol="HTTPS", port="443", status_code="HTTP_301"),
        )
    ],
    tags=tags,
)

# --------------------------------------------------------------------------------------------------
# ECS
# --------------------------------------------------------------------------------------------------
namespace = aws.servicediscovery.PrivateDnsNamespace(
    "portal-namespace",
    name=f"{prefix}.internal",
    description="Service Connect namespace of the patient portal",
    vpc=network.vpc_id,
    tags=tags,
)
cluster = aws.ecs.Cluster(
    "portal-cluster",
    name=f"{prefix}-portal",
    settings=[aws.ecs.ClusterSettingArgs(name="containerInsights", value="enabled")],
    # Service Connect takes the namespace's ARN, not its DNS name.
    service_connect_defaults=aws.ecs.ClusterServiceConnectDefaultsArgs(namespace=namespace.arn),
    tags=tags,
)

execution_role = aws.iam.Role(
    "portal-execution-role",
    name=f"{prefix}-portal-execution",
    description="ECS agent: pull the image, write logs, inject secrets",
    assume_role_policy=json.dumps(assume_role_policy("ecs-tasks.amazonaws.com")),
    tags=tags,
)
aws.iam.RolePolicyAttachment(
    "portal-execution-managed",
    role=execution_role.name,
    policy_arn="arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
)
# Managed (not inline) policies: versioned and reviewable in one place (iam-no-inline-policy-check).
execution_secrets = aws.iam.Policy(
    "portal-execution-secrets",
    policy=pulumi.Output.json_dumps(read_secrets_policy([db_secret.arn, redis_secret.arn], phi_key.arn)),
)
aws.iam.RolePolicyAttachment(
    "portal-execution-secrets", role=execution_role.name, policy_arn=execution_secrets.arn
)
task_role = aws.iam.Role(
    "portal-task-role",
    name=f"{prefix}-portal-task",
    description="Patient-portal application: publish audit events",
    assume_role_policy=json.dumps(assume_role_policy("ecs-tasks.amazonaws.com")),
    tags=tags,
)
task_audit = aws.iam.Policy(
    "portal-task-audit",
    policy=pulumi.Output.json_dumps(stream_writer_policy(audit_stream.arn, phi_key.arn)),
)
aws.iam.RolePolicyAttachment("portal-task-audit", role=task_role.name, policy_arn=task_audit.arn)

task_definition = aws.ecs.TaskDefinition(
    "portal-task",
    family=f"{prefix}-portal",
    requires_compatibilities=["FARGATE"],
    network_mode="awsvpc",
    cpu="512",
    memory="1024",
    execution_role_arn=execution_role.arn,
    task_role_arn=task_role.arn,
    volumes=[aws.ecs.TaskDefinitionVolumeArgs(name="nginx-cache"), aws.ecs.TaskDefinitionVolumeArgs(name="nginx-run")],
    container_definitions=pulumi.Output.json_dumps(
        [
            {
                "name": "portal",
                "image": app_image,
                "essential": True,
                "portMappings": [{"containerPort": 80, "protocol": "tcp"}],
                "readonlyRootFilesystem": True,
                "mountPoints": [
                    {"sourceVolume": "nginx-cache", "containerPath": "/var/cache/nginx"},
                    {"sourceVolume": "nginx-run", "containerPath": "/var/run"},
                ],
                # Only non-sensitive settings go in the environment...
                "environment": [
                    {"name": "APP_ENV", "value": stack},
                    {"name": "DB_HOST", "value": database.address},
                    {"name": "DB_NAME", "value": "patients"},
                    {"name": "REDIS_HOST", "value": sessions.primary_endpoint_address},
                    {"name": "REDIS_TLS", "value": "true"},
                    {"name": "AUDIT_STREAM", "value": audit_stream.name},
                ],
                # ...credentials are injected by the ECS agent from Secrets Manager.
                "secrets": [
                    {"name": "DB_CREDENTIALS", "valueFrom": db_secret.arn},
                    {"name": "REDIS_AUTH_TOKEN", "valueFrom": redis_secret.arn},
                ],
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {
                        "awslogs-group": app_logs.name,
                        "awslogs-region": region,
                        "awslogs-stream-prefix": "portal",
                    },
                },
            }
        ]
    ),
    tags=tags,
)
service = aws.ecs.Service(
    "portal-service",
    name="patient-portal",
    cluster=cluster.arn,
    task_definition=task_definition.arn,
    launch_type="FARGATE",
    desired_count=2,
    network_configuration=aws.ecs.ServiceNetworkConfigurationArgs(
        subnets=network.private_subnet_ids,
        security_groups=[app_sg.id],
        assign_public_ip=False,  # private subnets; egress through the NAT gateway
    ),
    load_balancers=[
        aws.ecs.ServiceLoadBalancerArgs(target_group_arn=target_group.arn, container_name="portal", container_port=80)
    ],
    service_connect_configuration=aws.ecs.ServiceServiceConnectConfigurationArgs(enabled=True),
    health_check_grace_period_seconds=60,
    deployment_circuit_breaker=aws.ecs.ServiceDeploymentCircuitBreakerArgs(enable=True, rollback=True),
    propagate_tags="SERVICE",
    tags=tags,
    # The target group must be attached to the ALB before a service can register into it.
    opts=pulumi.ResourceOptions(depends_on=[https_listener]),
)

pulumi.export("portalUrl", pulumi.Output.concat("https://", domain_name))
pulumi.export("albDnsName", alb.dns_name)
pulumi.export("certificateValidation", certificate.domain_validation_options)
pulumi.export("databaseEndpoint", database.endpoint)
pulumi.export("auditStream", audit_stream.name)
pulumi.export("exportsBucket", exports.bucket)

# --------------------------------------------------------------------------------------------------
# HIPAA conformance II (issue 10): audit trail, flow logs, WAF, backup plan, S3 guards
# --------------------------------------------------------------------------------------------------
# S3: the exports bucket logs its requests, refuses plaintext, keeps versions under a lifecycle, is
# Object Lock enabled (allowed on an existing versioned bucket) and notifies EventBridge.
aws.s3.BucketLogging("phi-exports-logging", bucket=exports.id, target_bucket=audit_bucket.id, target_prefix="s3/")
aws.s3.BucketPolicy(
    "phi-exports-policy",
    bucket=exports.id,
    policy=exports.arn.apply(lambda arn: json.dumps({"Version": "2012-10-17", "Statement": [tls_only_statement(arn)]})),
)
noncurrent_versions_expire("phi-exports-lifecycle", exports, 365)
aws.s3.BucketObjectLockConfiguration("phi-exports-lock", bucket=exports.id, object_lock_enabled="Enabled")
aws.s3.BucketNotification("phi-exports-events", bucket=exports.id, eventbridge=True)

# The trail: its own key (the key policy admits CloudTrail), validated log files, a copy in CloudWatch Logs.
trail_key = aws.kms.Key(
    "trail-key",
    description="CloudTrail log files",
    enable_key_rotation=True,
    policy=identity.account_id.apply(lambda account: json.dumps({"Version": "2012-10-17", "Statement": [
        {"Sid": "EnableIamPolicies", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
         "Action": "kms:*", "Resource": "*"},
        {"Sid": "CloudTrailEncrypts", "Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
         "Action": ["kms:GenerateDataKey*", "kms:DescribeKey"], "Resource": "*",
         "Condition": {"StringEquals": {"aws:SourceAccount": account}}}]})),
    tags=tags,
)
trail_logs = aws.cloudwatch.LogGroup(
    "trail-logs", name=f"/{prefix}/cloudtrail", kms_key_id=phi_key.arn, retention_in_days=365, tags=tags
)
trail_role = aws.iam.Role(
    "trail-role",
    assume_role_policy=json.dumps(assume_role_policy("cloudtrail.amazonaws.com")),
    tags=tags,
)
trail_delivery = aws.iam.Policy(
    "trail-delivery",
    policy=pulumi.Output.json_dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
        "Resource": pulumi.Output.concat(trail_logs.arn, ":*")}]}),
)
aws.iam.RolePolicyAttachment("trail-delivery", role=trail_role.name, policy_arn=trail_delivery.arn)
aws.cloudtrail.Trail(
    "audit-trail",
    s3_bucket_name=audit_bucket.id,
    s3_key_prefix="cloudtrail",
    is_multi_region_trail=True,
    enable_log_file_validation=True,
    kms_key_id=trail_key.arn,
    cloud_watch_logs_group_arn=pulumi.Output.concat(trail_logs.arn, ":*"),
    cloud_watch_logs_role_arn=trail_role.arn,
    tags=tags,
    opts=pulumi.ResourceOptions(depends_on=[audit_bucket_policy]),
)

# Network: flow logs of the whole VPC, and a default security group that allows nothing.
aws.ec2.FlowLog(
    "vpc-flow-log",
    vpc_id=network.vpc_id,
    traffic_type="ALL",
    log_destination_type="s3",
    log_destination=pulumi.Output.concat(audit_bucket.arn, "/flow-logs/"),
    tags=tags,
    opts=pulumi.ResourceOptions(depends_on=[audit_bucket_policy]),
)
aws.ec2.DefaultSecurityGroup("default-sg-closed", vpc_id=network.vpc_id, tags=tags)

# WAF in front of the ALB, with its requests logged (the log group name must start with aws-waf-logs-).
web_acl = aws.wafv2.WebAcl(
    "portal-waf",
    scope="REGIONAL",
    default_action=aws.wafv2.WebAclDefaultActionArgs(allow=aws.wafv2.WebAclDefaultActionAllowArgs()),
    rules=[aws.wafv2.WebAclRuleArgs(
        name="aws-common",
        priority=1,
        override_action=aws.wafv2.WebAclRuleOverrideActionArgs(none=aws.wafv2.WebAclRuleOverrideActionNoneArgs()),
        statement=aws.wafv2.WebAclRuleStatementArgs(
            managed_rule_group_statement=aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs(
                vendor_name="AWS", name="AWSManagedRulesCommonRuleSet")),
        visibility_config=aws.wafv2.WebAclRuleVisibilityConfigArgs(
            cloudwatch_metrics_enabled=True, metric_name="aws-common", sampled_requests_enabled=True),
    )],
    visibility_config=aws.wafv2.WebAclVisibilityConfigArgs(
        cloudwatch_metrics_enabled=True, metric_name="portal-waf", sampled_requests_enabled=True),
    tags=tags,
)
aws.wafv2.WebAclAssociation("portal-waf-alb", resource_arn=alb.arn, web_acl_arn=web_acl.arn)
waf_logs = aws.cloudwatch.LogGroup(
    "waf-logs", name=f"aws-waf-logs-{prefix}", kms_key_id=phi_key.arn, retention_in_days=365, tags=tags
)
aws.wafv2.WebAclLoggingConfiguration(
    "portal-waf-logging", resource_arn=web_acl.arn, log_destination_configs=[waf_logs.arn]
)

# AWS Backup: daily backups kept 35 days in a locked vault, selecting the database and both buckets.
vault = aws.backup.Vault("phi-vault", name=f"{prefix}-phi", kms_key_arn=phi_key.arn, tags=tags)
aws.backup.VaultLockConfiguration("phi-vault-lock", backup_vault_name=vault.name, min_retention_days=35)
plan = aws.backup.Plan(
    "phi-backup",
    name=f"{prefix}-phi",
    rules=[aws.backup.PlanRuleArgs(
        rule_name="daily-35-days",
        target_vault_name=vault.name,
        schedule="cron(0 5 ? * * *)",
        lifecycle=aws.backup.PlanRuleLifecycleArgs(delete_after=35),
    )],
    tags=tags,
)
backup_role = aws.iam.Role(
    "backup-role",
    assume_role_policy=json.dumps(assume_role_policy("backup.amazonaws.com")),
    managed_policy_arns=[
        "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
        "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
    ],
    tags=tags,
)
aws.backup.Selection(
    "phi-backup-selection",
    name=f"{prefix}-phi",
    plan_id=plan.id,
    iam_role_arn=backup_role.arn,
    resources=[database.arn, exports.arn, audit_bucket.arn],
)
# ==================================================================================================
# Issue 9 (AWS Config HIPAA conformance pack, data stores and compute): a DynamoDB consent table, an EFS
# share for scanned documents, a reporting EC2 instance, an SNS alert topic, an OpenSearch search domain,
# and the rotation of both secrets. Each passes the pack's conformance policies.
# ==================================================================================================
from lib.rotation import ROTATION_SOURCE  # noqa: E402 - kept inside this block

# Secrets rotate every 30 days (secretsmanager-rotation-enabled-check).
rotation_role = aws.iam.Role(
    "secret-rotation",
    assume_role_policy=json.dumps(assume_role_policy("lambda.amazonaws.com")),
    managed_policy_arns=["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
    tags=tags,
)
rotation_access = aws.iam.Policy(
    "secret-rotation-access",
    policy=pulumi.Output.json_dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": [
                        "secretsmanager:GetSecretValue",
                        "secretsmanager:PutSecretValue",
                        "secretsmanager:DescribeSecret",
                        "secretsmanager:UpdateSecretVersionStage",
                    ],
                    "Resource": [db_secret.arn, redis_secret.arn],
                },
                {"Effect": "Allow", "Action": "secretsmanager:GetRandomPassword", "Resource": "*"},
                {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": phi_key.arn},
                {"Effect": "Allow", "Action": "rds:ModifyDBInstance", "Resource": database.arn},
                {"Effect": "Allow", "Action": "elasticache:ModifyReplicationGroup", "Resource": sessions.arn},
            ],
        }
    ),
)
# A managed policy attached to the role, not an inline one (iam-no-inline-policy-check).
aws.iam.RolePolicyAttachment("secret-rotation-access", role=rotation_role.name, policy_arn=rotation_access.arn)
rotation_function = aws.lambda_.Function(
    "secret-rotation",
    role=rotation_role.arn,
    runtime="python3.12",
    handler="index.handler",
    timeout=60,
    code=pulumi.AssetArchive({"index.py": pulumi.StringAsset(ROTATION_SOURCE)}),
    environment=aws.lambda_.FunctionEnvironmentArgs(
        variables={
            "DB_SECRET_ARN": db_secret.arn,
            "DB_INSTANCE_ID": database.identifier,
            "REDIS_SECRET_ARN": redis_secret.arn,
            "REPLICATION_GROUP_ID": sessions.replication_group_id,
        }
    ),
    tags=tags,
)
rotation_invoke = aws.lambda_.Permission(
    "secret-rotation-invoke",
    action="lambda:InvokeFunction",
    function=rotation_function.name,
    principal="secretsmanager.amazonaws.com",
    source_account=identity.account_id,  # no other account's secrets can invoke it
)
for rotated_name, rotated_secret in (("db-credentials", db_secret), ("redis-auth", redis_secret)):
    aws.secretsmanager.SecretRotation(
        f"{rotated_name}-rotation",
        secret_id=rotated_secret.id,
        rotation_lambda_arn=rotation_function.arn,
        rotation_rules=aws.secretsmanager.SecretRotationRotationRulesArgs(automatically_after_days=30),
        opts=pulumi.ResourceOptions(depends_on=[rotation_invoke]),
    )

# Consent records: on-demand capacity, point-in-time recovery, the PHI key.
consents = aws.dynamodb.Table(
    "consents",
    name=f"{prefix}-consents",
    billing_mode="PAY_PER_REQUEST",  # scales itself: dynamodb-autoscaling-enabled passes
    hash_key="patientId",
    range_key="consentId",
    attributes=[
        aws.dynamodb.TableAttributeArgs(name="patientId", type="S"),
        aws.dynamodb.TableAttributeArgs(name="consentId", type="S"),
    ],
    point_in_time_recovery=aws.dynamodb.TablePointInTimeRecoveryArgs(enabled=True),
    server_side_encryption=aws.dynamodb.TableServerSideEncryptionArgs(enabled=True, kms_key_arn=phi_key.arn),
    deletion_protection_enabled=True,
    tags=tags,
)

# Scanned documents: an encrypted EFS share.
documents = aws.efs.FileSystem(
    "scanned-documents",
    encrypted=True,
    kms_key_id=phi_key.arn,
    performance_mode="generalPurpose",
    throughput_mode="elastic",
    tags=tags,
)

# A reporting host in a private subnet: IMDSv2 only, instance profile, encrypted root volume, no public IP.
reporting_role = aws.iam.Role(
    "reporting-host",
    assume_role_policy=json.dumps(assume_role_policy("ec2.amazonaws.com")),
    managed_policy_arns=["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],  # Session Manager, no SSH
    tags=tags,
)
reporting_profile = aws.iam.InstanceProfile("reporting-host", role=reporting_role.name, tags=tags)
reporting_ami = aws.ssm.get_parameter_output(name="/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64")
reporting_host = aws.ec2.Instance(
    "reporting-host",
    ami=reporting_ami.value,
    instance_type="t3.small",
    subnet_id=network.private_subnet_ids[0],
    vpc_security_group_ids=[app_sg.id],
    associate_public_ip_address=False,
    iam_instance_profile=reporting_profile.name,
    metadata_options=aws.ec2.InstanceMetadataOptionsArgs(http_tokens="required", http_endpoint="enabled"),
    root_block_device=aws.ec2.InstanceRootBlockDeviceArgs(
        encrypted=True, kms_key_id=phi_key.arn, volume_size=30, volume_type="gp3"
    ),
    tags=tags,
)
# The data stores and the host above are backed up by the stack's plan, like the database
# (dynamodb-in-backup-plan, efs-in-backup-plan, ec2-resources-protected-by-backup-plan).
aws.backup.Selection(
    "records-backup-selection",
    name=f"{prefix}-records",
    plan_id=plan.id,
    iam_role_arn=backup_role.arn,
    resources=[consents.arn, documents.arn, reporting_host.arn],
)

# Operational alerts: an SNS topic under the PHI key.
alerts = aws.sns.Topic("ops-alerts", kms_master_key_id=phi_key.arn, tags=tags)

# Patient search: OpenSearch inside the VPC, encrypted at rest and between nodes, HTTPS with TLS 1.2, logs kept.
search_logs = aws.cloudwatch.LogGroup(
    "search-logs",
    name=f"/aws/opensearch/{prefix}-patients",
    retention_in_days=365,
    kms_key_id=phi_key.arn,
    tags=tags,
)
aws.cloudwatch.LogResourcePolicy(
    "search-logs-writer",
    policy_name=f"{prefix}-opensearch-logs",
    policy_document=pulumi.Output.json_dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "es.amazonaws.com"},
                    "Action": ["logs:PutLogEvents", "logs:CreateLogStream"],
                    "Resource": pulumi.Output.concat(search_logs.arn, ":*"),
                }
            ],
        }
    ),
)
search = aws.opensearch.Domain(
    "patient-search",
    domain_name=f"{prefix}-search"[:28],
    engine_version="OpenSearch_2.13",
    cluster_config=aws.opensearch.DomainClusterConfigArgs(
        instance_type="r6g.large.search", instance_count=2, zone_awareness_enabled=True
    ),
    ebs_options=aws.opensearch.DomainEbsOptionsArgs(ebs_enabled=True, volume_size=20, volume_type="gp3"),
    vpc_options=aws.opensearch.DomainVpcOptionsArgs(
        subnet_ids=network.private_subnet_ids[:2], security_group_ids=[app_sg.id]
    ),
    encrypt_at_rest=aws.opensearch.DomainEncryptAtRestArgs(enabled=True, kms_key_id=phi_key.arn),
    node_to_node_encryption=aws.opensearch.DomainNodeToNodeEncryptionArgs(enabled=True),
    domain_endpoint_options=aws.opensearch.DomainDomainEndpointOptionsArgs(
        enforce_https=True, tls_security_policy="Policy-Min-TLS-1-2-PFS-2023-10"
    ),
    log_publishing_options=[
        aws.opensearch.DomainLogPublishingOptionArgs(
            log_type="ES_APPLICATION_LOGS", cloudwatch_log_group_arn=search_logs.arn
        ),
    ],
    tags=tags,
)

pulumi.export("consentsTable", consents.name)
pulumi.export("documentsFileSystem", documents.id)
pulumi.export("alertsTopic", alerts.arn)
pulumi.export("searchEndpoint", search.endpoint)
