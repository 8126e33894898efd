"""TapStack: ECS Fargate patient portal in front of an Aurora PostgreSQL Serverless v2 cluster.

HIPAA controls: KMS CMKs everywhere, TLS at the ALB, private subnets, audit logs kept for a year.
"""
import json
from typing import Optional

import pulumi
import pulumi_aws as aws
import pulumi_random as random
from pulumi import Output, ResourceOptions


class TapStackArgs:
    def __init__(self, environment_suffix: Optional[str] = None, domain_name: str = "portal.example.org",
                 tags: Optional[dict] = None):
        self.environment_suffix = environment_suffix or "dev"
        self.domain_name = domain_name
        self.tags = tags or {}


class TapStack(pulumi.ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: Optional[ResourceOptions] = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        suffix = args.environment_suffix
        self.tags = {"Environment": suffix, "Compliance": "HIPAA", "Project": "patient-portal", **args.tags}
        current = aws.get_caller_identity()
        region = aws.get_region()

        # ---------------- KMS ----------------
        key_policy = aws.iam.get_policy_document(statements=[
            aws.iam.GetPolicyDocumentStatementArgs(
                sid="EnableRootPermissions",
                effect="Allow",
                principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(
                    type="AWS", identifiers=[f"arn:aws:iam::{current.account_id}:root"])],
                actions=["kms:*"],
                resources=["*"],
            ),
            aws.iam.GetPolicyDocumentStatementArgs(
                sid="AllowCloudWatchLogs",
                effect="Allow",
                principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(
                    type="Service", identifiers=[f"logs.{region.name}.amazonaws.com"])],
                actions=["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                         "kms:Describe*"],
                resources=["*"],
                conditions=[aws.iam.GetPolicyDocumentStatementConditionArgs(
                    test="ArnLike", variable="kms:EncryptionContext:aws:logs:arn",
                    values=[f"arn:aws:logs:{region.name}:{current.account_id}:*"])],
            ),
        ])
        self.kms_key = aws.kms.Key(
            f"portal-key-{suffix}",
            description="CMK for patient portal PHI",
            enable_key_rotation=True,
            deletion_window_in_days=30,
            policy=key_policy.json,
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )
        self.kms_alias = aws.kms.Alias(
            f"portal-key-alias-{suffix}",
            name=f"alias/patient-portal-{suffix}",
            target_key_id=self.kms_key.key_id,
            opts=ResourceOptions(parent=self),
        )

        # ---------------- Network ----------------
        azs = aws.get_availability_zones(state="available")
        self.vpc = aws.ec2.Vpc(
            f"portal-vpc-{suffix}",
            cidr_block="10.20.0.0/16",
            enable_dns_hostnames=True,
            enable_dns_support=True,
            tags={**self.tags, "Name": f"portal-vpc-{suffix}"},
            opts=ResourceOptions(parent=self),
        )
        igw = aws.ec2.InternetGateway(f"portal-igw-{suffix}", vpc_id=self.vpc.id,
                                      opts=ResourceOptions(parent=self.vpc))
        self.public_subnets = []
        self.private_subnets = []
        for i in range(2):
            self.public_subnets.append(aws.ec2.Subnet(
                f"portal-public-{i}-{suffix}",
                vpc_id=self.vpc.id,
                cidr_block=f"10.20.{i}.0/24",
                availability_zone=azs.names[i],
                map_public_ip_on_launch=False,
                tags={**self.tags, "Tier": "public"},
                opts=ResourceOptions(parent=self.vpc),
            ))
            self.private_subnets.append(aws.ec2.Subnet(
                f"portal-private-{i}-{suffix}",
                vpc_id=self.vpc.id,
                cidr_block=f"10.20.{10 + i}.0/24",
                availability_zone=azs.names[i],
                tags={**self.tags, "Tier": "private"},
                opts=ResourceOptions(parent=self.vpc),
            ))
        public_rt = aws.ec2.RouteTable(
            f"portal-public-rt-{suffix}", vpc_id=self.vpc.id,
            routes=[aws.ec2.RouteTableRouteArgs(cidr_block="0.0.0.0/0", gateway_id=igw.id)],
            opts=ResourceOptions(parent=self.vpc))
        for i, subnet in enumerate(self.public_subnets):
            aws.ec2.RouteTableAssociation(f"portal-public-rta-{i}-{suffix}", subnet_id=subnet.id,
                                          route_table_id=public_rt.id, opts=ResourceOptions(parent=self.vpc))

        # ---------------- Security groups: egress only, ingress as separate rules ----------------
        self.alb_sg = aws.ec2.SecurityGroup(
            f"portal-alb-sg-{suffix}",
            vpc_id=self.vpc.id,
            description="ALB security group",
            egress=[aws.ec2.SecurityGroupEgressArgs(protocol="-1", from_port=0, to_port=0,
                                                    cidr_blocks=["0.0.0.0/0"])],
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )
        aws.ec2.SecurityGroupRule(
            f"portal-alb-https-in-{suffix}",
            type="ingress", protocol="tcp", from_port=443, to_port=443,
            cidr_blocks=["0.0.0.0/0"], security_group_id=self.alb_sg.id,
            description="HTTPS from the internet",
            opts=ResourceOptions(parent=self.alb_sg),
        )
        aws.ec2.SecurityGroupRule(
            f"portal-alb-http-in-{suffix}",
            type="ingress", protocol="tcp", from_port=80, to_port=80,
            cidr_blocks=["0.0.0.0/0"], security_group_id=self.alb_sg.id,
            description="HTTP from the internet, redirected to HTTPS",
            opts=ResourceOptions(parent=self.alb_sg),
        )
        self.app_sg = aws.ec2.SecurityGroup(
            f"portal-app-sg-{suffix}",
            vpc_id=self.vpc.id,
            description="ECS tasks",
            egress=[{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}],
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )
        aws.ec2.SecurityGroupRule(
            f"portal-app-from-alb-{suffix}",
            type="ingress", protocol="tcp", from_port=8080, to_port=8080,
            source_security_group_id=self.alb_sg.id, security_group_id=self.app_sg.id,
            opts=ResourceOptions(parent=self.app_sg),
        )
        self.db_sg = aws.ec2.SecurityGroup(
            f"portal-db-sg-{suffix}",
            vpc_id=self.vpc.id,
            description="Aurora PostgreSQL",
            egress=[aws.ec2.SecurityGroupEgressArgs(protocol="-1", from_port=0, to_port=0,
                                                    cidr_blocks=[self.vpc.cidr_block])],
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )
        aws.ec2.SecurityGroupRule(
            f"portal-db-from-app-{suffix}",
            type="ingress", protocol="tcp", from_port=5432, to_port=5432,
            source_security_group_id=self.app_sg.id, security_group_id=self.db_sg.id,
            opts=ResourceOptions(parent=self.db_sg),
        )

        # ---------------- Aurora PostgreSQL Serverless v2 ----------------
        self.db_password = random.RandomPassword(
            f"portal-db-password-{suffix}", length=32, special=True, override_special="!#$%^&*()-_=+[]{}<>:?",
            opts=ResourceOptions(parent=self))
        self.db_secret = aws.secretsmanager.Secret(
            f"portal-db-secret-{suffix}",
            # defect: secretsmanager-rotation-enabled-check (no SecretRotation: the value never rotates)
            name=f"patient-portal/{suffix}/db",
            kms_key_id=self.kms_key.arn,
            recovery_window_in_days=7,
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )
        subnet_group = aws.rds.SubnetGroup(
            f"portal-db-subnets-{suffix}",
            subnet_ids=[s.id for s in self.private_subnets],
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )
        cluster_params = aws.rds.ClusterParameterGroup(
            f"portal-aurora-params-{suffix}",
            family="aurora-postgresql15",
            parameters=[
                aws.rds.ClusterParameterGroupParameterArgs(name="rds.force_ssl", value="1"),
                aws.rds.ClusterParameterGroupParameterArgs(name="log_connections", value="1"),
            ],
            opts=ResourceOptions(parent=self),
        )
        self.db_cluster = aws.rds.Cluster(
            f"portal-aurora-{suffix}",
            cluster_identifier=f"patient-portal-aurora-{suffix}",
            engine="aurora-postgresql",
            engine_mode="provisioned",
            engine_version="15.4",
            database_name="portal",
            master_username="portal_admin",
            master_password=self.db_password.result,
            db_subnet_group_name=subnet_group.name,
            db_cluster_parameter_group_name=cluster_params.name,
            vpc_security_group_ids=[self.db_sg.id],
            storage_encrypted=True,
            kms_key_id=self.kms_key.arn,
            backup_retention_period=35,
            preferred_backup_window="03:00-04:00",
            copy_tags_to_snapshot=True,
            deletion_protection=True,
            skip_final_snapshot=False,
            final_snapshot_identifier=f"patient-portal-final-{suffix}",
            enabled_cloudwatch_logs_exports=["postgresql"],
            serverlessv2_scaling_configuration=aws.rds.ClusterServerlessv2ScalingConfigurationArgs(
                min_capacity=0.5, max_capacity=16),
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )
        self.db_instances = [
            aws.rds.ClusterInstance(
                # defect: rds-enhanced-monitoring-enabled (monitoring_interval unset: no Enhanced Monitoring)
                f"portal-aurora-instance-{i}-{suffix}",
                cluster_identifier=self.db_cluster.id,
                instance_class="db.serverless",
                engine=self.db_cluster.engine,
                engine_version=self.db_cluster.engine_version,
                publicly_accessible=False,
                performance_insights_enabled=True,
                performance_insights_kms_key_id=self.kms_key.arn,
                opts=ResourceOptions(parent=self.db_cluster),
            )
            for i in range(2)
        ]
        self.db_secret_version = aws.secretsmanager.SecretVersion(
            f"portal-db-secret-version-{suffix}",
            secret_id=self.db_secret.id,
            secret_string=Output.all(self.db_cluster.endpoint, self.db_password.result).apply(
                lambda args: json.dumps({"username": "portal_admin", "password": args[1], "host": args[0],
                                         "port": 5432, "dbname": "portal"})),
            opts=ResourceOptions(parent=self.db_secret),
        )

        # ---------------- TLS ----------------
        self.certificate = aws.acm.Certificate(
            f"portal-cert-{suffix}",
            domain_name=args.domain_name,
            validation_method="DNS",
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )
        zone = aws.route53.get_zone(name="example-health.org", private_zone=False)
        validation_record = aws.route53.Record(
            f"portal-cert-validation-{suffix}",
            zone_id=zone.zone_id,
            name=self.certificate.domain_validation_options[0].resource_record_name,
            type=self.certificate.domain_validation_options[0].resource_record_type,
            records=[self.certificate.domain_validation_options[0].resource_record_value],
            ttl=60,
            opts=ResourceOptions(parent=self.certificate),
        )
        self.cert_validation = aws.acm.CertificateValidation(
            f"portal-cert-validated-{suffix}",
            certificate_arn=self.certificate.arn,
            validation_record_fqdns=[validation_record.fqdn],
            opts=ResourceOptions(parent=self.certificate),
        )

        # ---------------- ALB access logs (ELB writes only to SSE-S3 buckets) ----------------
        self.alb_logs_bucket = aws.s3.BucketV2(
            f"portal-alb-logs-{suffix}",
            bucket=f"patient-portal-alb-logs-{suffix}-{current.account_id}",
            force_destroy=True,
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )
        aws.s3.BucketServerSideEncryptionConfigurationV2(
            f"portal-alb-logs-sse-{suffix}",
            bucket=self.alb_logs_bucket.id,
            rules=[aws.s3.BucketServerSideEncryptionConfigurationV2RuleArgs(
                apply_server_side_encryption_by_default=aws.s3.
                BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs(
                    sse_algorithm="AES256"))],
            opts=ResourceOptions(parent=self.alb_logs_bucket),
        )
        aws.s3.BucketPublicAccessBlock(
            f"portal-alb-logs-pab-{suffix}",
            bucket=self.alb_logs_bucket.id,
            block_public_acls=True, block_public_policy=True, ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=ResourceOptions(parent=self.alb_logs_bucket),
        )
        elb_account = aws.elb.get_service_account()
        aws.s3.BucketPolicy(
            f"portal-alb-logs-policy-{suffix}",
            bucket=self.alb_logs_bucket.id,
            policy=pulumi.Output.all(self.alb_logs_bucket.arn, elb_account.arn).apply(lambda a: json.dumps({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"AWS": a[1]}, "Action": "s3:PutObject",
                               "Resource": f"{a[0]}/alb/AWSLogs/*"}],
            })),
            opts=ResourceOptions(parent=self.alb_logs_bucket),
        )

        # ---------------- ALB ----------------
        self.alb = aws.lb.LoadBalancer(
            f"portal-alb-{suffix}",
            internal=False,
            load_balancer_type="application",
            security_groups=[self.alb_sg.id],
            subnets=[s.id for s in self.public_subnets],
            drop_invalid_header_fields=True,
            access_logs=aws.lb.LoadBalancerAccessLogsArgs(bucket=self.alb_logs_bucket.bucket, prefix="alb",
                                                          enabled=True),
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )
        self.target_group = aws.lb.TargetGroup(
            f"portal-tg-{suffix}",
            port=8080,
            protocol="HTTP",
            target_type="ip",
            vpc_id=self.vpc.id,
            health_check=aws.lb.TargetGroupHealthCheckArgs(path="/health", matcher="200"),
            opts=ResourceOptions(parent=self.alb),
        )
        aws.lb.Listener(
            f"portal-https-{suffix}",
            load_balancer_arn=self.alb.arn,
            port=443,
            protocol="HTTPS",
            ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06",
            certificate_arn=self.cert_validation.certificate_arn,
            default_actions=[aws.lb.ListenerDefaultActionArgs(type="forward",
                                                              target_group_arn=self.target_group.arn)],
            opts=ResourceOptions(parent=self.alb),
        )
        aws.lb.Listener(
            f"portal-http-{suffix}",
            load_balancer_arn=self.alb.arn,
            port=80,
            protocol="HTTP",
            default_actions=[{
                "type": "redirect",
                "redirect": {"port": "443", "protocol": "HTTPS", "status_code": "HTTP_301"},
            }],
            opts=ResourceOptions(parent=self.alb),
        )

        # ---------------- ECS ----------------
        self.log_group = aws.cloudwatch.LogGroup(
            f"portal-app-logs-{suffix}",
            name=f"/ecs/patient-portal-{suffix}",
            retention_in_days=365,
            kms_key_id=self.kms_key.arn,
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )
        self.audit_log_group = aws.cloudwatch.LogGroup(
            f"portal-audit-logs-{suffix}",
            name=f"/patient-portal/{suffix}/audit",
            retention_in_days=14,  # defect: log-group-retention
            kms_key_id=self.kms_alias.target_key_arn,
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )
        cluster = aws.ecs.Cluster(
            f"portal-cluster-{suffix}",
            settings=[aws.ecs.ClusterSettingArgs(name="containerInsights", value="enabled")],
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )
        assume = json.dumps({
            "Version": "2012-10-17",
            "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                           "Action": "sts:AssumeRole"}],
        })
        execution_role = aws.iam.Role(
            f"portal-exec-role-{suffix}", assume_role_policy=assume, tags=self.tags,
            opts=ResourceOptions(parent=self))
        aws.iam.RolePolicyAttachment(
            f"portal-exec-managed-{suffix}", role=execution_role.name,
            policy_arn="arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
            opts=ResourceOptions(parent=execution_role))
        aws.iam.RolePolicy(
            f"portal-exec-secrets-{suffix}",
            role=execution_role.id,
            policy=Output.all(self.db_secret.arn, self.kms_key.arn).apply(lambda arns: json.dumps({
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": [arns[0]]},
                    {"Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": [arns[1]]},
                ],
            })),
            opts=ResourceOptions(parent=execution_role),
        )
        task_role = aws.iam.Role(f"portal-task-role-{suffix}", assume_role_policy=assume,
                                 opts=ResourceOptions(parent=self))
        self.task_definition = aws.ecs.TaskDefinition(
            # defect: ecs-containers-readonly-access (writable container root file system)
            f"portal-task-{suffix}",
            family=f"patient-portal-{suffix}",
            cpu="512",
            memory="1024",
            network_mode="awsvpc",
            requires_compatibilities=["FARGATE"],
            execution_role_arn=execution_role.arn,
            task_role_arn=task_role.arn,
            container_definitions=Output.json_dumps([{
                "name": "portal",
                "image": "public.ecr.aws/nginx/nginx:1.25",
                "essential": True,
                "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
                "environment": [
                    {"name": "DB_HOST", "value": self.db_cluster.endpoint},
                    {"name": "DB_SECRET_ARN", "value": self.db_secret.arn},
                    {"name": "SESSION_TOKEN_TTL", "value": "3600"},
                    {"name": "JWT_TOKEN_EXPIRY", "value": "900"},
                    {"name": "ENABLE_TOKEN_AUTH", "value": "true"},
                    {"name": "API_KEY", "value": "sk_live_51HcVfP2eZvKYlo2C"},  # defect: ecs-no-plaintext-secrets
                ],
                "secrets": [{"name": "DB_PASSWORD", "valueFrom": Output.concat(self.db_secret.arn, ":password::")}],
                "logConfiguration": {
                    "logDriver": "awslogs",
                    "options": {"awslogs-group": self.log_group.name, "awslogs-region": region.name,
                                "awslogs-stream-prefix": "portal"},
                },
            }]),
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )
        aws.ecs.Service(
            f"portal-service-{suffix}",
            cluster=cluster.arn,
            task_definition=self.task_definition.arn,
            desired_count=2,
            launch_type="FARGATE",
            network_configuration=aws.ecs.ServiceNetworkConfigurationArgs(
                subnets=[s.id for s in self.private_subnets],
                security_groups=[self.app_sg.id],
                assign_public_ip=False,
            ),
            load_balancers=[aws.ecs.ServiceLoadBalancerArgs(
                target_group_arn=self.target_group.arn, container_name="portal", container_port=8080)],
            opts=ResourceOptions(parent=self, depends_on=[self.alb]),
        )
        self.register_outputs({"alb_dns_name": self.alb.dns_name, "db_endpoint": self.db_cluster.endpoint})
