import pulumi_aws as aws

vpc = aws.ec2.Vpc("main", cidr_block="10.0.0.0/16")
aws.ec2.Subnet("a", vpc_id=vpc.id, cidr_block="10.0.1.0/24", depends_on=[vpc])
