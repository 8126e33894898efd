import pulumi
import pulumi_aws as aws

key = aws.kms.Key("exports-key", enable_key_rotation=True)
exports = aws.s3.BucketV2("exports")
aws.s3.BucketServerSideEncryptionConfigurationV2(
    "exports-sse", bucket=exports.id,
    rules=[aws.s3.BucketServerSideEncryptionConfigurationV2RuleArgs(
        apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs(
            sse_algorithm="aws:kms", kms_master_key_id=key.arn),
        bucket_key_enabled=True)])
aws.s3.BucketVersioningV2("exports-versioning", bucket=exports.id,
                          versioning_configuration={"status": "Enabled"})
logs = aws.s3.Bucket("exports-logs", loggings=[{"target_bucket": exports.id, "target_prefix": "self/"}])
pulumi.export("exports", exports.bucket)
