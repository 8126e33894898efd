import pulumi
import pulumi_aws as aws

vpc = aws.ec2.Vpc("lab-vpc", cidr_block="172.16.0.0/16")
public = aws.ec2.Subnet("lab-public", vpc_id=vpc.id, cidr_block="172.16.1.0/24")
igw = aws.ec2.InternetGateway("lab-igw", vpc_id=vpc.id)
nat_ip = aws.ec2.Eip("lab-nat-ip", vpc=True, opts=pulumi.ResourceOptions(depends_on=[igw]))
nat = aws.ec2.NatGateway("lab-nat", subnet_id=public.id, allocation_id=nat_ip.id)
pulumi.export("nat_ip", nat_ip.public_ip)
