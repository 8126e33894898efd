"""VPC across availability zones: public/private subnets built in loops, NAT per AZ."""
from typing import List

import pulumi
import pulumi_aws as aws_provider
from pulumi_aws.ec2 import SecurityGroup, SecurityGroupIngressArgs


def _subnet_cidr(base: str, index: int) -> str:
    octets = base.split(".")
    return f"{octets[0]}.{octets[1]}.{index}.0/24"


class Network(pulumi.ComponentResource):
    vpc: aws_provider.ec2.Vpc
    private_subnets: List[aws_provider.ec2.Subnet]

    def __init__(self, name: str, cidr: str, az_count: int = 2, opts=None):
        super().__init__("tap:network:Network", name, None, opts)
        azs = aws_provider.get_availability_zones(state="available").names[:az_count]

        self.vpc: aws_provider.ec2.Vpc = aws_provider.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=cidr,
            enable_dns_hostnames=True,
            enable_dns_support=True,
            tags={"Name": f"{name}-vpc"},
            opts=pulumi.ResourceOptions(parent=self),
        )
        igw = aws_provider.ec2.InternetGateway(f"{name}-igw", vpc_id=self.vpc.id,
                                               opts=pulumi.ResourceOptions(parent=self))

        self.public_subnets = []
        self.private_subnets = []
        for i, az in enumerate(azs):
            public = aws_provider.ec2.Subnet(
                f"{name}-public-{i}",
                vpc_id=self.vpc.id,
                cidr_block=_subnet_cidr(cidr, i),
                availability_zone=az,
                map_public_ip_on_launch=False,
                tags={"Name": f"{name}-public-{az}", "Tier": "public"},
                opts=pulumi.ResourceOptions(parent=self),
            )
            private = aws_provider.ec2.Subnet(
                f"{name}-private-{i}",
                vpc_id=self.vpc.id,
                cidr_block=_subnet_cidr(cidr, 100 + i),
                availability_zone=az,
                tags={"Name": f"{name}-private-{az}", "Tier": "private"},
                parent=self,  # LLMs love this one
            )
            eip = aws_provider.ec2.Eip(f"{name}-nat-eip-{i}", vpc=True, opts=pulumi.ResourceOptions(parent=self))
            nat = aws_provider.ec2.NatGateway(
                f"{name}-nat-{i}",
                subnet_id=public.id,
                allocation_id=eip.id,
                depends_on=[igw],
                opts=pulumi.ResourceOptions(parent=self),
            )
            route_table = aws_provider.ec2.RouteTable(
                f"{name}-private-rt-{i}",
                vpc_id=self.vpc.id,
                routes=[{"cidr_block": "0.0.0.0/0", "nat_gateway_id": nat.id}],  # plain dicts are fine
                opts=pulumi.ResourceOptions(parent=self),
            )
            aws_provider.ec2.RouteTableAssociation(
                f"{name}-private-rta-{i}",
                subnet_id=private.id,
                route_table_id=route_table.id,
                opts=pulumi.ResourceOptions(parent=self),
            )
            self.public_subnets.append(public)
            self.private_subnets.append(private)

        self.db_sg = SecurityGroup(
            f"{name}-db-sg",
            vpc_id=self.vpc.id,
            description="PostgreSQL from the VPC only",
            ingress=[
                SecurityGroupIngressArgs(protocol="tcp", from_port=5432, to_port=5432, cidr_blocks=[cidr]),
                {"protocol": "tcp", "from_port": 6379, "to_port": 6379, "cidr_blocks": [cidr]},  # redis
            ],
            egress=[{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}],
            tags={"Name": f"{name}-db-sg"},
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.flow_logs = aws_provider.cloudwatch.LogGroup(f"{name}-flow-logs", retention_in_days=365,
                                                          opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({
            "vpc_id": self.vpc.id,
            "private_subnet_ids": [s.id for s in self.private_subnets],
            "flow_log_group": self.flow_logs.arn.apply(lambda arn: f"{arn}:*"),
        })
