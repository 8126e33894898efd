"""About 35 resources over the modules a HIPAA stack uses (ec2, kms, rds, elasticache, s3, cloudwatch, iam,
secretsmanager, lb) and random: a timing reference."""
import json

import pulumi
import pulumi_aws as aws
import pulumi_random as random

azs = aws.get_availability_zones()
vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16", enable_dns_hostnames=True)
igw = aws.ec2.InternetGateway("igw", vpc_id=vpc.id)
public = [aws.ec2.Subnet(f"public-{i}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24", availability_zone=azs.names[i],
                         map_public_ip_on_launch=True) for i in range(2)]
private = [aws.ec2.Subnet(f"private-{i}", vpc_id=vpc.id, cidr_block=f"10.0.{10 + i}.0/24",
                          availability_zone=azs.names[i]) for i in range(2)]
eip = aws.ec2.Eip("nat", domain="vpc")
nat = aws.ec2.NatGateway("nat", subnet_id=public[0].id, allocation_id=eip.id)
public_rt = aws.ec2.RouteTable("public", vpc_id=vpc.id, routes=[{"cidr_block": "0.0.0.0/0", "gateway_id": igw.id}])
private_rt = aws.ec2.RouteTable("private", vpc_id=vpc.id, routes=[{"cidr_block": "0.0.0.0/0", "nat_gateway_id": nat.id}])
for i in range(2):
    aws.ec2.RouteTableAssociation(f"public-{i}", subnet_id=public[i].id, route_table_id=public_rt.id)
    aws.ec2.RouteTableAssociation(f"private-{i}", subnet_id=private[i].id, route_table_id=private_rt.id)
lb_sg = aws.ec2.SecurityGroup("lb", vpc_id=vpc.id, ingress=[{"protocol": "tcp", "from_port": 443, "to_port": 443,
                                                            "cidr_blocks": ["0.0.0.0/0"]}])
db_sg = aws.ec2.SecurityGroup("db", vpc_id=vpc.id)
cache_sg = aws.ec2.SecurityGroup("cache", vpc_id=vpc.id)
key = aws.kms.Key("data", enable_key_rotation=True)
aws.kms.Alias("data", name="alias/phi-data", target_key_id=key.key_id)
db_password = random.RandomPassword("db", length=32, special=True, override_special="!#$%&*()-_=+")
token = random.RandomPassword("cache", length=32, special=True, override_special="!&#$^<>-")
db_group = aws.rds.SubnetGroup("db", subnet_ids=[s.id for s in private])
db = aws.rds.Instance("db", engine="postgres", engine_version="15.8", instance_class="db.t3.micro",
                      allocated_storage=20, username="dbadmin", password=db_password.result, storage_encrypted=True,
                      kms_key_id=key.arn, db_subnet_group_name=db_group.name, vpc_security_group_ids=[db_sg.id],
                      backup_retention_period=30, multi_az=True)
cache_group = aws.elasticache.SubnetGroup("cache", subnet_ids=[s.id for s in private])
aws.elasticache.ReplicationGroup("cache", description="sessions", node_type="cache.t3.micro", num_cache_clusters=2,
                                 subnet_group_name=cache_group.name, security_group_ids=[cache_sg.id],
                                 at_rest_encryption_enabled=True, transit_encryption_enabled=True,
                                 auth_token=token.result, kms_key_id=key.arn)
secret = aws.secretsmanager.Secret("db", kms_key_id=key.arn)
aws.secretsmanager.SecretVersion("db", secret_id=secret.id, secret_string=pulumi.Output.json_dumps(
    {"username": "dbadmin", "password": db_password.result, "host": db.address}))
bucket = aws.s3.Bucket("records")
aws.s3.BucketServerSideEncryptionConfiguration("records", bucket=bucket.id, rules=[{
    "apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms", "kms_master_key_id": key.arn}}])
aws.s3.BucketPublicAccessBlock("records", bucket=bucket.id, block_public_acls=True, block_public_policy=True,
                               ignore_public_acls=True, restrict_public_buckets=True)
logs = aws.cloudwatch.LogGroup("app", retention_in_days=90, kms_key_id=key.arn)
role = aws.iam.Role("app", assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": [{
    "Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
aws.iam.RolePolicy("app", role=role.id, policy=secret.arn.apply(lambda arn: json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "secretsmanager:GetSecretValue",
                                             "Resource": arn}]})))
lb = aws.lb.LoadBalancer("web", load_balancer_type="application", subnets=[s.id for s in public],
                         security_groups=[lb_sg.id])
tg = aws.lb.TargetGroup("web", port=8080, protocol="HTTP", vpc_id=vpc.id, target_type="ip")
cert = aws.acm.Certificate("web", domain_name="app.example.org", validation_method="DNS")
aws.lb.Listener("https", load_balancer_arn=lb.arn, port=443, protocol="HTTPS", certificate_arn=cert.arn,
                default_actions=[{"type": "forward", "target_group_arn": tg.arn}])
pulumi.export("url", lb.dns_name)
