/**
 * IAM and KMS policy documents, as plain TypeScript objects.
 *
 * Functions that need the account or the region take plain strings and are called inside an
 * `Output.apply`; functions that only place ARNs return objects holding Outputs, which the caller
 * serialises with `pulumi.jsonStringify(pulumi.output(...))` (never `JSON.stringify`, which cannot see
 * inside an Output).
 */

import * as pulumi from "@pulumi/pulumi";

export type PolicyDocument = Record<string, any>;

/**
 * Key policy for the stack's PHI key.
 *
 * The account root statement delegates access to IAM (RDS, Secrets Manager, ElastiCache, Kinesis
 * and S3 then use the key through the callers' IAM permissions). CloudWatch Logs is a service
 * principal that needs its own statement: without it, a log group that names this key fails to
 * create (seeds 001 and 004).
 */
export function kmsKeyPolicy(accountId: string, region: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "EnableIamPolicies",
                Effect: "Allow",
                Principal: { AWS: `arn:aws:iam::${accountId}:root` },
                Action: "kms:*",
                Resource: "*",
            },
            {
                Sid: "AllowCloudWatchLogs",
                Effect: "Allow",
                Principal: { Service: `logs.${region}.amazonaws.com` },
                Action: [
                    "kms:Encrypt*",
                    "kms:Decrypt*",
                    "kms:ReEncrypt*",
                    "kms:GenerateDataKey*",
                    "kms:Describe*",
                ],
                Resource: "*",
                Condition: {
                    ArnLike: {
                        "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${accountId}:log-group:*`,
                    },
                },
            },
        ],
    };
}

/** Trust policy letting one AWS service assume a role. */
export function assumeRolePolicy(service: string): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: service },
                Action: "sts:AssumeRole",
            },
        ],
    };
}

/**
 * What the ECS agent needs to inject `secrets` into a container: read the secret values and
 * decrypt them with the customer-managed key (seed 001, item 9).
 */
export function readSecretsPolicy(
    secretArns: pulumi.Input<string>[],
    keyArn: pulumi.Input<string>,
): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ReadTaskSecrets",
                Effect: "Allow",
                Action: ["secretsmanager:GetSecretValue"],
                Resource: [...secretArns],
            },
            {
                Sid: "DecryptTaskSecrets",
                Effect: "Allow",
                Action: ["kms:Decrypt"],
                Resource: [keyArn],
            },
        ],
    };
}

/** What the application needs to publish audit events to the encrypted Kinesis stream. */
export function streamWriterPolicy(streamArn: pulumi.Input<string>, keyArn: pulumi.Input<string>): PolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "PutAuditEvents",
                Effect: "Allow",
                Action: ["kinesis:PutRecord", "kinesis:PutRecords", "kinesis:DescribeStreamSummary"],
                Resource: [streamArn],
            },
            {
                Sid: "EncryptAuditEvents",
                Effect: "Allow",
                Action: ["kms:GenerateDataKey"],
                Resource: [keyArn],
            },
        ],
    };
}
