"""VPC with one private subnet per availability zone (the first two zones of the region)."""
import ipaddress

import pulumi
import pulumi_aws as aws


class Network(pulumi.ComponentResource):
    def __init__(self, name: str, settings: dict, opts: pulumi.ResourceOptions | None = None):
        super().__init__("clinical:net:Network", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.vpc = aws.ec2.Vpc(f"{name}-vpc", cidr_block=settings["cidr"], enable_dns_hostnames=True,
                               enable_dns_support=True, tags={"Name": f"{name}-vpc"}, opts=child)
        zones = aws.get_availability_zones(state="available").names[:2]
        blocks = list(ipaddress.ip_network(settings["cidr"]).subnets(new_prefix=16 + int(settings["subnetBits"])))
        self.private_subnets = []
        for i, zone in enumerate(zones):
            self.private_subnets.append(aws.ec2.Subnet(
                f"{name}-private-{zone[-1]}", vpc_id=self.vpc.id, cidr_block=str(blocks[i + 10]),
                availability_zone=zone, map_public_ip_on_launch=False,
                tags={"Name": f"{name}-private-{zone}", "tier": "private"}, opts=child))
        self.db_sg = aws.ec2.SecurityGroup(
            f"{name}-db-sg", vpc_id=self.vpc.id, description="Databases: VPC and admin networks only",
            ingress=[
                aws.ec2.SecurityGroupIngressArgs(protocol="tcp", from_port=3306, to_port=3306,
                                                 cidr_blocks=[settings["cidr"]]),
                aws.ec2.SecurityGroupIngressArgs(protocol="tcp", from_port=1433, to_port=1433,
                                                 cidr_blocks=settings["adminCidrs"]),
                aws.ec2.SecurityGroupIngressArgs(protocol="tcp", from_port=27017, to_port=27017,
                                                 cidr_blocks=[self.vpc.cidr_block]),
                aws.ec2.SecurityGroupIngressArgs(protocol="tcp", from_port=8182, to_port=8182, self=True),
            ],
            egress=[aws.ec2.SecurityGroupEgressArgs(protocol="-1", from_port=0, to_port=0,
                                                    cidr_blocks=["0.0.0.0/0"])],
            opts=child)
        self.subnet_ids = [s.id for s in self.private_subnets]
        self.register_outputs({"vpc_id": self.vpc.id})
