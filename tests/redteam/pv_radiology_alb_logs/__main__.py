"""Radiology viewer (DICOM web) on an internal ALB. Access logs go to a dedicated bucket whose policy
is assembled from a shared TLS-only document plus the ELB log-delivery statement."""
import json

import pulumi
import pulumi_aws as aws
import pulumi_aws.ec2 as ec2
from pulumi_aws import iam, lb

config = pulumi.Config()
network = config.require_object("network")
certificate_arn = config.require("certificateArn")
deletion_protection = config.get_bool("deletionProtection", True)
retention_days = config.get_int("logRetentionDays", 2190)
stack = pulumi.get_stack()
tags = {"app": "radiology-viewer", "env": stack, "data-classification": "phi"}

partition = aws.get_partition()
region = aws.get_region()
caller = aws.get_caller_identity()
vpc = ec2.get_vpc(tags={"Name": network["vpcName"]})
private_subnets = ec2.get_subnets(filters=[
    ec2.GetSubnetsFilterArgs(name="vpc-id", values=[vpc.id]),
    {"name": "tag:tier", "values": [network["privateTier"]]},
])
elb_account = aws.elb.get_service_account()

# --- access log bucket (ALB log delivery only supports SSE-S3) ---------------------------------
log_bucket = aws.s3.BucketV2(
    "radiology-alb-logs",
    bucket_prefix="radiology-alb-logs-",
    object_lock_enabled=True,
    tags={**tags, "hipaa-guard:exempt": "s3-bucket-replication-enabled: access logs are copied by the "
                                        "log-archive account; s3-bucket-logging-enabled: this bucket is the "
                                        "access log target itself"},
)
aws.s3.BucketServerSideEncryptionConfigurationV2(
    "radiology-alb-logs-sse", bucket=log_bucket.id,
    rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}])
aws.s3.BucketVersioningV2("radiology-alb-logs-versioning", bucket=log_bucket.id,
                          versioning_configuration=aws.s3.BucketVersioningV2VersioningConfigurationArgs(
                              status="Enabled"))
aws.s3.BucketPublicAccessBlock("radiology-alb-logs-pab", bucket=log_bucket.id, block_public_acls=True,
                               block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True)
aws.s3.BucketLifecycleConfigurationV2(
    "radiology-alb-logs-lifecycle", bucket=log_bucket.id,
    rules=[{"id": "expire-noncurrent", "status": "Enabled", "filter": {"prefix": ""},
            "noncurrent_version_expiration": {"noncurrent_days": retention_days}}])
aws.s3.BucketNotification("radiology-alb-logs-events", bucket=log_bucket.id, eventbridge=True)

# Shared TLS-only statement, merged into the bucket policy through source_policy_documents.
tls_only = iam.get_policy_document_output(statements=[iam.GetPolicyDocumentStatementArgs(
    sid="DenyInsecureTransport",
    effect="Deny",
    principals=[iam.GetPolicyDocumentStatementPrincipalArgs(type="*", identifiers=["*"])],
    actions=["s3:*"],
    resources=[log_bucket.arn, pulumi.Output.concat(log_bucket.arn, "/*")],
    conditions=[iam.GetPolicyDocumentStatementConditionArgs(
        test="Bool", variable="aws:SecureTransport", values=["false"])],
)])
log_policy = iam.get_policy_document_output(
    source_policy_documents=[tls_only.json],
    statements=[{
        "sid": "ElbLogDelivery",
        "effect": "Allow",
        "principals": [{"type": "AWS", "identifiers": [elb_account.arn]}],
        "actions": ["s3:PutObject"],
        "resources": [log_bucket.arn.apply(lambda a: f"{a}/alb/AWSLogs/{caller.account_id}/*")],
    }],
)
log_bucket_policy = aws.s3.BucketPolicy("radiology-alb-logs-policy", bucket=log_bucket.id,
                                        policy=log_policy.json)

# --- load balancer ----------------------------------------------------------------------------
alb_sg = ec2.SecurityGroup(
    "radiology-alb-sg",
    vpc_id=vpc.id,
    description="HTTPS from the clinical networks",
    ingress=[ec2.SecurityGroupIngressArgs(protocol="tcp", from_port=443, to_port=443,
                                          cidr_blocks=network["allowedCidrs"], description="viewer TLS")],
    egress=[{"protocol": "tcp", "from_port": 8443, "to_port": 8443, "cidr_blocks": [vpc.cidr_block],
             "description": "to the viewer tasks"}],
    tags=tags,
)
# defect: security-group-no-public-data-ports (RDP open to the internet for a "temporary" jump host)
# defect: vpc-sg-open-only-to-authorized-ports (3389 from anywhere is not an authorized public port)
jump_rule = ec2.SecurityGroupRule(
    "radiology-jump-rdp", type="ingress", security_group_id=alb_sg.id, protocol="tcp",
    from_port=3389, to_port=3389, cidr_blocks=["0.0.0.0/0"], description="temporary vendor access")

alb = lb.LoadBalancer(
    "radiology-alb",
    internal=True,
    load_balancer_type="application",
    security_groups=[alb_sg.id],
    subnets=private_subnets.ids,
    drop_invalid_header_fields=True,
    enable_deletion_protection=deletion_protection,
    access_logs=lb.LoadBalancerAccessLogsArgs(bucket=log_bucket.bucket, prefix="alb", enabled=True),
    tags={**tags, "hipaa-guard:exempt": "alb-waf-enabled: internal only, WAF at the clinical edge"},
    opts=pulumi.ResourceOptions(depends_on=[log_bucket_policy]),
)
viewer_tg = lb.TargetGroup(
    "radiology-viewer-tg", port=8443, protocol="HTTPS", target_type="ip", vpc_id=vpc.id,
    health_check={"path": "/healthz", "protocol": "HTTPS", "matcher": "200"}, tags=tags)
lb.Listener(
    "radiology-https", load_balancer_arn=alb.arn, port=443, protocol="HTTPS",
    ssl_policy="ELBSecurityPolicy-TLS13-1-2-2021-06", certificate_arn=certificate_arn,
    default_actions=[{"type": "forward", "target_group_arn": viewer_tg.arn}])
# defect: alb-http-redirects-to-https (plain HTTP forwarded to the viewer instead of redirected)
# defect: lb-security-group-allows-listener-port (the ALB security group admits only 443, not 80)
lb.Listener(
    "radiology-http", load_balancer_arn=alb.arn, port=80, protocol="HTTP",
    default_actions=[lb.ListenerDefaultActionArgs(type="forward", target_group_arn=viewer_tg.arn)])

# --- application log group with the platform key, looked up by alias ---------------------------
platform_key = aws.kms.get_alias(name="alias/clinical-platform-logs")
aws.cloudwatch.LogGroup(
    "radiology-viewer-logs",
    name=f"/radiology/{stack}/viewer",
    retention_in_days=retention_days,
    kms_key_id=platform_key.target_key_arn,
    tags=tags,
)
# defect: log-group-retention (audit log group kept forever instead of a set retention)
aws.cloudwatch.LogGroup(
    "radiology-audit-logs",
    name=f"/radiology/{stack}/audit",
    kms_key_id=platform_key.target_key_arn,
    tags=tags,
)

pulumi.export("albDns", alb.dns_name)
pulumi.export("logBucketArnPartition", log_bucket.arn.apply(lambda a: a.split(":")[1]))
pulumi.export("region", region.name)
pulumi.export("logPolicy", log_policy.json)
