"""hipaa-healthcare-broken: the patient-portal stack with the defects QA keeps finding in generated
HIPAA programs.

The program is valid Python for pulumi-aws 7 and constructs without error (source-level mistakes such
as unknown keywords are the fixer's business, not this example's). What is wrong is what AWS would
reject at deploy time, or what a HIPAA review would refuse. Every deliberate defect carries a comment
"defect:" followed by the policy name(s) that must catch it, comma-separated, and a reason in
parentheses; it sits on the offending line, or inside the resource call when the defect is a missing
setting.
`expected.json` lists the same findings as (policy, resource name) pairs. Everything that is not marked
is meant to be compliant.

Run it offline against the policy pack:  policypack preview examples/broken
"""

import json

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from lib.network import HealthcareNetwork

stack = pulumi.get_stack()
prefix = f"hc-{stack}"
tags = {"project": "hipaa-healthcare", "environment": stack, "data-classification": "phi"}

identity = aws.get_caller_identity_output()
region = aws.get_region_output().region


def ecs_tasks_trust_policy() -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    )


network = HealthcareNetwork("healthcare", tags=tags)

# --------------------------------------------------------------------------------------------------
# Security groups
# --------------------------------------------------------------------------------------------------
alb_sg = aws.ec2.SecurityGroup(
    "alb-sg",
    description="Internet-facing ALB",
    vpc_id=network.vpc_id,
    # Only HTTP is admitted, yet the HTTPS listener below is on 443 (seed 002).
    ingress=[
        aws.ec2.SecurityGroupIngressArgs(
            description="HTTP from clients", protocol="tcp", from_port=80, to_port=80, cidr_blocks=["0.0.0.0/0"]
        )
    ],
    egress=[
        aws.ec2.SecurityGroupEgressArgs(
            description="To the tasks", protocol="tcp", from_port=80, to_port=80, cidr_blocks=[network.vpc_cidr]
        )
    ],
    tags=tags,
)
app_sg = aws.ec2.SecurityGroup(
    "app-sg",
    description="Fargate tasks",
    vpc_id=network.vpc_id,
    ingress=[
        aws.ec2.SecurityGroupIngressArgs(
            description="HTTP from the ALB", protocol="tcp", from_port=80, to_port=80, security_groups=[alb_sg.id]
        )
    ],
    egress=[
        aws.ec2.SecurityGroupEgressArgs(
            description="Outbound", protocol="-1", from_port=0, to_port=0, cidr_blocks=["0.0.0.0/0"]
        )
    ],
    tags=tags,
)
db_sg = aws.ec2.SecurityGroup(
    "db-sg",
    description="PostgreSQL",
    vpc_id=network.vpc_id,
    ingress=[
        aws.ec2.SecurityGroupIngressArgs(
            description="PostgreSQL from anywhere",
            protocol="tcp",
            from_port=5432,
            to_port=5432,
            cidr_blocks=["0.0.0.0/0"],  # defect: security-group-no-public-data-ports
        )
    ],
    tags=tags,
)
cache_sg = aws.ec2.SecurityGroup("cache-sg", description="Redis", vpc_id=network.vpc_id, tags=tags)
aws.vpc.SecurityGroupIngressRule(
    "cache-from-anywhere",
    security_group_id=cache_sg.id,
    cidr_ipv4="0.0.0.0/0",  # defect: security-group-no-public-data-ports
    ip_protocol="tcp",
    from_port=6379,
    to_port=6379,
    description="Redis from anywhere",
)

# --------------------------------------------------------------------------------------------------
# Keys
# --------------------------------------------------------------------------------------------------
phi_key = aws.kms.Key(
    "phi-key",
    description="PHI at rest",
    # defect: kms-key-rotation (enable_key_rotation is not set)
    policy=pulumi.Output.all(account=identity.account_id, region=region).apply(
        lambda ctx: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "EnableIamPolicies",
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{ctx['account']}:root"},
                        "Action": "kms:*",
                        "Resource": "*",
                    },
                    {
                        "Sid": "AllowCloudWatchLogs",
                        "Effect": "Allow",
                        "Principal": {"Service": f"logs.{ctx['region']}.amazonaws.com"},
                        "Action": [
                            "kms:Encrypt*",
                            "kms:Decrypt*",
                            "kms:ReEncrypt*",
                            "kms:GenerateDataKey*",
                            "kms:Describe*",
                        ],
                        "Resource": "*",
                    },
                ],
            }
        )
    ),
    tags=tags,
)
# A second key for the audit log whose policy forgets CloudWatch Logs (seeds 001 and 004).
audit_key = aws.kms.Key(
    "audit-key",
    description="Audit log encryption",
    enable_key_rotation=True,
    policy=identity.account_id.apply(
        lambda account: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Sid": "EnableIamPolicies",
                        "Effect": "Allow",
                        "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                        "Action": "kms:*",
                        "Resource": "*",
                    }
                ],
            }
        )
    ),
    tags=tags,
)

# --------------------------------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------------------------------
db_password = random.RandomPassword("db-master-password", length=24)  # default specials include "/", "@" and '"'
db_subnets = aws.rds.SubnetGroup("db-subnets", subnet_ids=network.private_subnet_ids, tags=tags)
db_params = aws.rds.ParameterGroup(
    "db-params",
    family="postgres15",
    parameters=[
        aws.rds.ParameterGroupParameterArgs(name="rds.force_ssl", value="0"),  # defect: rds-force-ssl
    ],
    tags=tags,
)
database = aws.rds.Instance(
    "patients-db",
    identifier=f"{prefix}-patients-db",
    engine="postgres",
    engine_version="15.5",  # defect: rds-engine-version-valid (no 15.5 in ap-southeast-1, seed 004)
    instance_class="db.t4g.medium",
    allocated_storage=50,
    # defect: rds-storage-encrypted (storage_encrypted is not set)
    db_name="patients",
    username="admin",  # defect: rds-master-username-valid (reserved by RDS for PostgreSQL, seed 003)
    password=db_password.result,  # defect: rds-master-password-charset (RandomPassword with default specials)
    parameter_group_name=db_params.name,
    db_subnet_group_name=db_subnets.name,
    vpc_security_group_ids=[db_sg.id],
    publicly_accessible=True,  # defect: rds-not-publicly-accessible
    multi_az=False,  # defect: rds-multi-az (advisory)
    backup_retention_period=7,  # defect: rds-backup-retention (HIPAA baseline is 30 days)
    skip_final_snapshot=True,
    tags=tags,
)

# Aurora Serverless v2 for analytics, configured with the v1 engine mode (seed 001).
analytics_password = random.RandomPassword(
    "analytics-master-password", length=32, special=True, override_special="!#$%&*()-_=+[]{}<>:?"
)
analytics = aws.rds.Cluster(
    "analytics-cluster",
    # defect: identifier-limits (68 characters; an RDS cluster identifier has at most 63)
    cluster_identifier=f"{prefix}-clinical-analytics-aurora-postgresql-serverless-v2-primary-01",
    engine="aurora-postgresql",
    engine_mode="serverless",  # defect: aurora-serverless-v2-valid (v2 needs engine_mode "provisioned")
    engine_version="16",
    database_name="analytics",
    master_username="dbadmin",
    master_password=analytics_password.result,
    serverlessv2_scaling_configuration=aws.rds.ClusterServerlessv2ScalingConfigurationArgs(
        min_capacity=0.5, max_capacity=4
    ),
    storage_encrypted=True,
    kms_key_id=phi_key.arn,
    backup_retention_period=30,
    db_subnet_group_name=db_subnets.name,
    vpc_security_group_ids=[db_sg.id],
    skip_final_snapshot=True,
    tags=tags,
)
aws.rds.ClusterInstance(
    "analytics-instance-1",
    cluster_identifier=analytics.id,
    engine="aurora-postgresql",
    # defect: aurora-serverless-v2-valid (a db.serverless instance needs its cluster in engine mode "provisioned")
    instance_class="db.serverless",
    publicly_accessible=False,
    tags=tags,
)

# --------------------------------------------------------------------------------------------------
# Secrets
# --------------------------------------------------------------------------------------------------
db_secret = aws.secretsmanager.Secret(
    "db-credentials",
    description="Patient database credentials",
    # defect: secret-encrypted-with-cmk (kms_key_id is not set: the AWS-managed key is used)
    tags=tags,
)
aws.secretsmanager.SecretVersion(
    "db-credentials-value",
    secret_id=db_secret.id,
    secret_string=pulumi.Output.json_dumps(
        {"username": "admin", "password": db_password.result, "host": database.address}
    ),
)

# --------------------------------------------------------------------------------------------------
# Redis
# --------------------------------------------------------------------------------------------------
redis_auth_token = random.RandomPassword("redis-auth-token", length=32, special=True)  # no override_special
cache_subnets = aws.elasticache.SubnetGroup(
    "cache-subnets", description="Session cache", subnet_ids=network.private_subnet_ids, tags=tags
)
aws.elasticache.ReplicationGroup(
    "sessions-cache",
    replication_group_id=f"{prefix}-sessions",
    description="Patient-portal sessions",
    engine="redis",
    engine_version="7.1",
    node_type="cache.t4g.small",
    num_cache_clusters=2,
    automatic_failover_enabled=True,
    subnet_group_name=cache_subnets.name,
    security_group_ids=[cache_sg.id],
    # defect: elasticache-at-rest-encryption (at_rest_encryption_enabled is not set)
    # defect: elasticache-transit-encryption (transit_encryption_enabled is not set)
    auth_token=redis_auth_token.result,  # defect: elasticache-auth-token-valid (default specials, no TLS; seed 000)
    tags=tags,
)

# --------------------------------------------------------------------------------------------------
# Logs, audit stream, export bucket
# --------------------------------------------------------------------------------------------------
app_logs = aws.cloudwatch.LogGroup(
    "app-logs",
    name=f"/ecs/{prefix}/patient-portal",
    # defect: log-group-encrypted (kms_key_id is not set)
    # defect: log-group-retention (retention_in_days is not set: logs are kept forever, unreviewed)
    tags=tags,
)
aws.cloudwatch.LogGroup(
    "audit-logs",
    name=f"/{prefix}/audit",
    kms_key_id=audit_key.arn,  # defect: log-group-kms-key-allows-logs (audit-key's policy has no logs principal)
    retention_in_days=365,
    tags=tags,
)
audit_stream = aws.kinesis.Stream(
    "audit-stream",
    name=f"{prefix}-audit-events",
    shard_count=1,
    retention_period=168,
    # defect: kinesis-stream-encrypted (encryption_type is not set)
    tags=tags,
)
# defect: s3-bucket-encrypted, s3-public-access-blocked (no encryption configuration, no public access block)
aws.s3.Bucket("phi-exports", bucket_prefix=f"{prefix}-phi-exports-", tags=tags)

# --------------------------------------------------------------------------------------------------
# Load balancer
# --------------------------------------------------------------------------------------------------
alb = aws.lb.LoadBalancer(
    "portal-alb",
    name=f"{prefix}-portal",
    load_balancer_type="application",
    subnets=network.public_subnet_ids,
    security_groups=[alb_sg.id],
    drop_invalid_header_fields=True,
    tags=tags,
)
target_group = aws.lb.TargetGroup(
    "portal-tg",
    name=f"{prefix}-portal",
    port=80,
    protocol="HTTP",
    target_type="ip",
    vpc_id=network.vpc_id,
    health_check=aws.lb.TargetGroupHealthCheckArgs(path="/"),
    tags=tags,
)
https_listener = aws.lb.Listener(
    "portal-https",
    load_balancer_arn=alb.arn,
    port=443,  # defect: lb-security-group-allows-listener-port (alb-sg admits only 80)
    protocol="HTTPS",
    ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06",
    # defect: alb-https-real-certificate, no-placeholder-account-ids (seed 002)
    certificate_arn="arn:aws:acm:ap-southeast-1:123456789012:certificate/placeholder",
    default_actions=[aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=target_group.arn)],
    tags=tags,
)
aws.lb.Listener(
    "portal-http",
    load_balancer_arn=alb.arn,
    port=80,
    protocol="HTTP",
    # defect: alb-http-redirects-to-https (advisory: serves PHI over plain HTTP instead of redirecting)
    default_actions=[aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=target_group.arn)],
    tags=tags,
)

# --------------------------------------------------------------------------------------------------
# ECS
# --------------------------------------------------------------------------------------------------
cluster = aws.ecs.Cluster(
    "portal-cluster",
    name=f"{prefix}-portal",
    settings=[aws.ecs.ClusterSettingArgs(name="containerInsights", value="enabled")],
    service_connect_defaults=aws.ecs.ClusterServiceConnectDefaultsArgs(
        namespace="healthcare.local",  # defect: ecs-service-connect-namespace-arn (a DNS name, not an ARN; seed 001)
    ),
    tags=tags,
)
execution_role = aws.iam.Role("portal-execution-role", assume_role_policy=ecs_tasks_trust_policy(), tags=tags)
# The managed policy covers image pulls and logs, not secretsmanager:GetSecretValue.
aws.iam.RolePolicyAttachment(
    "portal-execution-managed",
    role=execution_role.name,
    policy_arn="arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
)
# defect: ecs-execution-role-can-read-secrets (the execution role cannot read db-credentials)
task_definition = aws.ecs.TaskDefinition(
    "portal-task",
    family=f"{prefix}-portal",
    requires_compatibilities=["FARGATE"],
    network_mode="awsvpc",
    cpu="512",
    memory="1024",
    execution_role_arn=execution_role.arn,
    container_definitions=pulumi.Output.json_dumps(
        [
            {
                "name": "portal",
                "image": "public.ecr.aws/nginx/nginx:stable",
                "essential": True,
                "portMappings": [{"containerPort": 80, "protocol": "tcp"}],
                "environment": [
                    {"name": "DB_HOST", "value": database.address},
                    # defect: ecs-no-plaintext-secrets (a literal password in the environment; fake value)
                    {"name": "DB_PASSWORD", "value": "FAKE-not-a-real-password"},
                ],
                "secrets": [{"name": "DB_CREDENTIALS", "valueFrom": db_secret.arn}],
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
aws.ecs.Service(
    "portal-service",
    name="patient-portal",
    cluster=cluster.arn,
    task_definition=task_definition.arn,
    launch_type="FARGATE",
    desired_count=2,
    network_configuration=aws.ecs.ServiceNetworkConfigurationArgs(
        subnets=network.private_subnet_ids,
        security_groups=[app_sg.id],
        assign_public_ip=True,  # defect: ecs-no-public-ip
    ),
    load_balancers=[
        aws.ecs.ServiceLoadBalancerArgs(target_group_arn=target_group.arn, container_name="portal", container_port=80)
    ],
    tags=tags,
    opts=pulumi.ResourceOptions(depends_on=[https_listener]),
)

# --------------------------------------------------------------------------------------------------
# Lambda: forwards audit events
# --------------------------------------------------------------------------------------------------
FORWARDER_SOURCE = """\
def handler(event, context):
    return {"records": len(event.get("Records", []))}
"""

forwarder_role = aws.iam.Role(
    "audit-forwarder-role",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    ),
    tags=tags,
)
aws.iam.RolePolicyAttachment(
    "audit-forwarder-basic",
    role=forwarder_role.name,
    policy_arn="arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
)
aws.lambda_.Function(
    "audit-forwarder",
    role=forwarder_role.arn,
    runtime="python3.7",  # defect: lambda-runtime-supported (deprecated: functions can no longer be created)
    handler="index.handler",
    code=pulumi.AssetArchive({"index.py": pulumi.StringAsset(FORWARDER_SOURCE)}),
    environment=aws.lambda_.FunctionEnvironmentArgs(
        variables={
            "AUDIT_STREAM": audit_stream.name,
            "AWS_REGION": region,  # defect: lambda-reserved-env-vars (set by Lambda itself)
        }
    ),
    tags=tags,
)

pulumi.export("albDnsName", alb.dns_name)

# --------------------------------------------------------------------------------------------------
# HIPAA conformance II (issue 10): defects of the network, identity, audit-logging, backup and S3 rules
# --------------------------------------------------------------------------------------------------
# defect: elb-tls-https-listeners-only (plain HTTP), elb-cross-zone-load-balancing-enabled, elb-logging-enabled
aws.elb.LoadBalancer(
    "legacy-elb",
    subnets=network.public_subnet_ids,
    listeners=[aws.elb.LoadBalancerListenerArgs(lb_port=80, lb_protocol="http", instance_port=8080,
                                                instance_protocol="http")],
    cross_zone_load_balancing=False,
    tags=tags,
)
# defect: security-group-no-public-data-ports (FTP, restricted-common-ports), vpc-sg-open-only-to-authorized-ports
aws.vpc.SecurityGroupIngressRule(
    "ftp-from-anywhere", security_group_id=app_sg.id, ip_protocol="tcp", from_port=21, to_port=21,
    cidr_ipv4="0.0.0.0/0",
)
# defect: api-gw-execution-logging-enabled (no method settings), api-gw-associated-with-waf, api-gw-ssl-enabled
portal_api = aws.apigateway.RestApi("portal-api", name=f"{prefix}-portal-api")
api_root = aws.apigateway.Method(
    "portal-api-any", rest_api=portal_api.id, resource_id=portal_api.root_resource_id, http_method="ANY",
    authorization="NONE",
)
backend = aws.apigateway.Integration(
    "portal-api-backend", rest_api=portal_api.id, resource_id=portal_api.root_resource_id, http_method="ANY",
    type="HTTP_PROXY", integration_http_method="ANY", uri="https://backend.example.com",
    opts=pulumi.ResourceOptions(depends_on=[api_root]),
)
api_deployment = aws.apigateway.Deployment(
    "portal-api-deployment", rest_api=portal_api.id, opts=pulumi.ResourceOptions(depends_on=[backend])
)
aws.apigateway.Stage("portal-api-prod", rest_api=portal_api.id, deployment=api_deployment.id, stage_name="prod")
# defect: cloud-trail-encryption-enabled, cloud-trail-log-file-validation-enabled,
# cloud-trail-cloud-watch-logs-enabled (an S3-only trail with SSE-S3 and no digest files)
aws.cloudtrail.Trail("audit-trail", s3_bucket_name=f"{prefix}-trail-logs", tags=tags)
# defect: cloudwatch-alarm-action-check (nobody is notified)
aws.cloudwatch.MetricAlarm(
    "db-cpu-high", namespace="AWS/RDS", metric_name="CPUUtilization", statistic="Average", period=300,
    evaluation_periods=2, threshold=80, comparison_operator="GreaterThanThreshold",
    dimensions={"DBInstanceIdentifier": database.identifier},
)
# defect: backup-plan-min-frequency-and-min-retention-check (weekly, kept 7 days),
# backup-recovery-point-manual-deletion-disabled (the vault has no policy or lock)
vault = aws.backup.Vault("phi-vault", name=f"{prefix}-phi", kms_key_arn=phi_key.arn, tags=tags)
weekly = aws.backup.Plan(
    "phi-backup",
    name=f"{prefix}-phi",
    rules=[aws.backup.PlanRuleArgs(rule_name="weekly", target_vault_name=vault.name,
                                   schedule="cron(0 5 ? * SUN *)",
                                   lifecycle=aws.backup.PlanRuleLifecycleArgs(delete_after=7))],
)
# defect: iam-policy-no-statements-with-admin-access, iam-customer-policy-blocked-kms-actions
aws.iam.Policy("ops-admin", policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
# defect: iam-no-inline-policy-check, iam-inline-policy-blocked-kms-actions,
# iam-policy-no-statements-with-full-access (on the attached managed policy)
aws.iam.RolePolicy("portal-execution-decrypt", role=execution_role.name, policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": "*"}]}))
exports_full = aws.iam.Policy("exports-full-access", policy=json.dumps({"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::hc-exports/*"}]}))
# defect: iam-user-no-policies-check (a policy attached to a user, not a group)
analyst = aws.iam.User("analyst", name=f"{prefix}-analyst", tags=tags)
aws.iam.UserPolicyAttachment("analyst-exports", user=analyst.name, policy_arn=exports_full.arn)
# defect: s3-bucket-acl-prohibited (a public-read ACL), and no TLS-only policy, logging or versioning
reports = aws.s3.Bucket("public-reports", bucket_prefix=f"{prefix}-reports-", tags=tags)
aws.s3.BucketOwnershipControls(
    "public-reports-ownership", bucket=reports.id,
    rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerPreferred"),
)
aws.s3.BucketAcl("public-reports-acl", bucket=reports.id, acl="public-read")
# defect: subnet-auto-assign-public-ip-disabled (every instance here gets a public IP)
aws.ec2.Subnet(
    "bastion-subnet", vpc_id=network.vpc_id, cidr_block="10.40.20.0/24", map_public_ip_on_launch=True, tags=tags
)
# defect: wafv2-logging-enabled (a web ACL with no logging configuration)
aws.wafv2.WebAcl(
    "portal-waf",
    scope="REGIONAL",
    default_action=aws.wafv2.WebAclDefaultActionArgs(allow=aws.wafv2.WebAclDefaultActionAllowArgs()),
    visibility_config=aws.wafv2.WebAclVisibilityConfigArgs(
        cloudwatch_metrics_enabled=True, metric_name="portal-waf", sampled_requests_enabled=True),
    tags=tags,
)

# ==================================================================================================
# Issue 9 (AWS Config HIPAA conformance pack, data stores and compute): one or more defects per service.
# defect: dynamodb-in-backup-plan, ebs-in-backup-plan, ec2-resources-protected-by-backup-plan, efs-in-backup-plan
# (visits, scratch, bastion and scans below: no backup selection of the stack selects them)
# The conformance rules also fail resources above, which are left unmarked there to keep this block
# self-contained: sessions-cache (elasticache-redis-cluster-automatic-backup-check: no snapshots),
# patients-db and analytics-cluster (rds-logging-enabled: no log exports), patients-db and
# analytics-instance-1 (rds-enhanced-monitoring-enabled), patients-db (rds-instance-deletion-protection-
# enabled), analytics-cluster (rds-cluster-deletion-protection-enabled), portal-task
# (ecs-containers-readonly-access) and db-credentials (secretsmanager-rotation-enabled-check).
# ==================================================================================================
aws.dynamodb.Table(
    "visits",
    name=f"{prefix}-visits",
    hash_key="visitId",
    attributes=[aws.dynamodb.TableAttributeArgs(name="visitId", type="S")],
    read_capacity=5,  # defect: dynamodb-autoscaling-enabled (provisioned capacity with no auto scaling)
    write_capacity=5,
    # defect: dynamodb-pitr-enabled (no point_in_time_recovery: no restore after a bad write)
    tags=tags,
)

bastion_role = aws.iam.Role(
    "bastion",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    ),
    tags=tags,
)
aws.ec2.Instance(
    "bastion",
    ami="ami-0c02fb55956c7d316",
    instance_type="t3.micro",
    # defect: ec2-instances-in-vpc, ec2-instance-no-public-ip (no subnet: the default VPC's public subnet)
    # defect: ec2-imdsv2-check (metadata_options unset: IMDSv1 stays available)
    # defect: ec2-instance-profile-attached (no iam_instance_profile: keys end up on the host)
    # defect: encrypted-volumes (root_block_device unset: an unencrypted root volume)
    tags=tags,
)
aws.ebs.Volume(
    "scratch",
    availability_zone=pulumi.Output.concat(region, "a"),
    size=100,
    # defect: encrypted-volumes (encrypted unset and no EBS encryption by default in the stack)
    tags=tags,
)
worker_config = aws.ec2.LaunchConfiguration(
    "workers",
    image_id="ami-0c02fb55956c7d316",
    instance_type="t3.small",
    associate_public_ip_address=True,  # defect: autoscaling-launch-config-public-ip-disabled (public workers)
)
aws.autoscaling.Group(
    "workers",
    launch_configuration=worker_config.name,
    min_size=1,
    max_size=3,
    vpc_zone_identifiers=network.private_subnet_ids,
    target_group_arns=[target_group.arn],
    # defect: autoscaling-group-elb-healthcheck-required (health_check_type unset: EC2 checks only)
)

aws.ecs.TaskDefinition(
    "log-agent",
    family=f"{prefix}-log-agent",
    network_mode="host",
    requires_compatibilities=["EC2"],
    container_definitions=json.dumps(
        [
            {
                "name": "agent",
                "image": "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
                "memory": 128,
                "essential": True,
                "readonlyRootFilesystem": True,
                # defect: ecs-task-definition-user-for-host-mode-check (no user: root on the host network)
            }
        ]
    ),
    tags=tags,
)

aws.efs.FileSystem(
    "scans",
    creation_token=f"{prefix}-scans",
    # defect: efs-encrypted-check (encrypted unset: scanned documents stored unencrypted)
    tags=tags,
)

intake_app = aws.elasticbeanstalk.Application("intake", name=f"{prefix}-intake", tags=tags)
aws.elasticbeanstalk.Environment(
    "intake",
    application=intake_app.name,
    solution_stack_name="64bit Amazon Linux 2023 v4.3.0 running Python 3.11",
    settings=[
        aws.elasticbeanstalk.EnvironmentSettingArgs(
            namespace="aws:ec2:vpc", name="Subnets", value=network.private_subnet_ids[0]
        ),
    ],
    # defect: elastic-beanstalk-managed-updates-enabled (managed platform updates not enabled)
    tags=tags,
)

aws.opensearch.Domain(
    "patient-search",
    domain_name=f"{prefix}-search"[:28],
    engine_version="OpenSearch_2.13",
    cluster_config=aws.opensearch.DomainClusterConfigArgs(instance_type="r6g.large.search", instance_count=1),
    ebs_options=aws.opensearch.DomainEbsOptionsArgs(ebs_enabled=True, volume_size=20),
    # defect: opensearch-in-vpc-only (no vpc_options: a public endpoint)
    # defect: opensearch-encrypted-at-rest, opensearch-node-to-node-encryption-check (neither is enabled)
    # defect: opensearch-https-required (no domain_endpoint_options: plain HTTP accepted)
    # defect: opensearch-logs-to-cloudwatch (no log_publishing_options)
    tags=tags,
)

emr_role = aws.iam.Role(
    "emr-service",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "elasticmapreduce.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    ),
    tags=tags,
)
aws.emr.Cluster(
    "claims-etl",
    name=f"{prefix}-claims-etl",
    release_label="emr-7.1.0",
    applications=["Spark"],
    service_role=emr_role.arn,
    ec2_attributes=aws.emr.ClusterEc2AttributesArgs(
        subnet_id=network.public_subnet_ids[0],  # defect: emr-master-no-public-ip (a subnet routed to the IGW)
        instance_profile=bastion_role.name,
    ),
    master_instance_group=aws.emr.ClusterMasterInstanceGroupArgs(instance_type="m5.xlarge"),
    core_instance_group=aws.emr.ClusterCoreInstanceGroupArgs(instance_type="m5.xlarge", instance_count=2),
    # defect: emr-kerberos-enabled (no security_configuration / kerberos_attributes)
    tags=tags,
)

intake_role = aws.iam.Role(
    "intake-function",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    ),
    tags=tags,
)
intake_function = aws.lambda_.Function(
    "intake-function",
    role=intake_role.arn,
    runtime="python3.12",
    handler="index.handler",
    code=pulumi.AssetArchive({"index.py": pulumi.StringAsset("def handler(event, context):\n    return {}\n")}),
    tags=tags,
)
aws.lambda_.FunctionUrl("intake-url", function_name=intake_function.name, authorization_type="NONE")
aws.lambda_.Permission(
    "intake-public-url",
    action="lambda:InvokeFunctionUrl",
    function=intake_function.name,
    principal="*",  # defect: lambda-function-public-access-prohibited (anyone on the internet can invoke it)
    function_url_auth_type="NONE",
)

aws.rds.Snapshot(
    "patients-db-export",
    db_instance_identifier=database.identifier,
    db_snapshot_identifier=f"{prefix}-patients-export",
    shared_accounts=["all"],  # defect: rds-snapshots-public-prohibited (a public copy of the patient database)
)

warehouse_params = aws.redshift.ParameterGroup(
    "warehouse-params",
    name=f"{prefix}-warehouse",
    family="redshift-1.0",
    parameters=[
        # defect: redshift-require-tls-ssl (plaintext connections allowed)
        aws.redshift.ParameterGroupParameterArgs(name="require_ssl", value="false"),
    ],
)
aws.redshift.Cluster(
    "warehouse",
    cluster_identifier=f"{prefix}-warehouse",
    node_type="ra3.xlplus",
    number_of_nodes=2,
    database_name="claims",
    master_username="warehouse_admin",
    manage_master_password=True,
    cluster_parameter_group_name=warehouse_params.name,
    publicly_accessible=True,  # defect: redshift-cluster-public-access-check (a public endpoint)
    automated_snapshot_retention_period=0,  # defect: redshift-backup-enabled (automated snapshots off)
    allow_version_upgrade=False,  # defect: redshift-cluster-maintenancesettings-check (no engine patches)
    skip_final_snapshot=True,
    # defect: redshift-cluster-configuration-check (no aws.redshift.Logging: no audit log)
    tags=tags,
)

notebook_role = aws.iam.Role(
    "notebook",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    ),
    tags=tags,
)
aws.sagemaker.NotebookInstance(
    "research-notebook",
    instance_type="ml.t3.medium",
    role_arn=notebook_role.arn,
    # defect: sagemaker-notebook-no-direct-internet-access (direct_internet_access unset: Enabled)
    # defect: sagemaker-notebook-instance-kms-key-configured (no kms_key_id)
    tags=tags,
)
aws.sagemaker.EndpointConfiguration(
    "triage-endpoint",
    production_variants=[
        aws.sagemaker.EndpointConfigurationProductionVariantArgs(
            variant_name="primary", model_name=f"{prefix}-triage", instance_type="ml.m5.xlarge", initial_instance_count=1
        )
    ],
    # defect: sagemaker-endpoint-configuration-kms-key-configured (no kms_key_arn; ml.m5 has no local NVMe)
    tags=tags,
)

aws.dms.ReplicationInstance(
    "legacy-migration",
    replication_instance_id=f"{prefix}-legacy-migration",
    replication_instance_class="dms.t3.medium",
    allocated_storage=50,
    publicly_accessible=True,  # defect: dms-replication-not-public (the instance reading PHI is internet-facing)
    tags=tags,
)

build_role = aws.iam.Role(
    "portal-build",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "codebuild.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    ),
    tags=tags,
)
aws.codebuild.Project(
    "portal-build",
    name=f"{prefix}-portal-build",
    service_role=build_role.arn,
    artifacts=aws.codebuild.ProjectArtifactsArgs(type="NO_ARTIFACTS"),
    environment=aws.codebuild.ProjectEnvironmentArgs(
        compute_type="BUILD_GENERAL1_SMALL",
        image="aws/codebuild/standard:7.0",
        type="LINUX_CONTAINER",
        environment_variables=[
            aws.codebuild.ProjectEnvironmentEnvironmentVariableArgs(
                name="AWS_SECRET_ACCESS_KEY",  # defect: codebuild-project-envvar-awscred-check (a plaintext key)
                value="wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            )
        ],
    ),
    source=aws.codebuild.ProjectSourceArgs(
        type="GITHUB",
        # defect: codebuild-project-source-repo-url-check (a token in the repository URL)
        location="https://ci-bot:ghp_EXAMPLEexampleEXAMPLE0000@github.com/example-org/portal.git",
    ),
    tags=tags,
)

aws.sns.Topic("ops-alerts", tags=tags)  # defect: sns-encrypted-kms (no kms_master_key_id)

aws.ssm.Document(
    "patch-runbook",
    name=f"{prefix}-patch-runbook",
    document_type="Command",
    content=json.dumps({"schemaVersion": "2.2", "description": "Patch", "mainSteps": []}),
    permissions={"type": "Share", "account_ids": "All"},  # defect: ssm-document-not-public (shared with everyone)
    tags=tags,
)
