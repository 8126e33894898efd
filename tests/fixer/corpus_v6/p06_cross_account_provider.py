import pulumi
import pulumi_aws as aws

audit_account_role = "arn:aws:iam::111122223333:role/hipaa-audit-writer"
audit = aws.Provider(
    "audit-account",
    region="us-east-1",
    assume_role=aws.ProviderAssumeRoleArgs(role_arn=audit_account_role, session_name="pulumi-audit"),
)

trail_bucket = aws.s3.BucketV2("org-trail", opts=pulumi.ResourceOptions(provider=audit))
trail = aws.cloudtrail.Trail(
    "org-trail",
    s3_bucket_name=trail_bucket.id,
    is_multi_region_trail=True,
    enable_log_file_validation=True,
    opts=pulumi.ResourceOptions(provider=audit),
)
pulumi.export("trail_arn", trail.arn)
