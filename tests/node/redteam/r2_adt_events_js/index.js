"use strict";
/**
 * adt-events: fans HL7 ADT (admit / discharge / transfer) events out from EventBridge to a Kinesis stream
 * for analytics and an SQS queue for the bed-management service, and keeps one DynamoDB projection per event type.
 * Shared settings (log retention, the platform PHI key) come from SSM parameters owned by the platform team.
 */
const pulumi = require("@pulumi/pulumi");
const aws = require("@pulumi/aws");

const cfg = new pulumi.Config();
const alertEmail = cfg.require("alertEmail");
const shardCount = cfg.getNumber("shardCount") || 1;
const tags = { system: "adt-events", "data-classification": "phi", compliance: "hipaa" };

const identity = aws.getCallerIdentityOutput();
const region = aws.getRegionOutput();

// ---- platform settings from SSM and the upstream partner secret
const retentionDays = aws.ssm.getParameterOutput({ name: "/platform/hipaa/log-retention-days" })
    .value.apply((v) => parseInt(v, 10));
const platformKeyArn = aws.ssm.getParameterOutput({ name: "/platform/hipaa/phi-key-arn" }).value;
const upstreamPartner = aws.secretsmanager.getSecretVersionOutput({ secretId: "platform/hl7-partner" });

// ---- this stack's own key (events, queue, topic, logs)
const key = new aws.kms.Key("adt-key", {
    description: "ADT events PHI key",
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    policy: pulumi.all([identity.accountId, region.region]).apply(([account, r]) => JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Sid: "Root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" },
            {
                Sid: "Services", Effect: "Allow",
                Principal: { Service: [`logs.${r}.amazonaws.com`, "events.amazonaws.com", "sns.amazonaws.com"] },
                Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                Resource: "*",
            },
        ],
    })),
    tags,
});

// ---- destinations
const stream = new aws.kinesis.Stream("adt-stream", {
    shardCount,
    retentionPeriod: 168,
    encryptionType: "KMS",
    kmsKeyId: platformKeyArn,
    tags,
});
const bedQueue = new aws.sqs.Queue("adt-bed-management", { kmsMasterKeyId: key.arn, tags });
new aws.sqs.QueuePolicy("adt-bed-management-policy", {
    queueUrl: bedQueue.url,
    policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMessage", Resource: bedQueue.arn }],
    }),
});

// ---- EventBridge rule and targets
const rule = new aws.cloudwatch.EventRule("adt-events", {
    description: "HL7 ADT events from the integration engine",
    eventPattern: JSON.stringify({ source: ["clinic.hl7"], "detail-type": ["ADT^A01", "ADT^A03", "ADT^A02"] }),
    tags,
});
const eventsRole = new aws.iam.Role("adt-events-role", {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "events.amazonaws.com" }),
    tags,
});
const putRecords = new aws.iam.Policy("adt-events-put-records", {
    policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: ["kinesis:PutRecord", "kinesis:PutRecords"], Resource: stream.arn },
            { Effect: "Allow", Action: ["kms:GenerateDataKey"], Resource: platformKeyArn },
        ],
    }),
    tags,
});
new aws.iam.RolePolicyAttachment("adt-events-put-records", { role: eventsRole.name, policyArn: putRecords.arn });
new aws.cloudwatch.EventTarget("adt-to-stream", {
    rule: rule.name,
    arn: stream.arn,
    roleArn: eventsRole.arn,
    kinesisTarget: { partitionKeyPath: "$.detail.patientId" },
});
new aws.cloudwatch.EventTarget("adt-to-bed-queue", { rule: rule.name, arn: bedQueue.arn });

// ---- one projection table per event type
const projections = {};
for (const eventType of ["admissions", "discharges", "transfers"]) {
    projections[eventType] = new aws.dynamodb.Table(`adt-${eventType}`, {
        billingMode: "PAY_PER_REQUEST",
        hashKey: "encounterId",
        rangeKey: "eventTime",
        attributes: [{ name: "encounterId", type: "S" }, { name: "eventTime", type: "S" }],
        serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },
        // defect: dynamodb-pitr-enabled (PITR skipped for the transfers projection, "it can be rebuilt")
        pointInTimeRecovery: { enabled: eventType !== "transfers" },
        deletionProtectionEnabled: true,
        tags: { ...tags, eventType },
    });
}

// ---- partner credentials, copied from the platform secret into a stack-owned one
const partnerSecret = new aws.secretsmanager.Secret("adt-partner-credentials", {
    kmsKeyId: key.arn,
    description: "HL7 partner MLLP credentials",
    tags,
});
new aws.secretsmanager.SecretVersion("adt-partner-credentials-value", {
    secretId: partnerSecret.id,
    secretString: upstreamPartner.secretString,
});

// ---- logs and alerting
new aws.cloudwatch.LogGroup("adt-archive-logs", { retentionInDays: retentionDays, kmsKeyId: key.arn, tags });
// defect: log-group-encrypted (debug log group, which captures raw HL7 segments, has no KMS key)
new aws.cloudwatch.LogGroup("adt-debug-logs", { retentionInDays: 30, tags });
const alerts = new aws.sns.Topic("adt-alerts", { kmsMasterKeyId: key.arn, tags });
new aws.sns.TopicSubscription("adt-alerts-email", { topic: alerts.arn, protocol: "email", endpoint: alertEmail });
// defect: cloudwatch-alarm-action-check (actions disabled "until the on-call rota is set up")
new aws.cloudwatch.MetricAlarm("adt-stream-lag", {
    comparisonOperator: "GreaterThanThreshold",
    evaluationPeriods: 3,
    metricName: "GetRecords.IteratorAgeMilliseconds",
    namespace: "AWS/Kinesis",
    period: 60,
    statistic: "Maximum",
    threshold: 300000,
    dimensions: { StreamName: stream.name },
    actionsEnabled: false,
    alarmActions: [alerts.arn],
    insufficientDataActions: [alerts.arn],
    tags,
});

module.exports = {
    streamName: stream.name,
    queueUrl: bedQueue.url,
    tables: Object.values(projections).map((t) => t.name),
};
