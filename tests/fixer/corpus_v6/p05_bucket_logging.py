import pulumi
import pulumi_aws as aws

access_logs = aws.s3.Bucket("phi-access-logs", acl="log-delivery-write")

documents = aws.s3.Bucket(
    "phi-documents",
    versioning=aws.s3.BucketVersioningArgs(enabled=True),
    server_side_encryption_configuration=aws.s3.BucketServerSideEncryptionConfigurationArgs(
        rule=aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
            apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                sse_algorithm="aws:kms",
            ),
        ),
    ),
    loggings=[aws.s3.BucketLoggingArgs(target_bucket=access_logs.id, target_prefix="documents/")],
    tags={"data-class": "phi"},
)
aws.s3.BucketPublicAccessBlock("phi-documents-pab", bucket=documents.id, block_public_acls=True,
                               block_public_policy=True, ignore_public_acls=True, restrict_public_buckets=True)
pulumi.export("bucket", documents.bucket)
