import pulumi
import pulumi_aws as aws


class LoggedBucket(pulumi.ComponentResource):
    def __init__(self, name, log_bucket, opts=None):
        super().__init__("hipaa:storage:LoggedBucket", name, None, opts)
        self.bucket = aws.s3.Bucket(
            name,
            loggings=[aws.s3.BucketLoggingArgs(target_bucket=log_bucket.id, target_prefix=f"{name}/")],
            server_side_encryption_configuration={
                "rule": {"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}},
            },
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"bucket": self.bucket.id})


logs = aws.s3.Bucket("central-logs")
buckets = [LoggedBucket(f"claims-{region}", logs) for region in ["east", "west"]]
pulumi.export("buckets", [b.bucket.id for b in buckets])
