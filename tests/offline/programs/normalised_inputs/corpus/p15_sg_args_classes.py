import pulumi_aws as aws

aws.ec2.SecurityGroup(
    "p15-sg",
    description="db",
    vpc_id="vpc-0123456789abcdef0",
    ingress=[aws.ec2.SecurityGroupIngressArgs(protocol="tcp", from_port=5432, to_port=5432,
                                              cidr_blocks=["10.0.0.0/16"], description="postgres")],
    egress=aws.ec2.SecurityGroupEgressArgs(protocol="-1", from_port=0, to_port=0, cidr_blocks=["10.0.0.0/16"]),
)
