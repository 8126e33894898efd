import pulumi
import pulumi_aws as aws

vpc = aws.ec2.Vpc("clinic-vpc", cidr_block="10.20.0.0/16", enable_dns_hostnames=True,
                  tags={"Name": "clinic-vpc", "hipaa": "true"})
azs = ["us-east-1a", "us-east-1b"]
public_subnets = []
nat_gateways = []
for i, az in enumerate(azs):
    subnet = aws.ec2.Subnet(f"clinic-public-{i}", vpc_id=vpc.id, cidr_block=f"10.20.{i}.0/24",
                            availability_zone=az, map_public_ip_on_launch=False)
    public_subnets.append(subnet)
    eip = aws.ec2.Eip(f"clinic-nat-eip-{i}", vpc=True, tags={"Name": f"clinic-nat-{az}"})
    nat = aws.ec2.NatGateway(f"clinic-nat-{i}", allocation_id=eip.id, subnet_id=subnet.id)
    nat_gateways.append(nat)

pulumi.export("nat_ids", [n.id for n in nat_gateways])
