import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { HANDLER_SOURCE } from "./handler-source";

interface LambdaSettings { memorySize: number; timeout: number; reservedConcurrency: number }

const config = new pulumi.Config();
const lambdaSettings = config.requireObject<LambdaSettings>("lambda");
const apiKeySeed = config.requireSecret("apiKeySeed");
const alertEmail = config.require("alertEmail");
const name = `intake-${pulumi.getStack()}`;
const tags = { Service: "patient-intake", Compliance: "HIPAA" };

const account = aws.getCallerIdentityOutput().accountId;
const regionName = aws.getRegionOutput().region;

const cmk = new aws.kms.Key("intake-cmk", {
    description: `${name} data key`,
    enableKeyRotation: true,
    policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            { Sid: "Root", Effect: "Allow", Principal: { AWS: pulumi.interpolate`arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" },
            {
                Sid: "CloudWatchLogs", Effect: "Allow", Principal: { Service: pulumi.interpolate`logs.${regionName}.amazonaws.com` },
                Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"], Resource: "*",
            },
            {
                Sid: "SnsPublishers", Effect: "Allow", Principal: { Service: "sns.amazonaws.com" },
                Action: ["kms:GenerateDataKey*", "kms:Decrypt"], Resource: "*",
            },
        ],
    }),
    tags,
});

const dlq = new aws.sqs.Queue("intake-dlq", { kmsMasterKeyId: cmk.id, messageRetentionSeconds: 1209600, tags });
const queue = new aws.sqs.Queue("intake-queue", {
    kmsMasterKeyId: cmk.id,
    kmsDataKeyReusePeriodSeconds: 300,
    visibilityTimeoutSeconds: lambdaSettings.timeout * 6,
    redrivePolicy: pulumi.jsonStringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }),
    tags,
});

// defect: sns-encrypted-kms (alert topic left on default, unencrypted)
const alerts = new aws.sns.Topic("intake-alerts", { displayName: "Intake alerts", tags });
new aws.sns.TopicSubscription("intake-alerts-email", { topic: alerts.arn, protocol: "email", endpoint: alertEmail });
const auditTopic = new aws.sns.Topic("intake-audit", { kmsMasterKeyId: cmk.arn, tags });

// defect: secret-encrypted-with-cmk (partner API key under the AWS-managed aws/secretsmanager key)
const partnerKey = new aws.secretsmanager.Secret("intake-partner-key", { description: "EHR partner API key", tags });
new aws.secretsmanager.SecretVersion("intake-partner-key-v1", { secretId: partnerKey.id, secretString: apiKeySeed });

// The function runs in the shared-services VPC owned by the network team (read, not managed, by this stack).
const sharedVpc = aws.ec2.Vpc.get("shared-services-vpc", "vpc-0a1b2c3d4e5f60718");
const sharedSubnets = aws.ec2.getSubnetsOutput({ filters: [{ name: "vpc-id", values: [sharedVpc.id] }, { name: "tag:tier", values: ["private"] }] });
const fnSg = new aws.ec2.SecurityGroup("intake-fn-sg", {
    vpcId: sharedVpc.id,
    description: "intake function: HTTPS out to AWS APIs",
    egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [sharedVpc.cidrBlock] }],
    tags,
});

const fnLogs = new aws.cloudwatch.LogGroup("intake-fn-logs", {
    name: `/aws/lambda/${name}`,
    retentionInDays: 365,
    kmsKeyId: cmk.arn,
    tags,
});
const role = new aws.iam.Role("intake-fn-role", {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "lambda.amazonaws.com" }),
    tags,
});
new aws.iam.RolePolicyAttachment("intake-fn-basic", { role: role.name, policyArn: aws.iam.ManagedPolicy.AWSLambdaBasicExecutionRole });
new aws.iam.RolePolicyAttachment("intake-fn-vpc", { role: role.name, policyArn: aws.iam.ManagedPolicy.AWSLambdaVPCAccessExecutionRole });
const fnPolicy = new aws.iam.Policy("intake-fn-policy", {
    policy: pulumi.all([queue.arn, partnerKey.arn, cmk.arn, auditTopic.arn]).apply(([q, s, k, t]) => JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: ["sqs:SendMessage"], Resource: q },
            { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: s },
            { Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: k },
            { Effect: "Allow", Action: ["sns:Publish"], Resource: t },
        ],
    })),
});
new aws.iam.RolePolicyAttachment("intake-fn-policy", { role: role.name, policyArn: fnPolicy.arn });

const fn = new aws.lambda.Function("intake-fn", {
    name,
    runtime: aws.lambda.Runtime.NodeJS20dX,
    handler: "index.handler",
    role: role.arn,
    code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(HANDLER_SOURCE) }),
    memorySize: lambdaSettings.memorySize,
    timeout: lambdaSettings.timeout,
    reservedConcurrentExecutions: lambdaSettings.reservedConcurrency,
    kmsKeyArn: cmk.arn,
    tracingConfig: { mode: "Active" },
    vpcConfig: { subnetIds: sharedSubnets.ids, securityGroupIds: [fnSg.id] },
    deadLetterConfig: { targetArn: dlq.arn },
    environment: {
        variables: {
            QUEUE_URL: queue.url,
            PARTNER_SECRET_ARN: partnerKey.arn,
            AUDIT_TOPIC_ARN: auditTopic.arn,
            // defect: lambda-reserved-env-vars (AWS_REGION is reserved by the Lambda runtime)
            AWS_REGION: regionName,
        },
    },
    tags,
}, { dependsOn: [fnLogs] });

// ---- API Gateway (REST)
const apiLogs = new aws.cloudwatch.LogGroup("intake-api-access", { retentionInDays: 365, kmsKeyId: cmk.arn, tags });
const apigwRole = new aws.iam.Role("intake-apigw-logs-role", {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "apigateway.amazonaws.com" }),
    managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs"],
    tags,
});
const apigwAccount = new aws.apigateway.Account("intake-apigw-account", { cloudwatchRoleArn: apigwRole.arn });
const api = new aws.apigateway.RestApi("intake-api", {
    description: "Patient intake",
    endpointConfiguration: { types: "REGIONAL" },
    tags,
});
const resource = new aws.apigateway.Resource("intake-resource", { restApi: api.id, parentId: api.rootResourceId, pathPart: "intake" });
const method = new aws.apigateway.Method("intake-post", {
    restApi: api.id, resourceId: resource.id, httpMethod: "POST", authorization: "AWS_IAM",
});
const integration = new aws.apigateway.Integration("intake-post-lambda", {
    restApi: api.id, resourceId: resource.id, httpMethod: method.httpMethod,
    type: "AWS_PROXY", integrationHttpMethod: "POST", uri: fn.invokeArn,
});
new aws.lambda.Permission("intake-apigw-invoke", {
    action: "lambda:InvokeFunction",
    function: fn.name,
    principal: "apigateway.amazonaws.com",
    sourceArn: pulumi.interpolate`${api.executionArn}/*/POST/intake`,
});
// defect: lambda-function-public-access-prohibited (any principal may invoke the function directly)
new aws.lambda.Permission("intake-partner-invoke", {
    action: "lambda:InvokeFunction",
    function: fn.name,
    principal: "*",
});
const deployment = new aws.apigateway.Deployment("intake-deployment", {
    restApi: api.id,
    triggers: { redeploy: pulumi.interpolate`${resource.id}-${method.id}-${integration.id}` },
}, { dependsOn: [integration] });
const stage = new aws.apigateway.Stage("intake-stage", {
    restApi: api.id,
    deployment: deployment.id,
    stageName: "v1",
    xrayTracingEnabled: true,
    accessLogSettings: {
        destinationArn: apiLogs.arn,
        format: JSON.stringify({ requestId: "$context.requestId", status: "$context.status", ip: "$context.identity.sourceIp" }),
    },
    tags,
}, { dependsOn: [apigwAccount] });
new aws.apigateway.MethodSettings("intake-stage-logging", {
    restApi: api.id,
    stageName: stage.stageName,
    methodPath: "*/*",
    settings: { loggingLevel: "INFO", metricsEnabled: true, dataTraceEnabled: false },
});

export const invokeUrl = pulumi.interpolate`${stage.invokeUrl}/intake`;
export const queueUrl = queue.url;
export const alertsTopic = alerts.arn;
