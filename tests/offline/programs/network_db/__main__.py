import json

import pulumi
import pulumi_aws as aws
import pulumi_random as random

config = pulumi.Config()
azs = aws.get_availability_zones(state="available")

vpc = aws.ec2.Vpc("main", cidr_block="10.0.0.0/16", tags={"Name": "main"})
subnets = [
    aws.ec2.Subnet(f"private-{i}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24", availability_zone=azs.names[i])
    for i in range(2)
]
group = aws.rds.SubnetGroup("db", subnet_ids=[s.id for s in subnets])
password = random.RandomPassword("db-password", length=24, special=True, override_special="!#$%")
db = aws.rds.Instance(
    "db",
    engine="postgres",
    engine_version="15.8",
    instance_class="db.t3.micro",
    allocated_storage=20,
    db_name=config.require("dbName"),
    username="dbadmin",
    password=password.result,
    db_subnet_group_name=group.name,
    storage_encrypted=True,
    opts=pulumi.ResourceOptions(protect=True, ignore_changes=["password"]),
)
secret = aws.secretsmanager.Secret("db-credentials")
aws.secretsmanager.SecretVersion(
    "db-credentials",
    secret_id=secret.id,
    secret_string=pulumi.Output.json_dumps({"username": "dbadmin", "password": password.result, "host": db.address}),
)
policy = aws.iam.get_policy_document(statements=[{"actions": ["s3:GetObject"], "resources": ["*"]}])
role = aws.iam.Role("reader", assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": []}))
aws.iam.RolePolicy("reader", role=role.id, policy=policy.json)
pulumi.export("endpoint", db.endpoint)
pulumi.export("api_key_length", config.require_secret("apiKey").apply(len))
# An output the mocks do not compute stays unknown, as in a real preview.
aws.ec2.RouteTable("private", vpc_id=vpc.id, tags={"MainRouteTable": vpc.main_route_table_id})
