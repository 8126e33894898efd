import json

import pulumi
import pulumi_aws as aws
import pulumi_random as random
from pulumi import Output, ResourceOptions


class TapStack(pulumi.ComponentResource):
    """Patient-portal containers with a Redis cache and an Aurora Serverless v2 database."""

    def __init__(self, name: str, environment_suffix: str, opts: ResourceOptions = None):
        super().__init__("tap:ecs:TapStack", name, None, opts)
        s = environment_suffix
        base_tags = {"Environment": s, "Application": "patient-portal"}

        self.vpc = aws.ec2.Vpc(f"portal-vpc-{s}", cidr_block="10.30.0.0/16", opts=ResourceOptions(parent=self))
        self.subnet_ids = []
        for i in range(2):
            sn = aws.ec2.Subnet(f"portal-sn-{i}-{s}", vpc_id=self.vpc.id, cidr_block=f"10.30.{i}.0/24",
                                opts=ResourceOptions(parent=self))
            self.subnet_ids.append(sn.id)

        self.alb_sg = aws.ec2.SecurityGroup(
            f"portal-alb-sg-{s}",
            vpc_id=self.vpc.id,
            ingress=[aws.ec2.SecurityGroupIngressArgs(protocol="tcp", from_port=80, to_port=80,
                                                      cidr_blocks=["0.0.0.0/0"])],
            opts=ResourceOptions(parent=self),
        )
        self.alb = aws.lb.LoadBalancer(f"portal-alb-{s}", security_groups=[self.alb_sg.id], subnets=self.subnet_ids,
                                       opts=ResourceOptions(parent=self))
        self.tg = aws.lb.TargetGroup(f"portal-tg-{s}", port=3000, protocol="HTTP", target_type="ip",
                                     vpc_id=self.vpc.id, opts=ResourceOptions(parent=self))
        self.cert = aws.acm.Certificate(f"portal-cert-{s}", domain_name="portal.example.org", validation_method="DNS",
                                        opts=ResourceOptions(parent=self))
        self.https = aws.lb.Listener(
            f"portal-https-{s}",
            load_balancer_arn=self.alb.arn,
            port=443,
            protocol="HTTPS",
            certificate_arn=self.cert.arn,
            default_actions=[{"type": "forward", "target_group_arn": self.tg.arn}],
            opts=ResourceOptions(parent=self),
        )

        # Cache
        self.redis_auth = random.RandomPassword(f"portal-redis-auth-{s}", length=32, special=False,
                                                opts=ResourceOptions(parent=self))
        self.cache = aws.elasticache.ReplicationGroup(
            f"portal-cache-{s}",
            description="portal session cache",
            engine="redis",
            node_type="cache.t4g.small",
            num_cache_clusters=2,
            automatic_failover_enabled=True,
            at_rest_encryption_enabled=True,
            transit_encryption_enabled=True,
            auth_token=self.redis_auth.result,
            auth_token_enabled=False,
            opts=ResourceOptions(parent=self),
        )

        # Aurora Serverless v2
        self.master = random.RandomPassword(f"portal-db-pw-{s}", length=24, special=True,
                                            override_special="_-", opts=ResourceOptions(parent=self))
        self.db = aws.rds.Cluster(
            f"portal-db-{s}",
            engine="aurora-mysql",
            engine_mode="serverless",
            engine_version="8.0.mysql_aurora.3.05.2",
            master_username="admin",
            master_password=self.master.result,
            storage_encrypted=True,
            serverlessv2_scaling_configuration={"min_capacity": 0.5, "max_capacity": 8},
            skip_final_snapshot=True,
            opts=ResourceOptions(parent=self),
        )
        self.db_writer = aws.rds.ClusterInstance(f"portal-db-writer-{s}", cluster_identifier=self.db.id,
                                                 instance_class="db.t4g.medium", engine="aurora-mysql",
                                                 opts=ResourceOptions(parent=self))

        self.cluster = aws.ecs.Cluster(
            f"portal-{s}",
            service_connect_defaults=aws.ecs.ClusterServiceConnectDefaultsArgs(namespace="portal.local"),
            opts=ResourceOptions(parent=self),
        )
        self.exec_role = aws.iam.Role(
            f"portal-exec-{s}",
            assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
            managed_policy_arns=["arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"],
            opts=ResourceOptions(parent=self),
        )
        self.task = aws.ecs.TaskDefinition(
            f"portal-task-{s}",
            family=f"portal-{s}",
            cpu="256",
            memory="512",
            network_mode="awsvpc",
            requires_compatibilities=["FARGATE"],
            execution_role_arn=self.exec_role.arn,
            container_definitions=Output.all(self.cache.primary_endpoint_address, self.db.endpoint).apply(
                lambda vals: json.dumps([{
                    "name": "portal",
                    "image": "nginx:stable",
                    "essential": True,
                    "portMappings": [{"containerPort": 3000}],
                    "environment": [
                        {"name": "REDIS_HOST", "value": vals[0]},
                        {"name": "DB_HOST", "value": vals[1]},
                    ],
                }])
            ),
            opts=ResourceOptions(parent=self),
        )
        self.service = aws.ecs.Service(
            f"portal-svc-{s}",
            cluster=self.cluster.id,
            task_definition=self.task.arn,
            desired_count=2,
            launch_type="FARGATE",
            network_configuration={"subnets": self.subnet_ids, "assign_public_ip": False},
            load_balancers=[{"target_group_arn": self.tg.arn, "container_name": "portal", "container_port": 3000}],
            health_check_grace_period_seconds=60,
            deployment_circuit_breaker={"enable": True, "rollback": True},
            propagate_tags="SERVICE",
            enable_execute_command=False,
            depends_on=[self.https],
            opts=ResourceOptions(parent=self),
        )
        aws.appautoscaling.Target(
            f"portal-scaling-{s}",
            max_capacity=6,
            min_capacity=2,
            resource_id=Output.concat("service/", self.cluster.name, "/", self.service.name),
            scalable_dimension="ecs:service:DesiredCount",
            service_namespace="ecs",
            opts=ResourceOptions(parent=self),
        )

        pulumi.export("portal_url", Output.concat("https://", self.alb.dns_name))
        pulumi.export("cache_endpoint", f"{self.cache.primary_endpoint_address}:6379")
        self.register_outputs({})
