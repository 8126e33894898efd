"""Seed 004: subnets pinned to us-east-1 zones in a stack whose region is ap-southeast-1
(Pulumi.dev.yaml); EC2 answers "The availability zone 'us-east-1a' does not exist in region
'ap-southeast-1'". availability-zone-in-region must fire once per subnet, and nothing else."""

import pulumi_aws as aws

vpc = aws.ec2.Vpc("records-vpc", cidr_block="10.50.0.0/16", enable_dns_support=True, enable_dns_hostnames=True)

aws.ec2.Subnet(
    "private-a",
    vpc_id=vpc.id,
    cidr_block="10.50.1.0/24",
    availability_zone="us-east-1a",  # the defect under test
)
aws.ec2.Subnet(
    "private-b",
    vpc_id=vpc.id,
    cidr_block="10.50.2.0/24",
    availability_zone="us-east-1b",  # the defect under test
)
