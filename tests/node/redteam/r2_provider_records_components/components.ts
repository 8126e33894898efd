import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

export interface SecureBucketArgs {
    kmsKeyArn: pulumi.Input<string>;
    accessLogBucket: pulumi.Input<string>;
    versioning?: "Enabled" | "Suspended";
    readerRoleArns?: pulumi.Input<string>[];
    denyInsecureTransport?: boolean;
}

/** One S3 bucket with KMS encryption, public access block, access logging, lifecycle and a bucket policy. */
export class SecureBucket extends pulumi.ComponentResource {
    public readonly bucket: aws.s3.Bucket;

    constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("records:storage:SecureBucket", name, {}, opts);
        const child = { parent: this };
        this.bucket = new aws.s3.Bucket(name, { forceDestroy: false }, child);
        new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-sse`, {
            bucket: this.bucket.id,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn }, bucketKeyEnabled: true }],
        }, child);
        new aws.s3.BucketVersioning(`${name}-versioning`, {
            bucket: this.bucket.id,
            versioningConfiguration: { status: args.versioning ?? "Enabled" },
        }, child);
        new aws.s3.BucketPublicAccessBlock(`${name}-pab`, {
            bucket: this.bucket.id,
            blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
        }, child);
        new aws.s3.BucketLogging(`${name}-logging`, {
            bucket: this.bucket.id, targetBucket: args.accessLogBucket, targetPrefix: `${name}/`,
        }, child);
        new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
            bucket: this.bucket.id,
            rules: [{ id: "old-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 365 } }],
        }, child);
        const readers = args.readerRoleArns ?? [];
        const deny = args.denyInsecureTransport ?? true;
        new aws.s3.BucketPolicy(`${name}-policy`, {
            bucket: this.bucket.id,
            policy: pulumi.all([this.bucket.arn, pulumi.all(readers)]).apply(([arn, roles]) => JSON.stringify({
                Version: "2012-10-17",
                Statement: [
                    ...(deny ? [{
                        Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "s3:*",
                        Resource: [arn, `${arn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } },
                    }] : []),
                    ...(roles.length ? [{ Sid: "Readers", Effect: "Allow", Principal: { AWS: roles }, Action: ["s3:GetObject"], Resource: `${arn}/*` }] : []),
                ],
            })),
        }, child);
        this.registerOutputs({ bucketName: this.bucket.bucket });
    }
}

export interface RecordsArchiveArgs {
    accessLogBucket: pulumi.Input<string>;
    adminRoleArn: pulumi.Input<string>;
    readerRoleArns: pulumi.Input<string>[];
    rotateKey: boolean;
}

/** A records archive: its own key, a primary bucket and an export bucket, each a SecureBucket. */
export class RecordsArchive extends pulumi.ComponentResource {
    public readonly key: aws.kms.Key;
    public readonly primary: SecureBucket;
    public readonly exports: SecureBucket;

    constructor(name: string, args: RecordsArchiveArgs & { exportsVersioning?: "Enabled" | "Suspended"; exportsTls?: boolean },
                opts?: pulumi.ComponentResourceOptions) {
        super("records:storage:RecordsArchive", name, {}, opts);
        const keyPolicy = aws.iam.getPolicyDocumentOutput({
            statements: [{
                sid: "KeyAdmins",
                principals: [{ type: "AWS", identifiers: [args.adminRoleArn] }],
                actions: ["kms:*"],
                resources: ["*"],
            }],
        }, { parent: this });
        this.key = new aws.kms.Key(`${name}-key`, {
            description: `${name} records at rest`,
            enableKeyRotation: args.rotateKey,
            deletionWindowInDays: 30,
            policy: keyPolicy.json,
        }, { parent: this });
        this.primary = new SecureBucket(`${name}-primary`, {
            kmsKeyArn: this.key.arn, accessLogBucket: args.accessLogBucket, readerRoleArns: args.readerRoleArns,
        }, { parent: this });
        this.exports = new SecureBucket(`${name}-exports`, {
            kmsKeyArn: this.key.arn, accessLogBucket: args.accessLogBucket,
            versioning: args.exportsVersioning, denyInsecureTransport: args.exportsTls,
        }, { parent: this });
        this.registerOutputs({ keyArn: this.key.arn });
    }
}
