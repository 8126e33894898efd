import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

/** Key policy: account root administers, CloudWatch Logs and CloudTrail in this region may use the key. */
export function recordsKeyPolicy(accountId: pulumi.Input<string>, region: pulumi.Input<string>): pulumi.Output<string> {
    return aws.iam.getPolicyDocumentOutput({
        statements: [
            {
                sid: "EnableRootAccess",
                effect: "Allow",
                principals: [{ type: "AWS", identifiers: [pulumi.interpolate`arn:aws:iam::${accountId}:root`] }],
                actions: ["kms:*"],
                resources: ["*"],
            },
            {
                sid: "AllowCloudWatchLogs",
                effect: "Allow",
                principals: [{ type: "Service", identifiers: [pulumi.interpolate`logs.${region}.amazonaws.com`] }],
                actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                resources: ["*"],
            },
            {
                sid: "AllowCloudTrail",
                effect: "Allow",
                principals: [{ type: "Service", identifiers: ["cloudtrail.amazonaws.com", "logging.s3.amazonaws.com"] }],
                actions: ["kms:GenerateDataKey*", "kms:DescribeKey"],
                resources: ["*"],
            },
        ],
    }).json;
}

/** Deny every request that does not use TLS. */
export function denyInsecureTransport(bucketArn: pulumi.Input<string>): aws.types.input.iam.GetPolicyDocumentStatementArgs {
    return {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        principals: [{ type: "*", identifiers: ["*"] }],
        actions: ["s3:*"],
        resources: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
        conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
    };
}
