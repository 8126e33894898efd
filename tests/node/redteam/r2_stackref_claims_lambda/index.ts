/**
 * claims-ingest: pulls 837 claim batches from SQS, normalises them and emits audit events.
 * Network, subnets and the PHI key come from the shared network stack through a StackReference.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

const config = new pulumi.Config();
const networkStackName = config.require("networkStack");
const logRetentionDays = config.requireNumber("logRetentionDays");
const tags = { Application: "claims-ingest", DataClassification: "PHI", Compliance: "HIPAA" };

// ---- shared network stack
const network = new pulumi.StackReference(networkStackName);
const vpcId = network.requireOutput("vpcId");
const privateSubnetIds = network.getOutput("privateSubnetIds") as pulumi.Output<string[]>;
const phiKeyArn = network.requireOutput("phiKeyArn") as pulumi.Output<string>;

const account = aws.getCallerIdentityOutput().accountId;
const region = aws.getRegionOutput().region;

// ---- queue the clearinghouse drops claim batches into
const deadLetters = new aws.sqs.Queue("claims-dlq", {
    kmsMasterKeyId: phiKeyArn,
    messageRetentionSeconds: 1209600,
    tags,
});
const claimsQueue = new aws.sqs.Queue("claims-inbound", {
    kmsMasterKeyId: phiKeyArn,
    visibilityTimeoutSeconds: 180,
    redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: deadLetters.arn, maxReceiveCount: 5 }),
    tags,
});

// ---- function role
const fnRole = new aws.iam.Role("claims-fn-role", {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" }),
    tags,
});
new aws.iam.RolePolicyAttachment("claims-fn-vpc-access", {
    role: fnRole.name,
    policyArn: aws.iam.ManagedPolicy.AWSLambdaVPCAccessExecutionRole,
});
const queueAccess = new aws.iam.Policy("claims-fn-queue-access", {
    policy: pulumi.all([claimsQueue.arn, phiKeyArn]).apply(([queueArn, keyArn]) => JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"], Resource: queueArn },
            { Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: keyArn },
        ],
    })),
    tags,
});
new aws.iam.RolePolicyAttachment("claims-fn-queue-attach", { role: fnRole.name, policyArn: queueAccess.arn });

// ---- function in the shared private subnets
const fnSg = new aws.ec2.SecurityGroup("claims-fn-sg", {
    vpcId: vpcId,
    description: "Claims ingest Lambda: egress to AWS APIs only",
    egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], description: "HTTPS to AWS APIs" }],
    tags,
});
const fnLogs = new aws.cloudwatch.LogGroup("claims-fn-logs", {
    name: "/aws/lambda/claims-ingest",
    retentionInDays: logRetentionDays,
    kmsKeyId: phiKeyArn,
    tags,
});
const claimsFn = new aws.lambda.Function("claims-fn", {
    name: "claims-ingest",
    runtime: aws.lambda.Runtime.NodeJS20dX,
    handler: "index.handler",
    role: fnRole.arn,
    code: new pulumi.asset.FileArchive("./app"),
    timeout: 120,
    memorySize: 512,
    kmsKeyArn: phiKeyArn,
    vpcConfig: { subnetIds: privateSubnetIds, securityGroupIds: [fnSg.id] },
    environment: { variables: { CLAIMS_QUEUE_URL: claimsQueue.url, STAGE: pulumi.getStack() } },
    tracingConfig: { mode: "Active" },
    tags,
}, { dependsOn: [fnLogs] });
new aws.lambda.EventSourceMapping("claims-fn-trigger", {
    eventSourceArn: claimsQueue.arn,
    functionName: claimsFn.arn,
    batchSize: 10,
});

// ---- nightly reconciliation run on a schedule
const nightly = new aws.cloudwatch.EventRule("claims-nightly", {
    description: "Nightly claim reconciliation",
    scheduleExpression: "cron(15 7 * * ? *)",
    tags,
});
new aws.cloudwatch.EventTarget("claims-nightly-target", {
    rule: nightly.name,
    arn: claimsFn.arn,
    input: JSON.stringify({ mode: "reconcile" }),
});
new aws.lambda.Permission("claims-nightly-invoke", {
    action: "lambda:InvokeFunction",
    function: claimsFn.name,
    principal: "events.amazonaws.com",
    sourceArn: nightly.arn,
});
// defect: lambda-function-public-access-prohibited (a partner webhook grant with principal "*" and no source condition)
new aws.lambda.Permission("claims-partner-invoke", {
    action: "lambda:InvokeFunction",
    function: claimsFn.name,
    principal: "*",
});

// ---- operator notifications and a debug log group
// defect: sns-encrypted-kms (the failure topic carries claim ids but has no KMS key)
const failures = new aws.sns.Topic("claims-failures", { tags });
new aws.cloudwatch.MetricAlarm("claims-dlq-depth", {
    comparisonOperator: "GreaterThanThreshold",
    evaluationPeriods: 1,
    metricName: "ApproximateNumberOfMessagesVisible",
    namespace: "AWS/SQS",
    period: 300,
    statistic: "Maximum",
    threshold: 0,
    dimensions: { QueueName: deadLetters.name },
    alarmActions: [failures.arn],
    insufficientDataActions: [failures.arn],
    tags,
});
// Auxiliary log groups, one per purpose.
export const auxLogGroups = ["debug", "partner-webhook"].map((purpose) =>
    new aws.cloudwatch.LogGroup(`claims-${purpose}-logs`, {
        name: pulumi.interpolate`/claims/${region}/${account}/${purpose}`,
        // defect: log-group-retention (debug logs kept only 7 days, below the 30-day minimum)
        retentionInDays: purpose === "debug" ? 7 : logRetentionDays,
        kmsKeyId: phiKeyArn,
        tags,
    }).name);

export const functionArn = claimsFn.arn;
export const queueUrl = claimsQueue.url;
