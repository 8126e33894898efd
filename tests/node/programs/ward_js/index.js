"use strict";
// A records store written for us-east-1 and deployed to ap-southeast-1 (see Pulumi.dev.yaml).
const pulumi = require("@pulumi/pulumi");
const aws = require("@pulumi/aws");

class RecordsStore extends pulumi.ComponentResource {
    constructor(name, args, opts) {
        super("ward:storage:RecordsStore", name, {}, opts);
        const vpc = new aws.ec2.Vpc(`${name}-vpc`, {
            cidrBlock: "10.20.0.0/16",
            enableDnsHostnames: true,
        }, { parent: this });
        const subnets = ["us-east-1a", "us-east-1b"].map((zone, i) => new aws.ec2.Subnet(`${name}-private-${i}`, {
            vpcId: vpc.id,
            cidrBlock: `10.20.${i}.0/24`,
            availabilityZone: zone,
        }, { parent: this }));
        const key = new aws.kms.Key(`${name}-key`, {
            description: "ward records",
            enableKeyRotation: true,
            deletionWindowInDays: 30,
        }, { parent: this });
        new aws.cloudwatch.LogGroup(`${name}-audit`, {
            kmsKeyId: key.arn,
            retentionInDays: 365,
        }, { parent: this });
        const group = new aws.rds.SubnetGroup(`${name}-db-subnets`, {
            subnetIds: subnets.map((s) => s.id),
        }, { parent: this });
        this.db = new aws.rds.Instance(`${name}-db`, {
            engine: "postgres",
            engineVersion: "15.5",
            instanceClass: "db.t4g.medium",
            allocatedStorage: 20,
            dbSubnetGroupName: group.name,
            username: "records",
            password: args.password,
            storageEncrypted: true,
            kmsKeyId: key.arn,
            backupRetentionPeriod: 30,
            multiAz: true,
            deletionProtection: true,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: `${name}-db-final`,
            copyTagsToSnapshot: true,
            iamDatabaseAuthenticationEnabled: true,
            enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        }, { parent: this });
        this.registerOutputs({ endpoint: this.db.endpoint });
    }
}

const config = new pulumi.Config();
const store = new RecordsStore("ward", { password: config.requireSecret("dbPassword") });
exports.endpoint = store.db.endpoint;
