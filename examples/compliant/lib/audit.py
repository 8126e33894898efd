"""Audit logging and recovery for the HIPAA stack (AWS Config HIPAA conformance pack rules).

- `log_bucket`: one bucket for the ALB access logs, the S3 server access logs, the CloudTrail trail and the VPC
  flow logs. It uses SSE-S3 because ALB log delivery and S3 server access logging support nothing else; it is
  versioned, Object Lock enabled, TLS-only, notifies EventBridge and expires old versions.
- `tls_only_statement`: the Deny that refuses every request made without TLS (s3-bucket-ssl-requests-only).
"""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_aws as aws

LOG_RETENTION_DAYS = 2190  # six years: 45 CFR 164.316(b)(2) documentation retention


def tls_only_statement(bucket_arn: str) -> dict[str, Any]:
    return {
        "Sid": "DenyPlaintext",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn, f"{bucket_arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def _log_delivery_policy(bucket_arn: str, account_id: str) -> str:
    """Who may write here (ALB, CloudTrail, VPC flow logs, S3 server access logging), plus TLS only."""
    services = {
        "AlbAccessLogs": ("logdelivery.elasticloadbalancing.amazonaws.com", "alb"),
        "CloudTrail": ("cloudtrail.amazonaws.com", "cloudtrail"),
        "FlowLogs": ("delivery.logs.amazonaws.com", "flow-logs"),
        "S3AccessLogs": ("logging.s3.amazonaws.com", "s3"),
    }
    statements = [tls_only_statement(bucket_arn)]
    for sid, (service, prefix) in services.items():
        statements.append({
            "Sid": f"{sid}Write",
            "Effect": "Allow",
            "Principal": {"Service": service},
            "Action": "s3:PutObject",
            "Resource": f"{bucket_arn}/{prefix}/*",
            "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
        })
    statements.append({
        "Sid": "LogServicesReadAcl",
        "Effect": "Allow",
        "Principal": {"Service": ["cloudtrail.amazonaws.com", "delivery.logs.amazonaws.com"]},
        "Action": "s3:GetBucketAcl",
        "Resource": bucket_arn,
        "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
    })
    return json.dumps({"Version": "2012-10-17", "Statement": statements})


def noncurrent_versions_expire(name: str, bucket: aws.s3.Bucket, days: int) -> None:
    aws.s3.BucketLifecycleConfiguration(
        name,
        bucket=bucket.id,
        rules=[aws.s3.BucketLifecycleConfigurationRuleArgs(
            id="expire-old-versions",
            status="Enabled",
            filter=aws.s3.BucketLifecycleConfigurationRuleFilterArgs(prefix=""),
            noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                noncurrent_days=days),
        )],
    )


def log_bucket(name: str, prefix: str, account_id: pulumi.Output, tags: dict[str, str]):
    """The stack's log bucket and its configuration; returns (bucket, bucket policy)."""
    bucket = aws.s3.Bucket(
        name,
        bucket_prefix=f"{prefix}-audit-logs-",
        object_lock_enabled=True,  # log files cannot be overwritten; delivery needs no default retention
        tags={**tags, "hipaa-guard:exempt": "s3-bucket-replication-enabled: single-region deployment, "
                                            "the bucket is in the AWS Backup plan"},
    )
    aws.s3.BucketServerSideEncryptionConfiguration(
        f"{name}-encryption",
        bucket=bucket.id,
        rules=[aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
            apply_server_side_encryption_by_default={"sse_algorithm": "AES256"})],
    )
    aws.s3.BucketPublicAccessBlock(
        f"{name}-public-access",
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
    )
    aws.s3.BucketVersioning(
        f"{name}-versioning",
        bucket=bucket.id,
        versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
    )
    noncurrent_versions_expire(f"{name}-lifecycle", bucket, LOG_RETENTION_DAYS)
    aws.s3.BucketNotification(f"{name}-events", bucket=bucket.id, eventbridge=True)
    policy = aws.s3.BucketPolicy(
        f"{name}-policy",
        bucket=bucket.id,
        policy=pulumi.Output.all(bucket.arn, account_id).apply(lambda args: _log_delivery_policy(*args)),
    )
    return bucket, policy
