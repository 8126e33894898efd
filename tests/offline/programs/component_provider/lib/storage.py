import json

import pulumi
import pulumi_aws as aws


class EncryptedBucket(pulumi.ComponentResource):
    def __init__(self, name, opts=None):
        super().__init__("hipaa:storage:EncryptedBucket", name, None, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.key = aws.kms.Key(f"{name}-key", enable_key_rotation=True, opts=child)
        self.bucket = aws.s3.Bucket(f"{name}-bucket", opts=child)
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{name}-sse",
            bucket=self.bucket.id,
            rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms",
                                                                "kms_master_key_id": self.key.arn}}],
            opts=pulumi.ResourceOptions(parent=self.bucket),
        )
        self.policy = aws.s3.BucketPolicy(
            f"{name}-policy",
            bucket=self.bucket.id,
            policy=self.bucket.arn.apply(lambda arn: json.dumps({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*",
                               "Resource": [arn, f"{arn}/*"],
                               "Condition": {"Bool": {"aws:SecureTransport": "false"}}}],
            })),
            opts=child,
        )
        self.register_outputs({"bucketName": self.bucket.bucket})
