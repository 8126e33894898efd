import pulumi_aws as aws


def port_of(cidr):
    raise ValueError(f"cannot derive a port from {cidr}")


vpc = aws.ec2.Vpc("main", cidr_block="10.0.0.0/16")
aws.ec2.SecurityGroup("sg", vpc_id=vpc.id, description=vpc.cidr_block.apply(port_of))
