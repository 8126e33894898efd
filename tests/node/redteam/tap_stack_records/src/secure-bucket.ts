import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { denyInsecureTransport } from "./policies";

export interface SecureBucketArgs {
    kmsKeyArn: pulumi.Input<string>;
    logBucketId?: pulumi.Input<string>;
    extraStatements?: aws.types.input.iam.GetPolicyDocumentStatementArgs[];
    enforceTls?: boolean;
    tags?: Record<string, string>;
}

export class SecureBucket extends pulumi.ComponentResource {
    public readonly bucket: aws.s3.Bucket;
    public readonly policy: aws.s3.BucketPolicy;

    constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tap:storage:SecureBucket", name, {}, opts);
        const child = { parent: this };
        this.bucket = new aws.s3.Bucket(name, { forceDestroy: false, tags: args.tags }, { ...child, protect: true });
        new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-sse`, {
            bucket: this.bucket.id,
            rules: [{
                applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn },
                bucketKeyEnabled: true,
            }],
        }, child);
        new aws.s3.BucketVersioning(`${name}-versioning`, {
            bucket: this.bucket.id,
            versioningConfiguration: { status: "Enabled" },
        }, child);
        new aws.s3.BucketPublicAccessBlock(`${name}-pab`, {
            bucket: this.bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }, child);
        new aws.s3.BucketLifecycleConfiguration(`${name}-lifecycle`, {
            bucket: this.bucket.id,
            rules: [{
                id: "noncurrent",
                status: "Enabled",
                filter: {},
                noncurrentVersionExpiration: { noncurrentDays: 2555 },
            }],
        }, child);
        new aws.s3.BucketNotification(`${name}-events`, { bucket: this.bucket.id, eventbridge: true }, child);
        if (args.logBucketId) {
            new aws.s3.BucketLogging(`${name}-logging`, {
                bucket: this.bucket.id,
                targetBucket: args.logBucketId,
                targetPrefix: `${name}/`,
            }, child);
        }
        const statements = [...(args.extraStatements ?? [])];
        if (args.enforceTls !== false) {
            statements.push(denyInsecureTransport(this.bucket.arn));
        }
        this.policy = new aws.s3.BucketPolicy(`${name}-policy`, {
            bucket: this.bucket.id,
            policy: aws.iam.getPolicyDocumentOutput({ statements }).json,
        }, child);
        this.registerOutputs({ bucketName: this.bucket.bucket });
    }
}
