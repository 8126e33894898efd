import pulumi
import pulumi_aws as aws

regions = {"us-east-1": "arn:aws:iam::123456789012:role/trail", "us-west-2": "arn:aws:iam::123456789012:role/trail"}
for region, role in regions.items():
    provider = aws.Provider(f"trail-{region}", region=region, assume_role=aws.ProviderAssumeRoleArgs(role_arn=role))
    bucket = aws.s3.BucketV2(f"trail-logs-{region}", opts=pulumi.ResourceOptions(provider=provider))
    aws.cloudtrail.Trail(f"trail-{region}", s3_bucket_name=bucket.id, enable_log_file_validation=True,
                         opts=pulumi.ResourceOptions(provider=provider))
