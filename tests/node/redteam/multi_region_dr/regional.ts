import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** A customer-managed key whose policy lets CloudWatch Logs of `logsRegion` use it. */
export function regionalKey(
    name: string, accountId: pulumi.Input<string>, logsRegion: pulumi.Input<string>, opts?: pulumi.CustomResourceOptions,
): aws.kms.Key {
    return new aws.kms.Key(name, {
        description: `${name} (PHI at rest)`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: pulumi.all([accountId, logsRegion]).apply(([account, region]) => JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                { Sid: "Root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" },
                {
                    Sid: "Logs", Effect: "Allow", Principal: { Service: `logs.${region}.amazonaws.com` },
                    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                    Resource: "*",
                    Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${account}:log-group:*` } },
                },
            ],
        })),
    }, opts);
}

/** Bucket with SSE-KMS, versioning, public access block and a TLS-only policy. */
export function encryptedBucket(
    name: string, keyArn: pulumi.Input<string>, tags: Record<string, string>, opts?: pulumi.CustomResourceOptions,
): aws.s3.Bucket {
    const bucket = new aws.s3.Bucket(name, { tags }, opts);
    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-sse`, {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn }, bucketKeyEnabled: true }],
    }, opts);
    new aws.s3.BucketVersioning(`${name}-versioning`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, opts);
    new aws.s3.BucketPublicAccessBlock(`${name}-pab`, {
        bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
    }, opts);
    new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
        bucket: bucket.id,
        rules: [{ id: "noncurrent", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 180 } }],
    }, opts);
    new aws.s3.BucketPolicy(`${name}-policy`, {
        bucket: bucket.id,
        policy: bucket.arn.apply((arn) => JSON.stringify({
            Version: "2012-10-17",
            Statement: [{
                Sid: "DenyNonTls", Effect: "Deny", Principal: "*", Action: "s3:*",
                Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } },
            }],
        })),
    }, opts);
    return bucket;
}
