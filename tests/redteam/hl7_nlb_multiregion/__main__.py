"""HL7 v2 MLLP gateway for lab results: NLB (TLS) -> EC2 interface engines -> MySQL.
A warm-standby VPC lives in the DR region."""
import pulumi
import pulumi_aws as aws
import pulumi_random as random

cfg = pulumi.Config()
env = cfg.get("env") or "dev"
dr_region = cfg.get("drRegion") or "us-east-1"
tags = {"env": env, "app": "hl7-gateway", "phi": "yes"}

dr = aws.Provider("dr", region=dr_region)

# ------------------------------------------------------------------ network (primary)
vpc = aws.ec2.Vpc("hl7-vpc", cidr_block="10.60.0.0/20", tags=tags)
zones = aws.get_availability_zones(state="available").names
app_subnets = [
    aws.ec2.Subnet("hl7-app-a", vpc_id=vpc.id, cidr_block="10.60.0.0/24", availability_zone="eu-west-2a", tags=tags),
    aws.ec2.Subnet("hl7-app-b", vpc_id=vpc.id, cidr_block="10.60.1.0/24", availability_zone=zones[1], tags=tags),
]
db_subnets = [
    aws.ec2.Subnet("hl7-db-a", vpc_id=vpc.id, cidr_block="10.60.8.0/24", availability_zone="eu-west-2a", tags=tags),
    aws.ec2.Subnet("hl7-db-b", vpc_id=vpc.id, cidr_block="10.60.9.0/24",
                   availability_zone="us-east-1b", tags=tags),  # defect: availability-zone-in-region
    aws.ec2.Subnet("hl7-db-c", vpc_id=vpc.id, cidr_block="10.60.16.0/24",  # defect: subnet-cidrs-valid
                   availability_zone="eu-west-2c", tags=tags),
]
endpoint_prefix_list = aws.ec2.get_managed_prefix_list(name="com.amazonaws.eu-west-2.s3")

# ------------------------------------------------------------------ network (DR region)
dr_vpc = aws.ec2.Vpc("hl7-dr-vpc", cidr_block="10.61.0.0/20", tags=tags, opts=pulumi.ResourceOptions(provider=dr))
dr_zones = aws.get_availability_zones(opts=pulumi.InvokeOptions(provider=dr))
for i, az in enumerate(["us-east-1a", dr_zones.names[1]]):
    aws.ec2.Subnet(f"hl7-dr-app-{i}", vpc_id=dr_vpc.id, cidr_block=f"10.61.{i}.0/24", availability_zone=az,
                   tags=tags, opts=pulumi.ResourceOptions(provider=dr))

# ------------------------------------------------------------------ security groups
engine_sg = aws.ec2.SecurityGroup(
    "hl7-engine-sg",
    vpc_id=vpc.id,
    description="interface engines",
    ingress=[
        {"protocol": "tcp", "from_port": 2575, "to_port": 2575, "cidr_blocks": [vpc.cidr_block],
         "description": "MLLP from the NLB (NLB preserves client IPs inside the VPC)"},
        {"protocol": "-1", "from_port": 0, "to_port": 0, "self": True, "description": "cluster gossip"},
    ],
    egress=[{"protocol": "-1", "from_port": 0, "to_port": 0, "cidr_blocks": ["0.0.0.0/0"]}],
    tags=tags,
)
aws.ec2.SecurityGroupRule("hl7-engine-from-partners", type="ingress", security_group_id=engine_sg.id,
                          protocol="tcp", from_port=2575, to_port=2575, cidr_blocks=["203.0.113.0/24"])
aws.ec2.SecurityGroupRule("hl7-engine-s3-egress", type="egress", security_group_id=engine_sg.id, protocol="tcp",
                          from_port=443, to_port=443, prefix_list_ids=[endpoint_prefix_list.id])
mysql_sg = aws.ec2.SecurityGroup("hl7-mysql-sg", vpc_id=vpc.id, description="MySQL", tags=tags)
aws.ec2.SecurityGroupRule("hl7-mysql-from-engine", type="ingress", security_group_id=mysql_sg.id,
                          protocol="tcp", from_port=3306, to_port=3306, source_security_group_id=engine_sg.id)
aws.ec2.SecurityGroupRule("hl7-mysql-self", type="ingress", security_group_id=mysql_sg.id, protocol="tcp",
                          from_port=3306, to_port=3306, self=True)

# ------------------------------------------------------------------ KMS
key = aws.kms.Key("hl7-key", description="hl7 gateway", enable_key_rotation=True, deletion_window_in_days=7,
                  tags=tags)
aws.kms.Alias("hl7-key-alias", name="alias/hl7-gateway", target_key_id=key.id)
dr_key = aws.kms.Key("hl7-dr-key", description="hl7 gateway DR", enable_key_rotation=True,
                     opts=pulumi.ResourceOptions(provider=dr))

# ------------------------------------------------------------------ MySQL
db_subnet_group = aws.rds.SubnetGroup("hl7-db-subnets", subnet_ids=[s.id for s in db_subnets])
db_password = random.RandomPassword("hl7-db-password", length=20, special=True)  # defect: rds-master-password-charset
db = aws.rds.Instance(
    "hl7-mysql",
    # defect: rds-logging-enabled (the engine's log types are not all exported)
    # defect: rds-instance-deletion-protection-enabled (deletion_protection unset)
    # defect: rds-enhanced-monitoring-enabled (monitoring_interval unset: no Enhanced Monitoring)
    identifier=f"hl7-results-{env}",
    engine="mysql",
    engine_version="8.0",
    instance_class="db.m6g.large",
    allocated_storage=50,
    username="admin",
    password=db_password.result,
    db_subnet_group_name=db_subnet_group.name,
    vpc_security_group_ids=[mysql_sg.id],
    storage_encrypted=True,
    kms_key_id=key.arn,
    backup_retention_period=35,
    multi_az=True,
    ca_cert_identifier="rds-ca-rsa2048-g1",
    copy_tags_to_snapshot=True,
    final_snapshot_identifier=f"hl7-results-{env}-final",
    tags=tags,
)
reports_db = aws.rds.Instance(
    "hl7-reports-mysql",
    engine="mysql",
    instance_class="db.t4g.medium",
    allocated_storage=20,
    db_name="reports",
    username="reports_admin",
    manage_master_user_password=True,
    storage_encrypted=True,
    backup_retention_period=30,
    multi_az=True,
    db_subnet_group_name=db_subnet_group.name,
    vpc_security_group_ids=[mysql_sg.id],
    skip_final_snapshot=True,
    tags=tags,
)
legacy_password = cfg.require_secret("dbPassword")

# ------------------------------------------------------------------ NLB (TLS termination)
cert = aws.acm.get_certificate(domain="hl7.example-labs.co.uk", statuses=["ISSUED"], most_recent=True)
nlb = aws.lb.LoadBalancer("hl7-nlb", load_balancer_type="network", internal=False,
                          subnets=[s.id for s in app_subnets], enable_cross_zone_load_balancing=True, tags=tags)
tg = aws.lb.TargetGroup("hl7-tg", name=f"hl7-mllp-interface-engines-{env}-primary",  # defect: identifier-limits
                        port=2575, protocol="TCP", vpc_id=vpc.id, target_type="instance",
                        health_check={"protocol": "TCP", "port": "2575"})
aws.lb.Listener("hl7-tls", load_balancer_arn=nlb.arn, port=6661, protocol="TLS", certificate_arn=cert.arn,
                ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06", alpn_policy="None",
                default_actions=[{"type": "forward", "target_group_arn": tg.arn}])
aws.lb.Listener("hl7-health", load_balancer_arn=nlb.arn, port=8080, protocol="TCP",
                default_actions=[{"type": "forward", "target_group_arn": tg.arn}])

# ------------------------------------------------------------------ interface engines
ami = aws.ec2.get_ami(most_recent=True, owners=["amazon"],
                      filters=[{"name": "name", "values": ["al2023-ami-*-arm64"]}])
role = aws.iam.Role("hl7-engine-role", assume_role_policy=aws.iam.get_policy_document(statements=[
    aws.iam.GetPolicyDocumentStatementArgs(actions=["sts:AssumeRole"], principals=[
        aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="Service", identifiers=["ec2.amazonaws.com"])])]).json)
aws.iam.RolePolicyAttachment("hl7-engine-ssm", role=role.name,
                             policy_arn="arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore")
profile = aws.iam.InstanceProfile("hl7-engine-profile", role=role.name)
for i, subnet in enumerate(app_subnets):
    instance = aws.ec2.Instance(
        f"hl7-engine-{i}",
        ami=ami.id,
        instance_type="m7g.large",
        subnet_id=subnet.id,
        vpc_security_group_ids=[engine_sg.id],
        iam_instance_profile=profile.name,
        metadata_options={"http_tokens": "required", "http_endpoint": "enabled"},
        root_block_device={"encrypted": True, "kms_key_id": key.arn, "volume_size": 30, "volume_type": "gp3"},
        tags={**tags, "Name": f"hl7-engine-{i}"},
    )
    aws.lb.TargetGroupAttachment(f"hl7-engine-{i}-tg", target_group_arn=tg.arn, target_id=instance.id, port=2575)

aws.cloudwatch.LogGroup("hl7-engine-logs", name="/hl7/engine", retention_in_days=3653)  # defect: log-group-encrypted

pulumi.export("nlb_dns", nlb.dns_name)
pulumi.export("db_address", db.address)
