"""Ten resources over four provider modules (ec2, kms, rds, cloudwatch) and random: a timing reference."""
import pulumi_aws as aws
import pulumi_random as random

vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
subnets = [aws.ec2.Subnet(f"db-{i}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24") for i in range(2)]
sg = aws.ec2.SecurityGroup("db", vpc_id=vpc.id, ingress=[{"protocol": "tcp", "from_port": 5432, "to_port": 5432,
                                                           "cidr_blocks": ["10.0.0.0/16"]}])
key = aws.kms.Key("data", enable_key_rotation=True)
group = aws.rds.SubnetGroup("db", subnet_ids=[s.id for s in subnets])
password = random.RandomPassword("db", length=32, special=False)
aws.rds.Instance("db", engine="postgres", instance_class="db.t3.micro", allocated_storage=20, username="dbadmin",
                 password=password.result, storage_encrypted=True, kms_key_id=key.arn, db_subnet_group_name=group.name,
                 vpc_security_group_ids=[sg.id], backup_retention_period=30)
aws.cloudwatch.LogGroup("app", retention_in_days=90, kms_key_id=key.arn)
