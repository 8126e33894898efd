import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { keyPolicy } from "./keys";

const config = new pulumi.Config();
const retentionDays = config.requireNumber("retentionDays");
const dbPassword = config.requireSecret("dbPassword");

const identity = aws.getCallerIdentityOutput({});
const region = aws.getRegionOutput({});
const zones = aws.getAvailabilityZonesOutput({ state: "available" });

const vpc = new aws.ec2.Vpc("clinic-vpc", { cidrBlock: "10.30.0.0/16", enableDnsHostnames: true });
const subnets = [0, 1].map((i) => new aws.ec2.Subnet(`clinic-private-${i}`, {
    vpcId: vpc.id,
    cidrBlock: `10.30.${i}.0/24`,
    availabilityZone: zones.names[i],
}));

const key = new aws.kms.Key("clinic-key", {
    description: "clinic records",
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    policy: pulumi.all([identity.accountId, region.name]).apply(([account, name]) => keyPolicy(account, name)),
});
new aws.cloudwatch.LogGroup("clinic-audit", { kmsKeyId: key.arn, retentionInDays: retentionDays });

const group = new aws.rds.SubnetGroup("clinic-db-subnets", { subnetIds: subnets.map((s) => s.id) });
const db = new aws.rds.Instance("clinic-db", {
    engine: "postgres",
    engineVersion: "16",
    instanceClass: "db.t4g.medium",
    allocatedStorage: 20,
    dbSubnetGroupName: group.name,
    username: "clinic",
    password: dbPassword,
    storageEncrypted: true,
    kmsKeyId: key.arn,
    backupRetentionPeriod: 30,
    multiAz: true,
    deletionProtection: true,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "clinic-db-final",
    copyTagsToSnapshot: true,
    iamDatabaseAuthenticationEnabled: true,
    enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
});

export const endpoint = db.endpoint;
