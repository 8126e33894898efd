"""Patient records database tier: PostgreSQL on RDS, Redis session cache, Secrets Manager."""
import json

import pulumi
from pulumi import ResourceOptions, Output
from pulumi_aws import ec2, rds, elasticache, secretsmanager, kms, cloudwatch


class TapStack(pulumi.ComponentResource):
    def __init__(self, name, environment_suffix="dev", opts=None):
        super().__init__("custom:healthcare:TapStack", name, {}, opts)
        import pulumi_random as random

        self.environment_suffix = environment_suffix
        common_tags = {
            "Environment": environment_suffix,
            "DataClassification": "PHI",
            "ManagedBy": "Pulumi",
        }

        self.vpc = ec2.Vpc(
            f"healthcare-vpc-{environment_suffix}",
            cidr_block="10.0.0.0/16",
            enable_dns_hostnames=True,
            enable_dns_support=True,
            tags={**common_tags, "Name": f"healthcare-vpc-{environment_suffix}"},
            opts=ResourceOptions(parent=self),
        )

        self.private_subnets = []
        for i, az in enumerate(["us-east-1a", "us-east-1b"]):
            subnet = ec2.Subnet(
                f"private-subnet-{i}-{environment_suffix}",
                vpc_id=self.vpc.id,
                cidr_block=f"10.0.{i + 10}.0/24",
                availability_zone=az,
                map_public_ip_on_launch=False,
                tags={**common_tags, "Name": f"private-{i}-{environment_suffix}"},
                opts=ResourceOptions(parent=self),
            )
            self.private_subnets.append(subnet)

        self.nat_eip = ec2.Eip(
            f"nat-eip-{environment_suffix}",
            vpc=True,
            tags=common_tags,
            opts=ResourceOptions(parent=self),
        )

        self.db_sg = ec2.SecurityGroup(
            f"db-sg-{environment_suffix}",
            vpc_id=self.vpc.id,
            description="PostgreSQL access from inside the VPC",
            ingress=[ec2.SecurityGroupIngressArgs(
                protocol="tcp", from_port=5432, to_port=5432, cidr_blocks=["10.0.0.0/16"],
            )],
            egress=[{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}],
            tags=common_tags,
            opts=ResourceOptions(parent=self),
        )

        self.kms_key = kms.Key(
            f"db-kms-{environment_suffix}",
            description="RDS encryption key",
            enable_key_rotation=True,
            opts=ResourceOptions(parent=self),
        )

        # Master credentials
        self.db_password = random.RandomPassword(
            f"db-password-{environment_suffix}",
            length=32,
            special=True,
            override_special="!#$%&*()-_=+[]{}<>:?",
            opts=ResourceOptions(parent=self),
        )
        self.db_secret = secretsmanager.Secret(
            f"db-credentials-{environment_suffix}",
            description="Master credentials for the patient records database",
            kms_key_id=self.kms_key.arn,
            recovery_window_in_days=0,
            opts=ResourceOptions(parent=self),
        )
        secretsmanager.SecretVersion(
            f"db-credentials-version-{environment_suffix}",
            secret_id=self.db_secret.id,
            secret_string=json.dumps({
                "username": "admin",
                "password": self.db_password.random_password,
                "engine": "postgres",
                "port": 5432,
            }),
            opts=ResourceOptions(parent=self),
        )

        self.db_subnet_group = rds.SubnetGroup(
            f"db-subnets-{environment_suffix}",
            subnet_ids=[s.id for s in self.private_subnets],
            tags=common_tags,
            opts=ResourceOptions(parent=self),
        )

        self.db_instance = rds.Instance(
            f"patient-db-{environment_suffix}",
            identifier=f"patient-db-{environment_suffix}",
            engine="postgres",
            engine_version="15.3",
            instance_class="db.t3.medium",
            allocated_storage=100,
            storage_type="gp3",
            storage_encrypted=True,
            kms_key_id=self.kms_key.arn,
            name="patients",
            master_username="admin",
            password=self.db_password.result,
            db_subnet_group_name=self.db_subnet_group.name,
            vpc_security_group_ids=[self.db_sg.id],
            backup_retention_period=35,
            multi_az=True,
            deletion_protection=False,
            skip_final_snapshot=True,
            performance_insights_enabled=True,
            performance_insights_kms_key_id=self.kms_key.arn,
            enabled_cloudwatch_logs_exports=["postgresql", "upgrade"],
            tags=common_tags,
            parent=self,
        )

        # Redis for session state
        self.redis_subnet_group = elasticache.SubnetGroup(
            f"redis-subnets-{environment_suffix}",
            subnet_ids=[s.id for s in self.private_subnets],
            opts=ResourceOptions(parent=self),
        )
        self.redis_token = random.RandomPassword(
            f"redis-token-{environment_suffix}",
            length=64,
            opts=ResourceOptions(parent=self),
        )
        self.redis = elasticache.ReplicationGroup(
            f"sessions-{environment_suffix}",
            replication_group_description="Session cache for the patient portal",
            engine="redis",
            engine_version="7.0",
            node_type="cache.t3.micro",
            number_cache_clusters=2,
            automatic_failover_enabled=True,
            multi_az_enabled=True,
            at_rest_encryption_enabled=True,
            transit_encryption_enabled=True,
            auth_token=self.redis_token.result,
            auth_token_enabled=True,
            kms_key_id=self.kms_key.arn,
            subnet_group_name=self.redis_subnet_group.name,
            security_group_ids=[self.db_sg.id],
            snapshot_retention_limit=7,
            tags=common_tags,
            opts=ResourceOptions(parent=self),
        )

        cloudwatch.MetricAlarm(
            f"db-cpu-{environment_suffix}",
            comparison_operator="GreaterThanThreshold",
            evaluation_periods=2,
            metric_name="CPUUtilization",
            namespace="AWS/RDS",
            period=300,
            statistic="Average",
            threshold=80,
            description="Database CPU above 80%",
            dimensions={"DBInstanceIdentifier": self.db_instance.identifier},
            opts=ResourceOptions(parent=self),
        )

        self.connection_string = Output.concat(
            "postgresql://dbadmin@", self.db_instance.address, ":5432/patients")
        self.register_outputs({"db_endpoint": self.db_instance.endpoint})
