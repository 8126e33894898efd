import pulumi_aws as aws

aws.ec2.SecurityGroup(
    "p11-sg",
    description="web",
    ingress=[{"protocol": "tcp", "from_port": "443", "to_port": "443", "cidr_blocks": ["10.0.0.0/16"]}],
    egress=[{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}],
)
