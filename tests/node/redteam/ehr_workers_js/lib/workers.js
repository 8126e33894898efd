"use strict";
const aws = require("@pulumi/aws");

function workerRole(name, tags) {
    const role = new aws.iam.Role(`${name}-role`, {
        assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "ec2.amazonaws.com" }),
        managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"],
        tags,
    });
    return new aws.iam.InstanceProfile(`${name}-profile`, { role: role.name });
}

/** The fixed conversion hosts: IMDSv2, encrypted root, no public address. */
function conversionHosts(name, { count, instanceType, subnetIds, securityGroupId, kmsKeyArn, profile, tags }) {
    const ami = aws.ssm.getParameterOutput({ name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64" });
    const hosts = [];
    for (let i = 0; i < count; i++) {
        hosts.push(new aws.ec2.Instance(`${name}-${i}`, {
            ami: ami.value,
            instanceType,
            subnetId: subnetIds[i % subnetIds.length],
            vpcSecurityGroupIds: [securityGroupId],
            iamInstanceProfile: profile.name,
            associatePublicIpAddress: false,
            metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
            rootBlockDevice: { encrypted: true, kmsKeyId: kmsKeyArn, volumeSize: 40, volumeType: "gp3" },
            tags: { ...tags, Name: `${name}-${i}` },
        }));
    }
    return hosts;
}

module.exports = { workerRole, conversionHosts };
