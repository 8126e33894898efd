import pulumi
import pulumi_aws as aws

log_bucket = aws.s3.Bucket("audit-log-sink")
for team in ["radiology", "cardiology"]:
    aws.s3.Bucket(
        f"{team}-exports",
        loggings=[{"target_bucket": log_bucket.id, "target_prefix": f"{team}/"}],
        versioning={"enabled": True},
        tags={"team": team},
    )
pulumi.export("log_bucket", log_bucket.id)
