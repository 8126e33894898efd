"""Two-tier VPC: public subnets for the load balancer and the NAT gateway, private subnets for
everything that touches PHI (tasks, database, cache)."""

from __future__ import annotations

from typing import Mapping, Sequence

import pulumi
import pulumi_aws as aws


class HealthcareNetwork(pulumi.ComponentResource):
    """A VPC spread over two availability zones of the stack's region.

    The zones come from `aws.get_availability_zones()`, never from literals, so the same program
    deploys unchanged to any region.
    """

    def __init__(
        self,
        name: str,
        *,
        cidr_block: str,
        public_cidrs: Sequence[str],
        private_cidrs: Sequence[str],
        tags: Mapping[str, str],
        opts: pulumi.ResourceOptions | None = None,
    ) -> None:
        super().__init__("hipaa:network:HealthcareNetwork", name, None, opts)
        if len(public_cidrs) != len(private_cidrs):
            raise ValueError("one public and one private subnet per availability zone")

        zones = aws.get_availability_zones(state="available").names[: len(public_cidrs)]
        child = pulumi.ResourceOptions(parent=self)

        self.vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=cidr_block,
            enable_dns_support=True,
            enable_dns_hostnames=True,  # needed by the Cloud Map private namespace
            tags={**tags, "Name": f"{name}-vpc"},
            opts=child,
        )
        igw = aws.ec2.InternetGateway(
            f"{name}-igw",
            vpc_id=self.vpc.id,
            # AWS's pack authorizes no VPC by default: this one is, for the internet-facing ALB.
            tags={**tags, "Name": f"{name}-igw", "hipaa-guard:exempt":
                  "internet-gateway-authorized-vpc-only: the VPC of the internet-facing ALB"},
            opts=child,
        )

        public_subnets = []
        private_subnets = []
        for index, (zone, public_cidr, private_cidr) in enumerate(zip(zones, public_cidrs, private_cidrs)):
            public_subnets.append(
                aws.ec2.Subnet(
                    f"{name}-public-{index + 1}",
                    vpc_id=self.vpc.id,
                    cidr_block=public_cidr,
                    availability_zone=zone,
                    # The ALB gets its own addresses; nothing launched here needs a public IP.
                    map_public_ip_on_launch=False,
                    tags={**tags, "Name": f"{name}-public-{index + 1}", "tier": "public"},
                    opts=child,
                )
            )
            private_subnets.append(
                aws.ec2.Subnet(
                    f"{name}-private-{index + 1}",
                    vpc_id=self.vpc.id,
                    cidr_block=private_cidr,
                    availability_zone=zone,
                    map_public_ip_on_launch=False,
                    tags={**tags, "Name": f"{name}-private-{index + 1}", "tier": "private"},
                    opts=child,
                )
            )

        # One NAT gateway keeps the example cheap; production would run one per zone.
        nat_ip = aws.ec2.Eip(
            f"{name}-nat-ip",
            domain="vpc",
            tags={**tags, "Name": f"{name}-nat-ip"},
            opts=pulumi.ResourceOptions(parent=self, depends_on=[igw]),
        )
        nat = aws.ec2.NatGateway(
            f"{name}-nat",
            allocation_id=nat_ip.id,
            subnet_id=public_subnets[0].id,
            tags={**tags, "Name": f"{name}-nat"},
            opts=child,
        )

        public_routes = aws.ec2.RouteTable(
            f"{name}-public-rt",
            vpc_id=self.vpc.id,
            routes=[aws.ec2.RouteTableRouteArgs(cidr_block="0.0.0.0/0", gateway_id=igw.id)],
            tags={**tags, "Name": f"{name}-public-rt", "hipaa-guard:exempt":
                  "no-unrestricted-route-to-igw: public subnets hold only the ALB and the NAT gateway"},
            opts=child,
        )
        private_routes = aws.ec2.RouteTable(
            f"{name}-private-rt",
            vpc_id=self.vpc.id,
            # Outbound only (image pulls, AWS APIs); nothing on the internet can reach in.
            routes=[aws.ec2.RouteTableRouteArgs(cidr_block="0.0.0.0/0", nat_gateway_id=nat.id)],
            tags={**tags, "Name": f"{name}-private-rt"},
            opts=child,
        )
        for index, subnet in enumerate(public_subnets):
            aws.ec2.RouteTableAssociation(
                f"{name}-public-rta-{index + 1}",
                subnet_id=subnet.id,
                route_table_id=public_routes.id,
                opts=child,
            )
        for index, subnet in enumerate(private_subnets):
            aws.ec2.RouteTableAssociation(
                f"{name}-private-rta-{index + 1}",
                subnet_id=subnet.id,
                route_table_id=private_routes.id,
                opts=child,
            )

        self.vpc_id = self.vpc.id
        self.vpc_cidr = cidr_block
        self.public_subnet_ids = [subnet.id for subnet in public_subnets]
        self.private_subnet_ids = [subnet.id for subnet in private_subnets]
        self.register_outputs(
            {
                "vpcId": self.vpc_id,
                "publicSubnetIds": self.public_subnet_ids,
                "privateSubnetIds": self.private_subnet_ids,
            }
        )
