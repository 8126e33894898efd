import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { encryptedBucket, regionalKey } from "./regional";

const config = new pulumi.Config();
const replicaRegion = config.require("replicaRegion");
const retentionDays = config.requireNumber("retentionDays");
const tags = { Workload: "imaging-records", Compliance: "HIPAA" };

const primaryRegion = aws.getRegionOutput().region;
const accountId = aws.getCallerIdentityOutput().accountId;
const replica = new aws.Provider("replica", { region: replicaRegion as aws.Region, defaultTags: { tags } });
const inReplica: pulumi.CustomResourceOptions = { provider: replica };

// ---- keys: one per region, each admitting its own region's CloudWatch Logs
const primaryKey = regionalKey("imaging-key", accountId, primaryRegion);
const replicaKey = regionalKey("imaging-key-replica", accountId, replicaRegion, inReplica);
// defect: log-group-kms-key-allows-logs (the replica audit key admits logs.<primary region> only, copied from the primary)
const replicaAuditKey = regionalKey("imaging-audit-key-replica", accountId, primaryRegion, inReplica);

// ---- buckets and cross-region replication
const source = encryptedBucket("imaging-primary", primaryKey.arn, tags, { protect: true });
const destination = encryptedBucket("imaging-replica", replicaKey.arn,
    { ...tags, "hipaa-guard:exempt": "s3-bucket-replication-enabled: this bucket is the DR replica" }, inReplica);
const replicationRole = new aws.iam.Role("imaging-replication-role", {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "s3.amazonaws.com" }),
    tags,
});
const replicationPolicy = new aws.iam.Policy("imaging-replication-policy", {
    policy: pulumi.all([source.arn, destination.arn, primaryKey.arn, replicaKey.arn]).apply(([src, dst, srcKey, dstKey]) =>
        JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                { Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: src },
                { Effect: "Allow", Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"], Resource: `${src}/*` },
                { Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"], Resource: `${dst}/*` },
                { Effect: "Allow", Action: ["kms:Decrypt"], Resource: srcKey },
                { Effect: "Allow", Action: ["kms:Encrypt", "kms:GenerateDataKey"], Resource: dstKey },
            ],
        })),
});
new aws.iam.RolePolicyAttachment("imaging-replication-attach", { role: replicationRole.name, policyArn: replicationPolicy.arn });
new aws.s3.BucketReplicationConfig("imaging-replication", {
    bucket: source.id,
    role: replicationRole.arn,
    rules: [{
        id: "all-objects",
        status: "Enabled",
        filter: {},
        deleteMarkerReplication: { status: "Enabled" },
        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
        destination: {
            bucket: destination.arn,
            storageClass: "STANDARD_IA",
            encryptionConfiguration: { replicaKmsKeyId: replicaKey.arn },
        },
    }],
});

// ---- global table for study metadata
new aws.dynamodb.Table("imaging-studies", {
    billingMode: "PAY_PER_REQUEST",
    hashKey: "studyId",
    attributes: [{ name: "studyId", type: "S" }],
    streamEnabled: true,
    streamViewType: "NEW_AND_OLD_IMAGES",
    pointInTimeRecovery: { enabled: true },
    serverSideEncryption: { enabled: true, kmsKeyArn: primaryKey.arn },
    // defect: dynamodb-pitr-enabled (the eu-west-1 replica has no point-in-time recovery)
    replicas: [{ regionName: replicaRegion, kmsKeyArn: replicaKey.arn }],
    deletionProtectionEnabled: true,
    tags,
});

// ---- DR landing network in the replica region
const drVpc = new aws.ec2.Vpc("imaging-dr-vpc", { cidrBlock: "10.90.0.0/16" }, inReplica);
new aws.ec2.DefaultSecurityGroup("imaging-dr-default-sg", { vpcId: drVpc.id }, inReplica);
new aws.ec2.Subnet("imaging-dr-a", { vpcId: drVpc.id, cidrBlock: "10.90.1.0/24", availabilityZone: `${replicaRegion}a` }, inReplica);
// defect: availability-zone-in-region (zone of the primary region on a subnet of the eu-west-1 provider)
new aws.ec2.Subnet("imaging-dr-b", { vpcId: drVpc.id, cidrBlock: "10.90.2.0/24", availabilityZone: "us-east-1b" }, inReplica);

// ---- audit logs in both regions
new aws.cloudwatch.LogGroup("imaging-audit", { retentionInDays: retentionDays, kmsKeyId: primaryKey.arn, tags });
new aws.cloudwatch.LogGroup("imaging-audit-replica", { retentionInDays: retentionDays, kmsKeyId: replicaKey.arn }, inReplica);
new aws.cloudwatch.LogGroup("imaging-access-replica", { retentionInDays: retentionDays, kmsKeyId: replicaAuditKey.arn }, inReplica);

export const primaryBucket = source.bucket;
export const replicaBucket = destination.bucket;
