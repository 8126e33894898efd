/**
 * scheduling-svc: patient appointment scheduling.
 * PostgreSQL with an RDS-managed master password (Secrets Manager), injected into Fargate tasks as a secret.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

const config = new pulumi.Config();
const backupRetentionDays = config.requireNumber("backupRetentionDays");
const multiAz = config.getBoolean("multiAz") ?? true;
const deletionProtection = config.getBoolean("deletionProtection") ?? true;
const desiredCount = config.getNumber("desiredCount") ?? 2;
const image = config.get("image") ?? "public.ecr.aws/docker/library/nginx:stable";
const tags = { app: "scheduling", "data-classification": "phi", compliance: "hipaa" };

const caller = aws.getCallerIdentityOutput();
const region = aws.getRegionOutput();
const vpc = aws.ec2.getVpcOutput({ tags: { Name: "clinical-apps" } });
const appSubnets = aws.ec2.getSubnetsOutput({ filters: [{ name: "vpc-id", values: [vpc.id] }, { name: "tag:Tier", values: ["app"] }] });

// ---- customer-managed key: RDS, the managed master secret, and CloudWatch Logs
const keyPolicy = aws.iam.getPolicyDocumentOutput({
    statements: [
        {
            sid: "AccountAdmin",
            principals: [{ type: "AWS", identifiers: [pulumi.interpolate`arn:aws:iam::${caller.accountId}:root`] }],
            actions: ["kms:*"],
            resources: ["*"],
        },
        {
            sid: "CloudWatchLogs",
            principals: [{ type: "Service", identifiers: [pulumi.interpolate`logs.${region.region}.amazonaws.com`] }],
            actions: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            resources: ["*"],
        },
    ],
});
const dataKey = new aws.kms.Key("scheduling-key", {
    description: "Scheduling PHI: database, master secret, logs",
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    policy: keyPolicy.json,
    tags,
});

// ---- database
const dbSg = new aws.ec2.SecurityGroup("scheduling-db-sg", { vpcId: vpc.id, description: "PostgreSQL from the service", tags });
const appSg = new aws.ec2.SecurityGroup("scheduling-app-sg", {
    vpcId: vpc.id,
    description: "Scheduling tasks",
    egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], description: "AWS APIs via NAT" }],
    tags,
});
new aws.vpc.SecurityGroupIngressRule("scheduling-db-from-app", {
    securityGroupId: dbSg.id, referencedSecurityGroupId: appSg.id, ipProtocol: "tcp", fromPort: 5432, toPort: 5432,
});
const subnetGroup = new aws.rds.SubnetGroup("scheduling-db-subnets", { subnetIds: appSubnets.ids, tags });
const params = new aws.rds.ParameterGroup("scheduling-pg16", {
    family: "postgres16",
    parameters: [
        { name: "rds.force_ssl", value: "1" },
        { name: "log_connections", value: "1" },
    ],
    tags,
});
const monitoringRole = new aws.iam.Role("scheduling-rds-monitoring", {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "monitoring.rds.amazonaws.com" }),
    managedPolicyArns: [aws.iam.ManagedPolicy.AmazonRDSEnhancedMonitoringRole],
    tags,
});
const db = new aws.rds.Instance("scheduling-db", {
    engine: "postgres",
    engineVersion: "16.4",
    instanceClass: "db.m6g.large",
    allocatedStorage: 100,
    storageEncrypted: true,
    kmsKeyId: dataKey.arn,
    username: "scheduler",
    manageMasterUserPassword: true,
    masterUserSecretKmsKeyId: dataKey.keyId,
    dbSubnetGroupName: subnetGroup.name,
    vpcSecurityGroupIds: [dbSg.id],
    parameterGroupName: params.name,
    multiAz: multiAz,
    publiclyAccessible: false,
    // defect: rds-backup-retention (backupRetentionDays comes from stack config as 7, below the 30-day minimum)
    backupRetentionPeriod: backupRetentionDays,
    deletionProtection: deletionProtection,
    autoMinorVersionUpgrade: true,
    enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
    monitoringInterval: 60,
    monitoringRoleArn: monitoringRole.arn,
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: dataKey.arn,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: "scheduling-db-final",
    tags,
});
const masterSecretArn = db.masterUserSecrets.apply((secrets) => secrets[0].secretArn);

// ---- ECS
const cluster = new aws.ecs.Cluster("scheduling", { settings: [{ name: "containerInsights", value: "enabled" }], tags });
const taskLogs = new aws.cloudwatch.LogGroup("scheduling-task-logs", { retentionInDays: 400, kmsKeyId: dataKey.arn, tags });
const executionRole = new aws.iam.Role("scheduling-exec-role", {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "ecs-tasks.amazonaws.com" }),
    tags,
});
new aws.iam.RolePolicyAttachment("scheduling-exec-managed", {
    role: executionRole.name, policyArn: aws.iam.ManagedPolicy.AmazonECSTaskExecutionRolePolicy,
});
const readDbSecret = new aws.iam.Policy("scheduling-exec-secret", {
    policy: pulumi.jsonStringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [masterSecretArn] },
            { Effect: "Allow", Action: ["kms:Decrypt"], Resource: [dataKey.arn] },
        ],
    }),
    tags,
});
new aws.iam.RolePolicyAttachment("scheduling-exec-secret", { role: executionRole.name, policyArn: readDbSecret.arn });

const task = new aws.ecs.TaskDefinition("scheduling-task", {
    family: "scheduling",
    cpu: "512",
    memory: "1024",
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    executionRoleArn: executionRole.arn,
    containerDefinitions: pulumi.jsonStringify([{
        name: "api",
        image: image,
        essential: true,
        readonlyRootFilesystem: true,
        portMappings: [{ containerPort: 8080, protocol: "tcp" }],
        environment: [
            { name: "DB_HOST", value: db.address },
            { name: "DB_NAME", value: "scheduling" },
            // defect: ecs-no-plaintext-secrets (the SMS gateway API key is a literal environment value)
            { name: "SMS_GATEWAY_API_KEY", value: "fake-sms-key-not-real-0000" },
        ],
        secrets: [{ name: "DB_CREDENTIALS", valueFrom: masterSecretArn }],
        logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-group": taskLogs.name, "awslogs-region": region.region, "awslogs-stream-prefix": "api" },
        },
    }]),
    tags,
});
new aws.ecs.Service("scheduling-svc", {
    cluster: cluster.arn,
    taskDefinition: task.arn,
    desiredCount: desiredCount,
    launchType: "FARGATE",
    // defect: ecs-no-public-ip (tasks in the app subnets get public addresses)
    networkConfiguration: { subnets: appSubnets.ids, securityGroups: [appSg.id], assignPublicIp: true },
    tags,
});

export const dbEndpoint = db.endpoint;
export const dbSecretArn = masterSecretArn;
