"""Audit trail: CloudTrail into an SSE-KMS bucket and a KMS-encrypted log group; database credentials rotated
by Secrets Manager lambdas running in the VPC; a container-image lambda summarising audit events."""
import json

import pulumi
import pulumi_aws as aws

from lib.keys import logs_key, trail_key

config = pulumi.Config()
region = aws.config.region or "us-west-2"
retention = int(config.get("retentionDays") or 365)
settings = config.require_object("lambdaSettings")
alert_email = config.require("alertEmail")
caller = aws.get_caller_identity_output()
account_id = caller.account_id

audit_logs_key = logs_key("audit-logs-key", region, account_id)
app_logs_key = logs_key("app-logs-key", region, account_id, regional_principal=False)
cloudtrail_key = trail_key("cloudtrail-key", region, account_id)
secrets_key = aws.kms.Key("secrets-key", description="rotated credentials", enable_key_rotation=True)

# --- CloudTrail -----------------------------------------------------------------------------------------
trail_bucket = aws.s3.Bucket("audit-trail-bucket", force_destroy=False)
aws.s3.BucketServerSideEncryptionConfiguration(
    "audit-trail-bucket-sse", bucket=trail_bucket.id,
    rules=[aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
        apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
            sse_algorithm="aws:kms", kms_master_key_id=cloudtrail_key.arn),
        bucket_key_enabled=True)])
aws.s3.BucketPublicAccessBlock("audit-trail-bucket-pab", bucket=trail_bucket.id, block_public_acls=True,
                               block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True)
aws.s3.BucketVersioning("audit-trail-bucket-versioning", bucket=trail_bucket.id,
                        versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"))
trail_bucket_policy = aws.s3.BucketPolicy(
    "audit-trail-bucket-policy", bucket=trail_bucket.id,
    policy=aws.iam.get_policy_document_output(statements=[
        aws.iam.GetPolicyDocumentStatementArgs(
            sid="AWSCloudTrailAclCheck", actions=["s3:GetBucketAcl"], resources=[trail_bucket.arn],
            principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="Service",
                                                                        identifiers=["cloudtrail.amazonaws.com"])]),
        aws.iam.GetPolicyDocumentStatementArgs(
            sid="AWSCloudTrailWrite", actions=["s3:PutObject"],
            resources=[pulumi.Output.concat(trail_bucket.arn, "/AWSLogs/", account_id, "/*")],
            principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="Service",
                                                                        identifiers=["cloudtrail.amazonaws.com"])],
            conditions=[aws.iam.GetPolicyDocumentStatementConditionArgs(
                test="StringEquals", variable="s3:x-amz-acl", values=["bucket-owner-full-control"])]),
        aws.iam.GetPolicyDocumentStatementArgs(
            sid="DenyInsecureTransport", effect="Deny", actions=["s3:*"],
            resources=[trail_bucket.arn, pulumi.Output.concat(trail_bucket.arn, "/*")],
            principals=[aws.iam.GetPolicyDocumentStatementPrincipalArgs(type="*", identifiers=["*"])],
            conditions=[aws.iam.GetPolicyDocumentStatementConditionArgs(
                test="Bool", variable="aws:SecureTransport", values=["false"])]),
    ]).json)

# Server access logs for the trail bucket: encrypted, but nobody blocked public access.
access_logs = aws.s3.Bucket("audit-access-logs")  # defect: s3-public-access-blocked
aws.s3.BucketServerSideEncryptionConfiguration(
    "audit-access-logs-sse", bucket=access_logs.bucket,
    rules=[aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
        apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
            sse_algorithm="aws:kms:dsse", kms_master_key_id=cloudtrail_key.key_id))])
aws.s3.BucketLogging("audit-trail-bucket-logging", bucket=trail_bucket.id, target_bucket=access_logs.id,
                     target_prefix="trail/")

trail_logs = aws.cloudwatch.LogGroup("cloudtrail-logs", name="/aws/cloudtrail/phi-audit",
                                     retention_in_days=retention, kms_key_id=audit_logs_key.arn)
trail_role = aws.iam.Role("cloudtrail-to-logs", assume_role_policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                            "Principal": {"Service": "cloudtrail.amazonaws.com"}}]}))
aws.iam.RolePolicy("cloudtrail-to-logs-write", role=trail_role.id, policy=trail_logs.arn.apply(lambda arn: json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                                            "Resource": f"{arn}:*"}]})))
aws.cloudtrail.Trail(
    "phi-audit-trail",
    s3_bucket_name=trail_bucket.id,
    kms_key_id=cloudtrail_key.arn,
    is_multi_region_trail=True,
    include_global_service_events=True,
    enable_log_file_validation=True,
    cloud_watch_logs_group_arn=pulumi.Output.concat(trail_logs.arn, ":*"),
    cloud_watch_logs_role_arn=trail_role.arn,
    event_selectors=[aws.cloudtrail.TrailEventSelectorArgs(
        read_write_type="All", include_management_events=True,
        data_resources=[aws.cloudtrail.TrailEventSelectorDataResourceArgs(type="AWS::S3::Object",
                                                                           values=["arn:aws:s3"])])],
    opts=pulumi.ResourceOptions(depends_on=[trail_bucket_policy]),
)
alerts = aws.sns.Topic("audit-alerts", kms_master_key_id=secrets_key.id)
aws.sns.TopicSubscription("audit-alerts-email", topic=alerts.arn, protocol="email", endpoint=alert_email)

# --- network for the lambdas ----------------------------------------------------------------------------
vpc = aws.ec2.Vpc("audit-vpc", cidr_block="10.80.0.0/16", enable_dns_hostnames=True)
zones = aws.get_availability_zones(state="available").names[:2]
subnets = [aws.ec2.Subnet(f"audit-private-{i}", vpc_id=vpc.id, cidr_block=f"10.80.{i}.0/24", availability_zone=az)
           for i, az in enumerate(zones)]
lambda_sg = aws.ec2.SecurityGroup(
    "rotation-lambda-sg", vpc_id=vpc.id, description="rotation lambdas: egress only",
    egress=[aws.ec2.SecurityGroupEgressArgs(protocol="tcp", from_port=443, to_port=443, cidr_blocks=["0.0.0.0/0"]),
            aws.ec2.SecurityGroupEgressArgs(protocol="tcp", from_port=5432, to_port=5432,
                                            cidr_blocks=[vpc.cidr_block])])
aws.ec2.VpcEndpoint("secretsmanager-endpoint", vpc_id=vpc.id, vpc_endpoint_type="Interface",
                    service_name=f"com.amazonaws.{region}.secretsmanager", private_dns_enabled=True,
                    subnet_ids=[s.id for s in subnets], security_group_ids=[lambda_sg.id])

# --- rotation lambdas -----------------------------------------------------------------------------------
lambda_role = aws.iam.Role("rotation-role", assume_role_policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                            "Principal": {"Service": "lambda.amazonaws.com"}}]}),
    managed_policy_arns=[])
aws.iam.RolePolicyAttachment("rotation-vpc-access", role=lambda_role.name,
                             policy_arn="arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole")

rotated = {}
for engine, runtime in (("postgres", "python3.12"), ("mysql", "python3.8")):
    secret = aws.secretsmanager.Secret(f"{engine}-app-credentials", kms_key_id=secrets_key.arn,
                                       description=f"{engine} application user, rotated every 30 days")
    aws.secretsmanager.SecretVersion(f"{engine}-app-credentials-initial", secret_id=secret.id,
                                     secret_string=pulumi.Output.secret(json.dumps(
                                         {"engine": engine, "username": "app_user", "password": "Initial-Only-1"})))
    group = aws.cloudwatch.LogGroup(f"{engine}-rotation-logs", name=f"/aws/lambda/{engine}-rotation",
                                    retention_in_days=retention, kms_key_id=app_logs_key.arn)
    fn = aws.lambda_.Function(
        f"{engine}-rotation",
        name=f"{engine}-rotation",
        runtime=runtime,  # defect: lambda-runtime-supported  (the MySQL rotator is still on python3.8)
        handler="index.handler",
        code=pulumi.AssetArchive({"index.py": pulumi.FileAsset("rotation/index.py")}),
        role=lambda_role.arn,
        timeout=settings["timeout"],
        memory_size=settings["memory"],
        kms_key_arn=secrets_key.arn,
        vpc_config=aws.lambda_.FunctionVpcConfigArgs(subnet_ids=[s.id for s in subnets],
                                                    security_group_ids=[lambda_sg.id]),
        environment=aws.lambda_.FunctionEnvironmentArgs(variables={
            "SECRETS_MANAGER_ENDPOINT": f"https://secretsmanager.{region}.amazonaws.com",
            "EXCLUDE_CHARACTERS": "/@\"'\\",
            "ALERT_TOPIC": alerts.arn,
            **settings["env"],
        }),
        logging_config=aws.lambda_.FunctionLoggingConfigArgs(log_format="JSON", log_group=group.name),
        opts=pulumi.ResourceOptions(depends_on=[group]),
    )
    aws.lambda_.Permission(f"{engine}-rotation-invoke", action="lambda:InvokeFunction", function=fn.name,
                           principal="secretsmanager.amazonaws.com", source_arn=secret.arn)
    aws.secretsmanager.SecretRotation(f"{engine}-app-credentials-rotation", secret_id=secret.id,
                                      rotation_lambda_arn=fn.arn,
                                      rotation_rules=aws.secretsmanager.SecretRotationRotationRulesArgs(
                                          automatically_after_days=30))
    rotated[engine] = secret

# A rotation secret created by a copy-paste that lost its key.
aws.secretsmanager.Secret("oracle-app-credentials",  # defect: secret-encrypted-with-cmk
                          # defect: secretsmanager-rotation-enabled-check (no SecretRotation: the value never rotates)
                          description="oracle application user", recovery_window_in_days=30)

# --- image-based audit summariser ---------------------------------------------------------------------
repo = aws.ecr.Repository("audit-summariser", image_tag_mutability="IMMUTABLE",
                          image_scanning_configuration=aws.ecr.RepositoryImageScanningConfigurationArgs(scan_on_push=True),
                          encryption_configurations=[aws.ecr.RepositoryEncryptionConfigurationArgs(
                              encryption_type="KMS", kms_key=secrets_key.arn)])
summary_logs = aws.cloudwatch.LogGroup("audit-summariser-logs", name="/aws/lambda/audit-summariser",
                                       retention_in_days=90)  # defect: log-group-encrypted
aws.lambda_.Function(
    "audit-summariser",
    package_type="Image",
    image_uri=repo.repository_url.apply(lambda url: f"{url}:2026.11.1"),
    image_config=aws.lambda_.FunctionImageConfigArgs(commands=["app.handler"]),
    architectures=["arm64"],
    role=lambda_role.arn,
    timeout=300,
    memory_size=1024,
    reserved_concurrent_executions=settings["reservedConcurrency"],
    tracing_config=aws.lambda_.FunctionTracingConfigArgs(mode="Active"),
    environment=aws.lambda_.FunctionEnvironmentArgs(variables={
        "TRAIL_BUCKET": trail_bucket.bucket,
        "POSTGRES_SECRET_ARN": rotated["postgres"].arn,
        "AWS_REGION": region,  # defect: lambda-reserved-env-vars
    }),
    logging_config=aws.lambda_.FunctionLoggingConfigArgs(log_format="JSON", log_group=summary_logs.name),
)

pulumi.export("trail_bucket", trail_bucket.bucket)
