"use strict";
const pulumi = require("@pulumi/pulumi");
const aws = require("@pulumi/aws");

/** Private VPC over the region's zones, with VPC flow logs to an encrypted log group. */
class PrivateNetwork extends pulumi.ComponentResource {
    constructor(name, args, opts) {
        super("ehr:network:PrivateNetwork", name, {}, opts);
        const zones = aws.getAvailabilityZonesOutput({ state: "available" }, { parent: this });
        this.vpc = new aws.ec2.Vpc(`${name}-vpc`, { cidrBlock: args.cidr, enableDnsHostnames: true, tags: args.tags }, { parent: this });
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: this.vpc.id }, { parent: this });
        this.subnetIds = [0, 1].map((i) => new aws.ec2.Subnet(`${name}-private-${i}`, {
            vpcId: this.vpc.id,
            cidrBlock: args.subnetCidrs[i],
            availabilityZone: zones.names[i],
            mapPublicIpOnLaunch: false,
            tags: args.tags,
        }, { parent: this }).id);
        if (args.flowLogs) {
            const group = new aws.cloudwatch.LogGroup(`${name}-flow-logs`, {
                retentionInDays: args.flowLogs.retentionDays,
                kmsKeyId: args.flowLogs.kmsKeyArn,
                tags: args.tags,
            }, { parent: this });
            const role = new aws.iam.Role(`${name}-flow-role`, {
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" }],
                }),
            }, { parent: this });
            const policy = new aws.iam.Policy(`${name}-flow-policy`, {
                policy: group.arn.apply((arn) => JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${arn}:*` }],
                })),
            }, { parent: this });
            new aws.iam.RolePolicyAttachment(`${name}-flow-attach`, { role: role.name, policyArn: policy.arn }, { parent: this });
            new aws.ec2.FlowLog(`${name}-flow`, {
                vpcId: this.vpc.id,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: group.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 60,
            }, { parent: this });
        }
        this.registerOutputs({ vpcId: this.vpc.id });
    }
}

module.exports = { PrivateNetwork };
