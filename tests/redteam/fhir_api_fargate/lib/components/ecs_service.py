import json

import pulumi
import pulumi_aws as aws
from pulumi import Output, ResourceOptions


class EcsServiceStack(pulumi.ComponentResource):
    def __init__(self, name, *, suffix, tags, network, kms_key, certificate_arn, opts=None):
        super().__init__("fhir:ecs:EcsServiceStack", name, None, opts)
        child = ResourceOptions(parent=self)
        region = aws.get_region()

        self.alb_sg = aws.ec2.SecurityGroup(
            f"{name}-alb-sg", vpc_id=network.vpc.id, description="FHIR ALB",
            ingress=[
                {"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"],
                 "description": "HTTPS"},
                {"protocol": "tcp", "from_port": 443, "to_port": 443, "ipv6_cidr_blocks": ["::/0"],
                 "description": "HTTPS v6"},
            ],
            egress=[{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}],
            tags=tags, opts=child)
        self.task_sg = aws.ec2.SecurityGroup(
            f"{name}-task-sg", vpc_id=network.vpc.id, description="FHIR tasks",
            egress=[{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}],
            tags=tags, opts=child)
        aws.vpc.SecurityGroupIngressRule(
            f"{name}-task-from-alb", security_group_id=self.task_sg.id,
            referenced_security_group_id=self.alb_sg.id, ip_protocol="tcp", from_port=8443, to_port=8443,
            opts=child)

        self.alb = aws.lb.LoadBalancer(
            f"{name}-alb", name=f"fhir-{suffix}", load_balancer_type="application", internal=False,
            security_groups=[self.alb_sg.id], subnets=network.public_subnet_ids,
            enable_deletion_protection=True, tags=tags, opts=child)
        self.tg = aws.lb.TargetGroup(
            f"{name}-tg", name=f"fhir-tg-{suffix}", port=8443, protocol="HTTPS", target_type="ip",
            vpc_id=network.vpc.id,
            health_check={"path": "/metadata", "protocol": "HTTPS", "healthy_threshold": 2}, opts=child)
        self.https = aws.lb.Listener(
            f"{name}-https", load_balancer_arn=self.alb.arn, port=443, protocol="HTTPS",
            ssl_policy="ELBSecurityPolicy-TLS13-1-2-Res-2021-06", certificate_arn=certificate_arn,
            default_actions=[{"type": "forward", "target_group_arn": self.tg.arn}], opts=child)
        aws.lb.Listener(
            f"{name}-http", load_balancer_arn=self.alb.arn, port=80, protocol="HTTP",
            default_actions=[aws.lb.ListenerDefaultActionArgs(
                type="redirect",
                redirect=aws.lb.ListenerDefaultActionRedirectArgs(port="443", protocol="HTTPS",
                                                                  status_code="HTTP_301"))],
            opts=child)  # defect: lb-security-group-allows-listener-port (the ALB group admits 443 only)

        self.namespace = aws.servicediscovery.PrivateDnsNamespace(
            f"{name}-ns", name=f"fhir-{suffix}.internal", vpc=network.vpc.id, opts=child)
        self.cluster = aws.ecs.Cluster(
            f"{name}-cluster", name=f"fhir-{suffix}",
            settings=[{"name": "containerInsights", "value": "enabled"}],
            service_connect_defaults={"namespace": self.namespace.arn},
            configuration=aws.ecs.ClusterConfigurationArgs(
                execute_command_configuration=aws.ecs.ClusterConfigurationExecuteCommandConfigurationArgs(
                    kms_key_id=kms_key.arn, logging="DEFAULT")),
            tags=tags, opts=child)

        self.log_group = aws.cloudwatch.LogGroup(
            f"{name}-logs", name=f"/ecs/fhir-{suffix}", retention_in_days=400, kms_key_id=kms_key.arn,
            opts=child)
        self.app_secret = aws.secretsmanager.Secret(
            # defect: secretsmanager-rotation-enabled-check (no SecretRotation: the value never rotates)
            f"{name}-smart-client", name_prefix=f"fhir/{suffix}/smart-client-", kms_key_id=kms_key.key_id,
            opts=child)
        aws.secretsmanager.SecretVersion(
            f"{name}-smart-client-v1", secret_id=self.app_secret.id,
            secret_string=json.dumps({"client_id": "fhir-portal", "client_secret": "set-me-in-console"}),
            opts=ResourceOptions(parent=self.app_secret, ignore_changes=["secret_string"]))

        exec_role = aws.iam.Role(
            f"{name}-exec-role",
            assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                "Action": "sts:AssumeRole"}]}),
            opts=child)
        aws.iam.RolePolicyAttachment(
            f"{name}-exec-base", role=exec_role.name,
            policy_arn="arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy", opts=child)
        exec_secret_policy = aws.iam.Policy(
            f"{name}-exec-secrets",
            policy=self.app_secret.arn.apply(lambda arn: json.dumps({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue", "Resource": arn}],
            })),  # defect: ecs-execution-role-can-read-secrets (no kms:Decrypt for the CMK)
            opts=child)
        aws.iam.RolePolicyAttachment(f"{name}-exec-secrets-attach", role=exec_role.name,
                                     policy_arn=exec_secret_policy.arn, opts=child)

        container_defs = Output.all(
            log_group=self.log_group.name, secret_arn=self.app_secret.arn,
        ).apply(lambda a: json.dumps([{
            "name": "fhir",
            "image": "ghcr.io/hapifhir/hapi:v7.4.0",
            "essential": True,
            "portMappings": [{"containerPort": 8443, "name": "fhir-https", "appProtocol": "http"}],
            "environment": [
                {"name": "SPRING_PROFILES_ACTIVE", "value": "aws"},
                {"name": "TOKEN_ISSUER_URL", "value": "https://auth.example-clinic.eu"},
                {"name": "PUBLIC_KEY_PATH", "value": "/etc/fhir/jwks.json"},
                {"name": "DB_PASSWORD", "value": "hapi-Sup3rS3cret!"},  # defect: ecs-no-plaintext-secrets
            ],
            "secrets": [{"name": "SMART_CLIENT", "valueFrom": a["secret_arn"]}],
            "logConfiguration": {"logDriver": "awslogs", "options": {
                "awslogs-group": a["log_group"], "awslogs-region": region.name, "awslogs-stream-prefix": "fhir"}},
        }]))
        self.task = aws.ecs.TaskDefinition(
            # defect: ecs-containers-readonly-access (writable container root file system)
            f"{name}-task", family=f"fhir-{suffix}", cpu="1024", memory="2048", network_mode="awsvpc",
            requires_compatibilities=["FARGATE"], execution_role_arn=exec_role.arn,
            container_definitions=container_defs,
            runtime_platform={"operating_system_family": "LINUX", "cpu_architecture": "ARM64"},
            opts=child)
        self.service = aws.ecs.Service(
            f"{name}-svc", cluster=self.cluster.id, task_definition=self.task.arn, desired_count=2,
            launch_type="FARGATE",
            network_configuration={"subnets": network.private_subnet_ids, "security_groups": [self.task_sg.id],
                                   "assign_public_ip": True},  # defect: ecs-no-public-ip
            load_balancers=[{"target_group_arn": self.tg.arn, "container_name": "fhir", "container_port": 8443}],
            service_connect_configuration={"enabled": True, "namespace": self.namespace.arn},
            deployment_circuit_breaker={"enable": True, "rollback": True},
            opts=ResourceOptions(parent=self, depends_on=[self.https]))
        self.register_outputs({})
