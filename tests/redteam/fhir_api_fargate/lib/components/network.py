import pulumi
import pulumi_aws as aws
from pulumi import ResourceOptions


class NetworkStack(pulumi.ComponentResource):
    def __init__(self, name: str, suffix: str, tags: dict, opts: ResourceOptions = None):
        super().__init__("fhir:network:NetworkStack", name, None, opts)
        child = ResourceOptions(parent=self)
        available = aws.get_availability_zones()
        self.vpc = aws.ec2.Vpc(f"{name}-vpc", cidr_block="10.42.0.0/16", enable_dns_support=True,
                               enable_dns_hostnames=True, tags={**tags, "Name": f"fhir-{suffix}"}, opts=child)
        self.igw = aws.ec2.InternetGateway(f"{name}-igw", vpc_id=self.vpc.id, opts=child)
        self.public_subnet_ids = []
        self.private_subnet_ids = []
        for i, az in enumerate([available.names[0], available.names[1]]):
            pub = aws.ec2.Subnet(f"{name}-pub-{i}", vpc_id=self.vpc.id, cidr_block=f"10.42.{i}.0/24",
                                 availability_zone=az, tags={**tags, "Name": f"pub-{az}"}, opts=child)
            priv = aws.ec2.Subnet(f"{name}-priv-{i}", vpc_id=self.vpc.id, cidr_block=f"10.42.{100 + i}.0/24",
                                  availability_zone=az, tags={**tags, "Name": f"priv-{az}"}, opts=child)
            self.public_subnet_ids.append(pub.id)
            self.private_subnet_ids.append(priv.id)
        eip = aws.ec2.Eip(f"{name}-nat-eip", domain="vpc", opts=child)
        nat = aws.ec2.NatGateway(f"{name}-nat", allocation_id=eip.id, subnet_id=self.public_subnet_ids[0],
                                 opts=child)
        public_rt = aws.ec2.RouteTable(f"{name}-public-rt", vpc_id=self.vpc.id, opts=child)
        aws.ec2.Route(f"{name}-public-default", route_table_id=public_rt.id, destination_cidr_block="0.0.0.0/0",
                      gateway_id=self.igw.id, opts=child)
        private_rt = aws.ec2.RouteTable(f"{name}-private-rt", vpc_id=self.vpc.id, opts=child)
        aws.ec2.Route(f"{name}-private-default", route_table_id=private_rt.id,
                      destination_cidr_block="0.0.0.0/0", nat_gateway_id=nat.id, opts=child)
        for i, sid in enumerate(self.public_subnet_ids):
            aws.ec2.RouteTableAssociation(f"{name}-pub-rta-{i}", subnet_id=sid, route_table_id=public_rt.id,
                                          opts=child)
        for i, sid in enumerate(self.private_subnet_ids):
            aws.ec2.RouteTableAssociation(f"{name}-priv-rta-{i}", subnet_id=sid, route_table_id=private_rt.id,
                                          opts=child)
        aws.ec2.FlowLog(f"{name}-flow-log", vpc_id=self.vpc.id, traffic_type="ALL",
                        log_destination_type="s3",
                        log_destination="arn:aws:s3:::central-flow-logs-archive", opts=child)
        self.register_outputs({"vpc_id": self.vpc.id})
