"""Seed 002: an HTTPS listener whose certificate ARN is a placeholder (account 123456789012,
"placeholder"); ELB answers CertificateNotFound. The security group admits 443, so the findings are
alb-https-real-certificate and no-placeholder-account-ids on the listener, and nothing else."""

import pulumi_aws as aws

zones = aws.get_availability_zones(state="available").names[:2]

vpc = aws.ec2.Vpc("edge-vpc", cidr_block="10.70.0.0/16", enable_dns_support=True, enable_dns_hostnames=True)
aws.ec2.InternetGateway("edge-igw", vpc_id=vpc.id)  # an internet-facing ALB needs one
public_subnets = [
    aws.ec2.Subnet(f"public-{index + 1}", vpc_id=vpc.id, cidr_block=f"10.70.{index}.0/24", availability_zone=zone)
    for index, zone in enumerate(zones)
]

alb_sg = aws.ec2.SecurityGroup(
    "alb-sg",
    description="Load balancer",
    vpc_id=vpc.id,
    ingress=[
        aws.ec2.SecurityGroupIngressArgs(protocol="tcp", from_port=443, to_port=443, cidr_blocks=["0.0.0.0/0"]),
    ],
    egress=[
        aws.ec2.SecurityGroupEgressArgs(protocol="tcp", from_port=80, to_port=80, cidr_blocks=["10.70.0.0/16"]),
    ],
)

alb = aws.lb.LoadBalancer(
    "portal-alb",
    load_balancer_type="application",
    subnets=[subnet.id for subnet in public_subnets],
    security_groups=[alb_sg.id],
)
target_group = aws.lb.TargetGroup("portal-tg", port=80, protocol="HTTP", target_type="ip", vpc_id=vpc.id)

aws.lb.Listener(
    "portal-https",
    load_balancer_arn=alb.arn,
    port=443,
    protocol="HTTPS",
    ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06",
    certificate_arn="arn:aws:acm:us-east-1:123456789012:certificate/placeholder",  # the defect under test
    default_actions=[aws.lb.ListenerDefaultActionArgs(type="forward", target_group_arn=target_group.arn)],
)
