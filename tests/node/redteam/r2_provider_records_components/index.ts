/**
 * records-archive: long-term medical-records archive in the records account.
 * Everything is deployed through an explicit provider that assumes the deploy role of that account.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { RecordsArchive } from "./components";

const config = new pulumi.Config();
const archiveRegion = config.require("archiveRegion") as aws.Region;
const deployRoleName = config.require("deployRoleName");
const audit = new pulumi.StackReference(config.require("auditStack"));
const accessLogBucket = audit.getOutput("accessLogBucketName") as pulumi.Output<string>;

const account = aws.getCallerIdentityOutput().accountId;
// The deploy role's external id is kept in the deployment account's Secrets Manager, as JSON.
const deployer = aws.secretsmanager.getSecretVersionOutput({ secretId: "records-archive/deployer" });
const externalId = pulumi.secret(deployer.secretString.apply((s) => JSON.parse(s).externalId as string));
const records = new aws.Provider("records-account", {
    region: archiveRegion,
    assumeRoles: [{
        roleArn: pulumi.interpolate`arn:aws:iam::${account}:role/${deployRoleName}`,
        sessionName: "pulumi-records-archive",
        externalId,
    }],
    defaultTags: { tags: { Owner: "health-information-management", DataClassification: "PHI", Compliance: "HIPAA" } },
});

const admin = new aws.iam.Role("records-admin", {
    assumeRolePolicy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: pulumi.interpolate`arn:aws:iam::${account}:root` }, Action: "sts:AssumeRole" }],
    }),
}, { provider: records });
const reader = new aws.iam.Role("records-reader", {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" }),
}, { provider: records });

// Two archives, both through the records-account provider (inherited by every child).
const clinical = new RecordsArchive("clinical", {
    accessLogBucket, adminRoleArn: admin.arn, readerRoleArns: [reader.arn], rotateKey: true,
}, { providers: [records] });
const billing = new RecordsArchive("billing", {
    accessLogBucket, adminRoleArn: admin.arn, readerRoleArns: [reader.arn],
    // defect: kms-key-rotation (billing archive key created with rotation off)
    rotateKey: false,
    // defect: s3-bucket-versioning-enabled (billing exports bucket has versioning suspended)
    exportsVersioning: "Suspended",
    // defect: s3-bucket-ssl-requests-only (billing exports bucket policy lacks the aws:SecureTransport deny)
    exportsTls: false,
}, { providers: [records] });

// Seed objects: the retention schedule (file) and a manifest written once the account lookups answer.
new aws.s3.BucketObjectv2("retention-schedule", {
    bucket: clinical.primary.bucket.id,
    key: "policy/retention-schedule.csv",
    source: new pulumi.asset.FileAsset("./assets/retention-schedule.csv"),
    contentType: "text/csv",
    serverSideEncryption: "aws:kms",
    kmsKeyId: clinical.key.arn,
}, { provider: records });

Promise.all([
    aws.getCallerIdentity({}, { provider: records }),
    aws.getRegion({}, { provider: records }),
]).then(([identity, region]) => {
    for (const archive of [clinical, billing]) {
        new aws.s3.BucketObject(`manifest-${archive === clinical ? "clinical" : "billing"}`, {
            bucket: archive.primary.bucket.id,
            key: "MANIFEST.json",
            content: JSON.stringify({ account: identity.accountId, region: region.region, schema: 3 }),
            contentType: "application/json",
            serverSideEncryption: "aws:kms",
            kmsKeyId: archive.key.arn,
        }, { provider: records });
    }
});

new aws.s3.BucketObjectv2("readme", {
    bucket: billing.primary.bucket.id,
    key: "README.txt",
    source: new pulumi.asset.StringAsset("Billing records archive. Access is logged and reviewed monthly.\n"),
    serverSideEncryption: "aws:kms",
    kmsKeyId: billing.key.arn,
}, { provider: records });

export const clinicalBucket = clinical.primary.bucket.bucket;
export const billingExportsBucket = billing.exports.bucket.bucket;
