import json
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
from pulumi import ResourceOptions


@dataclass
class TapStackArgs:
    environment_suffix: str = "dev"


class TapStack(pulumi.ComponentResource):
    """ECS Fargate API in front of an Aurora Serverless v2 cluster for PHI."""

    def __init__(self, name: str, args: TapStackArgs, opts: ResourceOptions = None):
        super().__init__("tap:index:TapStack", name, None, opts)
        suffix = args.environment_suffix
        tags = {"Environment": suffix, "HIPAA": "true"}
        child = ResourceOptions(parent=self)

        self.vpc = aws.ec2.Vpc(f"api-vpc-{suffix}", cidr_block="10.20.0.0/16", enable_dns_hostnames=True,
                               tags=tags, opts=child)
        azs = aws.get_availability_zones(state="available")
        self.subnets = [
            aws.ec2.Subnet(
                f"api-subnet-{i}-{suffix}",
                vpc_id=self.vpc.id,
                cidr_block=f"10.20.{i}.0/24",
                availability_zone=azs.names[i],
                tags=tags,
                opts=child,
            )
            for i in range(2)
        ]

        self.alb_sg = aws.ec2.SecurityGroup(
            f"alb-sg-{suffix}",
            vpc_id=self.vpc.id,
            description="ALB ingress",
            ingress=[{"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"]}],
            egress=[{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}],
            opts=child,
        )
        self.alb = aws.lb.LoadBalancer(
            f"api-alb-{suffix}",
            load_balancer_type="application",
            internal=False,
            security_groups=[self.alb_sg.id],
            subnets=[s.id for s in self.subnets],
            drop_invalid_header_fields=True,
            tags=tags,
            opts=child,
        )
        self.target_group = aws.lb.TargetGroup(
            f"api-tg-{suffix}",
            port=8080,
            protocol="HTTP",
            target_type="ip",
            vpc_id=self.vpc.id,
            health_check={"path": "/health", "matcher": "200"},
            opts=child,
        )
        self.listener = aws.lb.Listener(
            f"api-https-{suffix}",
            load_balancer_arn=self.alb.arn,
            port=443,
            protocol="HTTPS",
            ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06",
            certificate_arn="arn:aws:acm:us-east-1:123456789012:certificate/your-certificate-id",
            default_actions=[aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=self.target_group.arn)],
            opts=child,
        )

        # Aurora Serverless v2 for patient data
        self.db_password = aws.secretsmanager.RandomPassword(
            f"aurora-password-{suffix}",
            password_length=30,
            exclude_characters="\"@/\\",
        )
        self.aurora = aws.rds.Cluster(
            f"patient-aurora-{suffix}",
            engine="aurora-postgresql",
            engine_mode="serverless",
            engine_version="15.4",
            database_name="patients",
            master_username="postgres",
            master_password=self.db_password.result,
            storage_encrypted=True,
            backup_retention_period=30,
            copy_tags_to_snapshot=True,
            serverlessv2_scaling_configuration=aws.rds.ClusterServerlessv2ScalingConfigurationArgs(
                min_capacity=0.5, max_capacity=4,
            ),
            skip_final_snapshot=True,
            tags=tags,
            opts=child,
        )
        self.aurora_instance = aws.rds.ClusterInstance(
            f"patient-aurora-1-{suffix}",
            cluster_identifier=self.aurora.id,
            instance_class="db.r6g.large",
            engine=self.aurora.engine,
            engine_version=self.aurora.engine_version,
            publicly_accessible=False,
            opts=child,
        )

        # ECS
        self.namespace = aws.servicediscovery.PrivateDnsNamespace(
            f"api-ns-{suffix}", name=f"{suffix}.healthcare.local", vpc=self.vpc.id, opts=child)
        self.cluster = aws.ecs.Cluster(
            f"api-cluster-{suffix}",
            settings=[{"name": "containerInsights", "value": "enabled"}],
            service_connect_defaults={"namespace": self.namespace.arn},
            tags=tags,
            opts=child,
        )
        self.log_group = aws.cloudwatch.LogGroup(f"/ecs/api-{suffix}", retention_in_days=365, opts=child)
        self.task_role = aws.iam.Role(
            f"api-task-role-{suffix}",
            assume_role_policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                               "Action": "sts:AssumeRole"}],
            }),
            opts=child,
        )
        container_definitions = pulumi.Output.all(self.log_group.name, self.aurora.endpoint).apply(
            lambda a: json.dumps([{
                "name": "api",
                "image": "public.ecr.aws/nginx/nginx:latest",
                "portMappings": [{"containerPort": 8080, "protocol": "tcp"}],
                "environment": [{"name": "DB_HOST", "value": a[1]}],
                "logConfiguration": {"logDriver": "awslogs", "options": {
                    "awslogs-group": a[0], "awslogs-region": "us-east-1", "awslogs-stream-prefix": "api"}},
            }])
        )
        self.task = aws.ecs.TaskDefinition(
            f"api-task-{suffix}",
            family=f"api-{suffix}",
            cpu="512",
            memory="1024",
            network_mode="awsvpc",
            requires_compatibilities=["FARGATE"],
            execution_role_arn=self.task_role.arn,
            task_role_arn=self.task_role.arn,
            container_definitions=container_definitions,
            opts=child,
        )
        self.service = aws.ecs.Service(
            f"api-service-{suffix}",
            cluster=self.cluster.arn,
            task_definition=self.task.arn,
            desired_count=2,
            launch_type="FARGATE",
            network_configuration=aws.ecs.ServiceNetworkConfigurationArgs(
                subnets=[s.id for s in self.subnets], security_groups=[self.alb_sg.id], assign_public_ip=False),
            load_balancers=[{"target_group_arn": self.target_group.arn, "container_name": "api",
                             "container_port": 8080}],
            opts=ResourceOptions(parent=self, depends_on=[self.listener]),
        )

        # API Gateway in front (REST)
        self.rest_api = aws.apigateway.RestApi(f"phi-api-{suffix}", description="PHI API", opts=child)
        self.resource = aws.apigateway.Resource(f"phi-records-{suffix}", rest_api=self.rest_api.id,
                                                parent_id=self.rest_api.root_resource_id, path_part="records",
                                                opts=child)
        self.method = aws.apigateway.Method(f"phi-get-{suffix}", rest_api=self.rest_api.id,
                                            resource_id=self.resource.id, http_method="GET",
                                            authorization="AWS_IAM", opts=child)
        self.integration = aws.apigateway.Integration(
            f"phi-int-{suffix}", rest_api=self.rest_api.id, resource_id=self.resource.id,
            http_method=self.method.http_method, type="HTTP_PROXY", integration_http_method="GET",
            uri="http://" + self.alb.dns_name + "/records", opts=child)
        self.deployment = aws.apigateway.Deployment(
            f"phi-deploy-{suffix}",
            rest_api=self.rest_api.id,
            opts=ResourceOptions(parent=self, depends_on=[self.integration]),
        )
        self.api_stage = aws.apigateway.Stage(
            f"phi-stage-{suffix}",
            deployment=self.deployment.id,
            rest_api=self.rest_api.id,
            stage_name="v1",
            xray_tracing_enabled=True,
            opts=child,
        )

        # CodeDeploy for blue/green
        self.codedeploy_app = aws.codedeploy.App(f"api-deploy-{suffix}", compute_platform="ECS", opts=child)

        pulumi.log.info(f"API cluster {self.cluster.name} created")
        self.register_outputs({"api_url": self.api_stage.invoke_url, "db_url": "postgres://" + self.aurora.endpoint})
