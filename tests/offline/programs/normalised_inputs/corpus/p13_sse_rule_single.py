import pulumi_aws as aws

bucket = aws.s3.BucketV2("p13-bucket")
aws.s3.BucketServerSideEncryptionConfigurationV2(
    "p13-sse",
    bucket=bucket.id,
    rules={"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms"}, "bucket_key_enabled": True},
)
