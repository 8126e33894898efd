"use strict";
const pulumi = require("@pulumi/pulumi");
const aws = require("@pulumi/aws");
const { PrivateNetwork } = require("./lib/network");
const { workerRole, conversionHosts } = require("./lib/workers");

const config = new pulumi.Config();
const instanceType = config.get("instanceType") || "t3.medium";
const workerCount = config.getNumber("workerCount") || 1;
const flowLogRetentionDays = config.getNumber("flowLogRetentionDays") || 365;
const tags = { system: "ehr-conversion", "data-classification": "phi" };

const identity = aws.getCallerIdentityOutput();
const region = aws.getRegionOutput();
const key = new aws.kms.Key("ehr-key", {
    description: "EHR worker volumes and logs",
    enableKeyRotation: true,
    policy: pulumi.all([identity.accountId, region.region]).apply(([account, regionName]) => JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Sid: "Root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" },
            { Sid: "Logs", Effect: "Allow", Principal: { Service: `logs.${regionName}.amazonaws.com` },
              Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"], Resource: "*" },
        ],
    })),
    tags,
});

const network = new PrivateNetwork("ehr", {
    cidr: "10.70.0.0/16",
    subnetCidrs: ["10.70.1.0/24", "10.70.2.0/24"],
    flowLogs: { retentionDays: flowLogRetentionDays, kmsKeyArn: key.arn },
    tags,
});
// defect: vpc-flow-logs-enabled (the sandbox VPC is built without flow logs)
const sandbox = new PrivateNetwork("ehr-sandbox", { cidr: "10.71.0.0/16", subnetCidrs: ["10.71.1.0/24", "10.71.2.0/24"], tags });

const workerSg = new aws.ec2.SecurityGroup("ehr-worker-sg", {
    vpcId: network.vpc.id,
    description: "conversion workers: egress only",
    egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "AWS APIs" }],
    tags,
});
const profile = workerRole("ehr-worker", tags);
const hosts = conversionHosts("ehr-worker", {
    count: workerCount, instanceType, subnetIds: network.subnetIds, securityGroupId: workerSg.id, kmsKeyArn: key.arn, profile, tags,
});

// Scratch volume for large DICOM conversions.
// defect: encrypted-volumes (the scratch volume is created unencrypted)
const scratch = new aws.ebs.Volume("ehr-scratch", {
    availabilityZone: hosts[0].availabilityZone,
    size: 200,
    type: "gp3",
    tags,
});
// The attachment goes away with the host: no separate detach call when the worker is replaced.
new aws.ec2.VolumeAttachment("ehr-scratch-attach", { deviceName: "/dev/sdf", volumeId: scratch.id, instanceId: hosts[0].id }, {
    deletedWith: hosts[0],
});

// Burst capacity: an Auto Scaling group of Ubuntu workers.
const ubuntu = aws.ec2.getAmiOutput({
    mostRecent: true,
    owners: ["099720109477"],
    filters: [{ name: "name", values: ["ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-*"] }],
});
// defect: ec2-imdsv2-check (the launch template leaves IMDSv1 enabled on an Ubuntu AMI)
const template = new aws.ec2.LaunchTemplate("ehr-burst-lt", {
    imageId: ubuntu.id,
    instanceType,
    iamInstanceProfile: { arn: profile.arn },
    vpcSecurityGroupIds: [workerSg.id],
    blockDeviceMappings: [{
        deviceName: "/dev/sda1",
        ebs: { encrypted: "true", kmsKeyId: key.arn, volumeSize: 40, volumeType: "gp3", deleteOnTermination: "true" },
    }],
    tagSpecifications: [{ resourceType: "instance", tags }],
    tags,
});
new aws.autoscaling.Group("ehr-burst", {
    minSize: 0,
    maxSize: 6,
    desiredCapacity: 0,
    vpcZoneIdentifiers: network.subnetIds,
    launchTemplate: { id: template.id, version: "$Latest" },
    tags: [{ key: "system", value: "ehr-conversion", propagateAtLaunch: true }],
}, { ignoreChanges: ["desiredCapacity"] });

// Shared store for converted documents, backed up daily by a plan that takes every EFS file system of the account.
const documents = new aws.efs.FileSystem("ehr-documents", {
    encrypted: true,
    kmsKeyId: key.arn,
    throughputMode: "elastic",
    lifecyclePolicies: [{ transitionToIa: "AFTER_30_DAYS" }],
    tags,
});
network.subnetIds.forEach((subnetId, i) =>
    new aws.efs.MountTarget(`ehr-documents-mt-${i}`, { fileSystemId: documents.id, subnetId, securityGroups: [workerSg.id] }));
const vault = new aws.backup.Vault("ehr-vault", { kmsKeyArn: key.arn, tags });
new aws.backup.VaultLockConfiguration("ehr-vault-lock", { backupVaultName: vault.name, minRetentionDays: 35 });
const plan = new aws.backup.Plan("ehr-daily", {
    rules: [{ ruleName: "daily", targetVaultName: vault.name, schedule: "cron(0 4 * * ? *)", lifecycle: { deleteAfter: 90 } }],
    tags,
});
const backupRole = new aws.iam.Role("ehr-backup-role", {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "backup.amazonaws.com" }),
    managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"],
});
new aws.backup.Selection("ehr-all-file-systems", {
    planId: plan.id,
    iamRoleArn: backupRole.arn,
    resources: ["arn:aws:elasticfilesystem:*:*:file-system/*"],
});

exports.workerIds = hosts.map((h) => h.id);
exports.sandboxVpcId = sandbox.vpc.id;
