import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { SecureBucket } from "./secure-bucket";
import { denyInsecureTransport, recordsKeyPolicy } from "./policies";

export interface TapStackArgs {
    environmentSuffix: string;
    logRetentionDays: number;
    tags?: { [key: string]: string };
}

/** Patient-records backend: encrypted document store, metadata table, audit trail. */
export class TapStack extends pulumi.ComponentResource {
    public readonly recordsBucketName: pulumi.Output<string>;
    public readonly tableName: pulumi.Output<string>;

    constructor(name: string, args: TapStackArgs, opts?: pulumi.ComponentResourceOptions) {
        super("tap:stack:TapStack", name, args, opts);
        const suffix = args.environmentSuffix;
        const tags = { ...args.tags, Environment: suffix, DataClassification: "PHI" };
        const identity = aws.getCallerIdentityOutput({}, { parent: this });
        const region = aws.getRegionOutput({}, { parent: this });

        const key = new aws.kms.Key(`records-key-${suffix}`, {
            description: "PHI records key",
            enableKeyRotation: true,
            deletionWindowInDays: 30,
            policy: recordsKeyPolicy(identity.accountId, region.region),
            tags,
        }, { parent: this, protect: true });
        new aws.kms.Alias(`records-key-alias-${suffix}`, { name: `alias/tap-records-${suffix}`, targetKeyId: key.keyId }, { parent: this });

        // Access-log and trail target, under the records key (its key policy admits logging.s3 and CloudTrail).
        const logs = new aws.s3.Bucket(`records-logs-${suffix}`, { tags }, { parent: this });
        new aws.s3.BucketServerSideEncryptionConfiguration(`records-logs-sse-${suffix}`, {
            bucket: logs.id,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
        }, { parent: this });
        new aws.s3.BucketVersioning(`records-logs-versioning-${suffix}`, {
            bucket: logs.id, versioningConfiguration: { status: "Enabled" },
        }, { parent: this });
        new aws.s3.BucketPublicAccessBlock(`records-logs-pab-${suffix}`, {
            bucket: logs.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
        }, { parent: this });
        new aws.s3.BucketLifecycleConfiguration(`records-logs-lifecycle-${suffix}`, {
            bucket: logs.id,
            rules: [{ id: "expire", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 365 } }],
        }, { parent: this });
        new aws.s3.BucketNotification(`records-logs-events-${suffix}`, { bucket: logs.id, eventbridge: true }, { parent: this });
        const logsPolicy = new aws.s3.BucketPolicy(`records-logs-policy-${suffix}`, {
            bucket: logs.id,
            policy: aws.iam.getPolicyDocumentOutput({
                statements: [
                    denyInsecureTransport(logs.arn),
                    {
                        sid: "ServerAccessLogs",
                        effect: "Allow",
                        principals: [{ type: "Service", identifiers: ["logging.s3.amazonaws.com"] }],
                        actions: ["s3:PutObject"],
                        resources: [pulumi.interpolate`${logs.arn}/*`],
                        conditions: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [identity.accountId] }],
                    },
                    {
                        sid: "CloudTrailAclCheck",
                        effect: "Allow",
                        principals: [{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }],
                        actions: ["s3:GetBucketAcl"],
                        resources: [logs.arn],
                    },
                    {
                        sid: "CloudTrailWrite",
                        effect: "Allow",
                        principals: [{ type: "Service", identifiers: ["cloudtrail.amazonaws.com"] }],
                        actions: ["s3:PutObject"],
                        resources: [pulumi.interpolate`${logs.arn}/AWSLogs/${identity.accountId}/*`],
                        conditions: [{ test: "StringEquals", variable: "s3:x-amz-acl", values: ["bucket-owner-full-control"] }],
                    },
                ],
            }).json,
        }, { parent: this });

        const records = new SecureBucket(`records-docs-${suffix}`, { kmsKeyArn: key.arn, logBucketId: logs.id, tags }, { parent: this });
        // defect: s3-bucket-ssl-requests-only (the attachments bucket policy never denies aws:SecureTransport=false)
        new SecureBucket(`records-attachments-${suffix}`, {
            kmsKeyArn: key.arn, logBucketId: logs.id, enforceTls: false, tags,
            extraStatements: [{
                sid: "AppRoleRead",
                effect: "Allow",
                principals: [{ type: "AWS", identifiers: [pulumi.interpolate`arn:aws:iam::${identity.accountId}:root`] }],
                actions: ["s3:GetObject"],
                resources: [pulumi.interpolate`arn:aws:s3:::records-attachments-${suffix}/*`],
            }],
        }, { parent: this });

        const table = new aws.dynamodb.Table(`records-index-${suffix}`, {
            billingMode: "PAY_PER_REQUEST",
            hashKey: "patientId",
            rangeKey: "documentId",
            attributes: [{ name: "patientId", type: "S" }, { name: "documentId", type: "S" }],
            pointInTimeRecovery: { enabled: true },
            serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },
            deletionProtectionEnabled: true,
            tags,
        }, { parent: this, ignoreChanges: ["readCapacity", "writeCapacity"] });
        // defect: dynamodb-pitr-enabled (the access-audit table has no point-in-time recovery)
        new aws.dynamodb.Table(`records-access-audit-${suffix}`, {
            billingMode: "PAY_PER_REQUEST",
            hashKey: "eventId",
            attributes: [{ name: "eventId", type: "S" }],
            serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },
            ttl: { attributeName: "expiresAt", enabled: true },
            tags,
        }, { parent: this });

        const trailLogs = new aws.cloudwatch.LogGroup(`records-trail-logs-${suffix}`, {
            name: `/tap/${suffix}/cloudtrail`,
            retentionInDays: args.logRetentionDays,
            kmsKeyId: key.arn,
            tags,
        }, { parent: this });
        const trailRole = new aws.iam.Role(`records-trail-role-${suffix}`, {
            assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "cloudtrail.amazonaws.com" }),
            tags,
        }, { parent: this });
        const trailPolicy = new aws.iam.Policy(`records-trail-policy-${suffix}`, {
            policy: aws.iam.getPolicyDocumentOutput({
                statements: [{
                    actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
                    resources: [pulumi.interpolate`${trailLogs.arn}:*`],
                }],
            }).json,
        }, { parent: this });
        new aws.iam.RolePolicyAttachment(`records-trail-attach-${suffix}`, { role: trailRole.name, policyArn: trailPolicy.arn }, { parent: this });
        new aws.cloudtrail.Trail(`records-trail-${suffix}`, {
            s3BucketName: logs.id,
            isMultiRegionTrail: true,
            includeGlobalServiceEvents: true,
            kmsKeyId: key.arn,
            cloudWatchLogsGroupArn: pulumi.interpolate`${trailLogs.arn}:*`,
            cloudWatchLogsRoleArn: trailRole.arn,
            // defect: cloud-trail-log-file-validation-enabled (digest files turned off "to save cost")
            enableLogFileValidation: false,
            tags,
        }, { parent: this, dependsOn: [logsPolicy] });

        this.recordsBucketName = records.bucket.bucket;
        this.tableName = table.name;
        this.registerOutputs({ recordsBucketName: this.recordsBucketName, tableName: this.tableName });
    }
}
