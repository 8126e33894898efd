import pulumi
import pulumi_aws as aws

central = aws.s3.Bucket("org-access-logs", acl="log-delivery-write")
datasets = {"claims": 365, "eligibility": 90, "prior-auth": 180}
buckets = {}
for dataset, days in datasets.items():
    buckets[dataset] = aws.s3.Bucket(
        f"{dataset}-landing",
        lifecycle_rules=[aws.s3.BucketLifecycleRuleArgs(enabled=True, expiration={"days": days})],
        loggings=[aws.s3.BucketLoggingArgs(target_bucket=central.id, target_prefix=f"{dataset}/")],
    )
pulumi.export("landing", {k: b.bucket for k, b in buckets.items()})
