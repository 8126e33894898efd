import pulumi_aws as aws

bucket = aws.s3.BucketV2("p29-bucket")
aws.s3.BucketPublicAccessBlock("p29-pab", bucket=bucket.id, block_public_acls="true", block_public_policy="true",
                               ignore_public_acls=True, restrict_public_buckets="true")
aws.s3.BucketVersioningV2("p29-versioning", bucket=bucket.id, versioning_configuration={"status": "Enabled"})
