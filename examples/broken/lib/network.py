"""Two-tier VPC, written the way the QA reports found it: zones copied from another region and a
subnet range that does not fit the VPC. Each deliberate defect carries a `defect:` comment naming the
policy that must catch it."""

from __future__ import annotations

from typing import Mapping

import pulumi
import pulumi_aws as aws


class HealthcareNetwork(pulumi.ComponentResource):
    """Public subnets for the load balancer, private subnets for data; one route table each."""

    def __init__(self, name: str, *, tags: Mapping[str, str], opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("hipaa:network:HealthcareNetwork", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        zones = aws.get_availability_zones(state="available").names

        self.vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block="10.40.0.0/16",
            enable_dns_support=True,
            enable_dns_hostnames=True,
            tags={**tags, "Name": f"{name}-vpc"},
            opts=child,
        )
        igw = aws.ec2.InternetGateway(f"{name}-igw", vpc_id=self.vpc.id, tags=tags, opts=child)

        public_1 = aws.ec2.Subnet(
            f"{name}-public-1",
            vpc_id=self.vpc.id,
            cidr_block="10.40.0.0/24",
            availability_zone=zones[0],
            tags={**tags, "Name": f"{name}-public-1"},
            opts=child,
        )
        public_2 = aws.ec2.Subnet(
            f"{name}-public-2",
            vpc_id=self.vpc.id,
            cidr_block="10.41.1.0/24",  # defect: subnet-cidrs-valid (outside the VPC's 10.40.0.0/16)
            availability_zone=zones[1],
            tags={**tags, "Name": f"{name}-public-2"},
            opts=child,
        )
        # The stack runs in ap-southeast-1 (Pulumi.dev.yaml); these zones belong to us-east-1 (seed 004).
        private_1 = aws.ec2.Subnet(
            f"{name}-private-1",
            vpc_id=self.vpc.id,
            cidr_block="10.40.10.0/24",
            availability_zone="us-east-1a",  # defect: availability-zone-in-region
            tags={**tags, "Name": f"{name}-private-1"},
            opts=child,
        )
        private_2 = aws.ec2.Subnet(
            f"{name}-private-2",
            vpc_id=self.vpc.id,
            cidr_block="10.40.11.0/24",
            availability_zone="us-east-1b",  # defect: availability-zone-in-region
            tags={**tags, "Name": f"{name}-private-2"},
            opts=child,
        )

        public_routes = aws.ec2.RouteTable(
            f"{name}-public-rt",
            vpc_id=self.vpc.id,
            routes=[aws.ec2.RouteTableRouteArgs(cidr_block="0.0.0.0/0", gateway_id=igw.id)],
            tags=tags,
            opts=child,
        )
        private_routes = aws.ec2.RouteTable(f"{name}-private-rt", vpc_id=self.vpc.id, tags=tags, opts=child)
        for label, subnet, table in (
            ("public-1", public_1, public_routes),
            ("public-2", public_2, public_routes),
            ("private-1", private_1, private_routes),
            ("private-2", private_2, private_routes),
        ):
            aws.ec2.RouteTableAssociation(
                f"{name}-{label}-rta", subnet_id=subnet.id, route_table_id=table.id, opts=child
            )

        self.vpc_id = self.vpc.id
        self.vpc_cidr = "10.40.0.0/16"
        self.public_subnet_ids = [public_1.id, public_2.id]
        self.private_subnet_ids = [private_1.id, private_2.id]
        self.register_outputs({"vpcId": self.vpc_id})
