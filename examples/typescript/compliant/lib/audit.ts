/**
 * Audit logging and recovery for the HIPAA stack (AWS Config HIPAA conformance pack rules).
 *
 * - `logBucket`: one bucket for the ALB access logs, the S3 server access logs, the CloudTrail trail and the VPC
 *   flow logs. It uses SSE-S3 because ALB log delivery and S3 server access logging support nothing else; it is
 *   versioned, Object Lock enabled, TLS-only, notifies EventBridge and expires old versions.
 * - `tlsOnlyStatement`: the Deny that refuses every request made without TLS (s3-bucket-ssl-requests-only).
 */

import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

export const LOG_RETENTION_DAYS = 2190; // six years: 45 CFR 164.316(b)(2) documentation retention

export function tlsOnlyStatement(bucketArn: string): Record<string, any> {
    return {
        Sid: "DenyPlaintext",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/** Who may write here (ALB, CloudTrail, VPC flow logs, S3 server access logging), plus TLS only. */
function logDeliveryPolicy(bucketArn: string, accountId: string): string {
    const services: Record<string, [string, string]> = {
        AlbAccessLogs: ["logdelivery.elasticloadbalancing.amazonaws.com", "alb"],
        CloudTrail: ["cloudtrail.amazonaws.com", "cloudtrail"],
        FlowLogs: ["delivery.logs.amazonaws.com", "flow-logs"],
        S3AccessLogs: ["logging.s3.amazonaws.com", "s3"],
    };
    const statements: Record<string, any>[] = [tlsOnlyStatement(bucketArn)];
    for (const [sid, [service, prefix]] of Object.entries(services)) {
        statements.push({
            Sid: `${sid}Write`,
            Effect: "Allow",
            Principal: { Service: service },
            Action: "s3:PutObject",
            Resource: `${bucketArn}/${prefix}/*`,
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
        });
    }
    statements.push({
        Sid: "LogServicesReadAcl",
        Effect: "Allow",
        Principal: { Service: ["cloudtrail.amazonaws.com", "delivery.logs.amazonaws.com"] },
        Action: "s3:GetBucketAcl",
        Resource: bucketArn,
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
    });
    return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

export function noncurrentVersionsExpire(name: string, bucket: aws.s3.Bucket, days: number): void {
    new aws.s3.BucketLifecycleConfiguration(name, {
        bucket: bucket.id,
        rules: [{
            id: "expire-old-versions",
            status: "Enabled",
            filter: { prefix: "" },
            noncurrentVersionExpiration: { noncurrentDays: days },
        }],
    });
}

/** The stack's log bucket and its configuration; returns [bucket, bucket policy]. */
export function logBucket(
    name: string,
    prefix: string,
    accountId: pulumi.Output<string>,
    tags: Record<string, string>,
): [aws.s3.Bucket, aws.s3.BucketPolicy] {
    const bucket = new aws.s3.Bucket(name, {
        bucketPrefix: `${prefix}-audit-logs-`,
        objectLockEnabled: true, // log files cannot be overwritten; delivery needs no default retention
        tags: {
            ...tags,
            "hipaa-guard:exempt": "s3-bucket-replication-enabled: single-region deployment, "
                + "the bucket is in the AWS Backup plan",
        },
    });
    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-encryption`, {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    new aws.s3.BucketPublicAccessBlock(`${name}-public-access`, {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
    });
    new aws.s3.BucketVersioning(`${name}-versioning`, {
        bucket: bucket.id,
        versioningConfiguration: { status: "Enabled" },
    });
    noncurrentVersionsExpire(`${name}-lifecycle`, bucket, LOG_RETENTION_DAYS);
    new aws.s3.BucketNotification(`${name}-events`, { bucket: bucket.id, eventbridge: true });
    const policy = new aws.s3.BucketPolicy(`${name}-policy`, {
        bucket: bucket.id,
        policy: pulumi.all([bucket.arn, accountId]).apply(([arn, account]) => logDeliveryPolicy(arn, account)),
    });
    return [bucket, policy];
}
