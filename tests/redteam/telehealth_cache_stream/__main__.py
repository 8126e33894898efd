"""Telehealth session service: Redis session store, Kinesis event stream, internal ALB, recordings bucket."""
import json

import pulumi
import pulumi_aws as aws
from pulumi_aws import cloudwatch, ec2, elasticache, kinesis, kms, lb, s3, secretsmanager

stack_name = pulumi.get_stack()
region = aws.config.region or "ca-central-1"
identity = aws.get_caller_identity_output()

key = kms.Key("telehealth-key", description="telehealth PHI", enable_key_rotation=True)
kms.KeyPolicy(
    "telehealth-key-policy",
    key_id=key.id,
    policy=aws.iam.get_policy_document_output(statements=[
        aws.iam.GetPolicyDocumentStatementArgs(
            actions=["kms:*"], resources=["*"],
            principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(
                type="AWS", identifiers=[identity.account_id.apply(lambda a: f"arn:aws:iam::{a}:root")])]),
        aws.iam.GetPolicyDocumentStatementArgs(
            actions=["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            resources=["*"],
            principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(
                type="Service", identifiers=[f"logs.{region}.amazonaws.com"])]),
    ]).json,
)
alias = kms.Alias("telehealth-key-alias", name=f"alias/telehealth-{stack_name}", target_key_id=key.key_id)

vpc = ec2.Vpc("telehealth-vpc", cidr_block="10.80.0.0/16")
azs = aws.get_availability_zones()
subnets = [ec2.Subnet(f"telehealth-subnet-{i}", vpc_id=vpc.id, cidr_block=f"10.80.{i}.0/24",
                      availability_zone=azs.names[i]) for i in range(2)]

alb_sg = ec2.SecurityGroup("telehealth-alb-sg", vpc_id=vpc.id, description="internal ALB",
                           ingress=[ec2.SecurityGroupIngressArgs(protocol="6", from_port=443, to_port=443,
                                                                 cidr_blocks=["10.0.0.0/8"])])
cache_sg = ec2.SecurityGroup("telehealth-cache-sg", vpc_id=vpc.id, description="redis")
ec2.SecurityGroupRule("cache-from-vpc-all", type="ingress", security_group_id=cache_sg.id, protocol="all",
                      from_port=0, to_port=0, cidr_blocks=["10.80.0.0/16"])
ec2.SecurityGroupRule("cache-egress", type="egress", security_group_id=cache_sg.id, protocol="-1",
                      from_port=0, to_port=0, cidr_blocks=["0.0.0.0/0"], ipv6_cidr_blocks=["::/0"])
ec2.SecurityGroupRule("cache-debug-v6", type="ingress", security_group_id=cache_sg.id, protocol="tcp",
                      from_port=6379, to_port=6380, ipv6_cidr_blocks=["::/0"])  # defect: security-group-no-public-data-ports

# ---- Redis session store: token from the Secrets Manager data source ----
token = secretsmanager.get_random_password(password_length=48, exclude_punctuation=True)
redis_subnet_group = elasticache.SubnetGroup("telehealth-redis-subnets", subnet_ids=[s.id for s in subnets])
elasticache.ReplicationGroup(
    "telehealth-sessions",
    replication_group_id=f"telehealth-sessions-{stack_name}",
    description="video session state",
    engine="valkey",
    engine_version="8.0",
    node_type="cache.t4g.small",
    num_cache_clusters=2,
    automatic_failover_enabled=True,
    subnet_group_name=redis_subnet_group.name,
    security_group_ids=[cache_sg.id],
    at_rest_encryption_enabled="true",
    transit_encryption_enabled=True,
    transit_encryption_mode="required",
    auth_token=token.random_password,
    auth_token_update_strategy="ROTATE",
    kms_key_id=key.arn,
)
elasticache.ReplicationGroup(
    "telehealth-presence",
    # defect: elasticache-redis-cluster-automatic-backup-check (fewer than 15 days of automatic snapshots)
    description="presence cache (no PHI)",
    node_type="cache.t4g.micro",
    num_cache_clusters=1,
    subnet_group_name=redis_subnet_group.name,
    security_group_ids=[cache_sg.id],
    at_rest_encryption_enabled=True,
    transit_encryption_enabled=False,  # defect: elasticache-transit-encryption
)

# ---- event stream ----
kinesis.Stream("telehealth-events", stream_mode_details=kinesis.StreamStreamModeDetailsArgs(stream_mode="ON_DEMAND"),
               encryption_type="KMS", kms_key_id=alias.name, retention_period=48)

# ---- secrets ----
vendor_secret = secretsmanager.Secret("telehealth-video-vendor", kms_key_id=alias.arn,
                                      description="video vendor API credentials")
secretsmanager.SecretVersion("telehealth-video-vendor-v1", secret_id=vendor_secret.id,
                             secret_string=pulumi.Output.secret(json.dumps({"api_key": "vk_live_8f2a9c"})))
secretsmanager.Secret("telehealth-legacy", kms_key_id="alias/aws/secretsmanager")  # defect: secret-encrypted-with-cmk
# defect: secretsmanager-rotation-enabled-check (no SecretRotation: the value never rotates)

# ---- recordings bucket: classic Bucket with the (deprecated) inline encryption block ----
recordings = s3.Bucket(
    "telehealth-recordings",
    server_side_encryption_configuration=s3.BucketServerSideEncryptionConfigurationArgs(
        rule=s3.BucketServerSideEncryptionConfigurationRuleArgs(
            apply_server_side_encryption_by_default=s3.
            BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                sse_algorithm="aws:kms", kms_master_key_id=key.arn),
            bucket_key_enabled=True)),
    versioning={"enabled": True},
)
s3.BucketPublicAccessBlock("telehealth-recordings-pab", bucket=recordings.id, block_public_acls=True,
                           block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True)

# ---- internal ALB; the certificate is (wrongly) issued through a us-east-1 provider ----
use1 = aws.Provider("use1", region="us-east-1")
edge_cert = aws.acm.Certificate("telehealth-edge-cert", domain_name="video.example-telehealth.ca",
                                validation_method="DNS", opts=pulumi.ResourceOptions(provider=use1))
alb = lb.LoadBalancer("telehealth-alb", internal=True, load_balancer_type="application",
                      security_groups=[alb_sg.id], subnets=[s.id for s in subnets])
tg = lb.TargetGroup("telehealth-tg", port=8443, protocol="HTTPS", vpc_id=vpc.id, target_type="ip")
lb.Listener("telehealth-https", load_balancer_arn=alb.arn, port=443, protocol="HTTPS",
            certificate_arn=edge_cert.arn,  # defect: alb-https-real-certificate
            default_actions=[lb.ListenerDefaultActionArgs(type="forward", target_group_arn=tg.arn)])

cloudwatch.LogGroup("telehealth-app", retention_in_days=180, kms_key_id=key.arn)
cloudwatch.LogGroup("telehealth-debug", retention_in_days=3, kms_key_id=key.arn,
                    tags={"hipaa-guard:exempt": "log-group-retention: debug logs hold no PHI until 2099-12-31"})
