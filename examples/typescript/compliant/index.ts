/**
 * hipaa-healthcare: a patient-portal backend that passes every hipaa-guard policy.
 *
 * Layout
 *   network   VPC over two zones of the stack's region: public subnets (ALB, NAT), private subnets
 *             (Fargate tasks, PostgreSQL, Redis).
 *   keys      one customer-managed KMS key (rotated) for every store of PHI, including CloudWatch Logs.
 *   data      RDS PostgreSQL (Multi-AZ, encrypted, TLS enforced, 30-day backups), ElastiCache Redis
 *             (encrypted at rest and in transit, AUTH token), Kinesis audit stream, S3 export bucket.
 *   compute   ECS Fargate service in private subnets, secrets injected from Secrets Manager.
 *   edge      internet-facing ALB: HTTPS on 443 with a certificate issued in this stack, HTTP on 80 only
 *             redirects to HTTPS.
 *
 * Run it offline against the policy pack:  policypack preview examples/typescript/compliant
 * (the TypeScript twin of examples/compliant; it registers the same resources).
 */

import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";

import { logBucket, noncurrentVersionsExpire, tlsOnlyStatement } from "./lib/audit";
import { HealthcareNetwork } from "./lib/network";
import { assumeRolePolicy, kmsKeyPolicy, readSecretsPolicy, streamWriterPolicy } from "./lib/policies";
import { ROTATION_SOURCE } from "./lib/rotation";

const config = new pulumi.Config();
const stack = pulumi.getStack();
const domainName = config.require("domainName");
const appImage = config.get("appImage") || "public.ecr.aws/nginx/nginx:stable";

// Short prefix for the physical names we set explicitly; every one of them stays well inside the AWS
// limits (ALB and target group 32, ElastiCache replication group 40, RDS identifier 63).
const prefix = `hc-${stack}`;
const tags: Record<string, string> = {
    "project": "hipaa-healthcare",
    "environment": stack,
    "data-classification": "phi",
    "compliance": "hipaa",
};

const identity = aws.getCallerIdentityOutput();
const region = aws.getRegionOutput().region;

// --------------------------------------------------------------------------------------------------
// Network
// --------------------------------------------------------------------------------------------------
const network = new HealthcareNetwork("healthcare", {
    cidrBlock: "10.40.0.0/16",
    publicCidrs: ["10.40.0.0/24", "10.40.1.0/24"],
    privateCidrs: ["10.40.10.0/24", "10.40.11.0/24"],
    tags: tags,
});

// The ALB security group keeps its rules inline; the other groups use standalone rule resources so
// they can reference each other without a dependency cycle. (Never mix both styles on one group.)
const albSg = new aws.ec2.SecurityGroup("alb-sg", {
    description: "Internet-facing ALB: HTTPS, and HTTP for the redirect",
    vpcId: network.vpcId,
    ingress: [
        {
            description: "HTTPS from clients",
            protocol: "tcp",
            fromPort: 443,
            toPort: 443,
            cidrBlocks: ["0.0.0.0/0"],
        },
        {
            description: "HTTP, answered only with a redirect to HTTPS",
            protocol: "tcp",
            fromPort: 80,
            toPort: 80,
            cidrBlocks: ["0.0.0.0/0"],
        },
    ],
    egress: [
        {
            description: "To the application tasks",
            protocol: "tcp",
            fromPort: 80,
            toPort: 80,
            cidrBlocks: [network.vpcCidr],
        },
    ],
    tags: { ...tags, Name: "alb-sg" },
});
const appSg = new aws.ec2.SecurityGroup("app-sg", {
    description: "Fargate tasks of the patient portal",
    vpcId: network.vpcId,
    tags: { ...tags, Name: "app-sg" },
});
const dbSg = new aws.ec2.SecurityGroup("db-sg", {
    description: "PostgreSQL, reachable from the application only",
    vpcId: network.vpcId,
    tags: { ...tags, Name: "db-sg" },
});
const cacheSg = new aws.ec2.SecurityGroup("cache-sg", {
    description: "Redis, reachable from the application only",
    vpcId: network.vpcId,
    tags: { ...tags, Name: "cache-sg" },
});

new aws.vpc.SecurityGroupIngressRule("app-from-alb", {
    securityGroupId: appSg.id,
    referencedSecurityGroupId: albSg.id,
    ipProtocol: "tcp",
    fromPort: 80,
    toPort: 80,
    description: "HTTP from the ALB",
});
new aws.vpc.SecurityGroupEgressRule("app-egress", {
    securityGroupId: appSg.id,
    cidrIpv4: "0.0.0.0/0",
    ipProtocol: "-1",
    description: "Image pulls and AWS APIs through the NAT gateway",
});
new aws.vpc.SecurityGroupIngressRule("db-from-app", {
    securityGroupId: dbSg.id,
    referencedSecurityGroupId: appSg.id,
    ipProtocol: "tcp",
    fromPort: 5432,
    toPort: 5432,
    description: "PostgreSQL from the application",
});
new aws.vpc.SecurityGroupIngressRule("cache-from-app", {
    securityGroupId: cacheSg.id,
    referencedSecurityGroupId: appSg.id,
    ipProtocol: "tcp",
    fromPort: 6379,
    toPort: 6379,
    description: "Redis (TLS) from the application",
});

// --------------------------------------------------------------------------------------------------
// Encryption key
// --------------------------------------------------------------------------------------------------
const phiKey = new aws.kms.Key("phi-key", {
    description: "Encrypts PHI at rest: database, cache, secrets, logs, audit stream, exports",
    enableKeyRotation: true,
    deletionWindowInDays: 30,
    // The account id and region are resolved by data sources, so the policy is right in any account.
    policy: pulumi.all({ account: identity.accountId, region: region }).apply(
        ctx => JSON.stringify(kmsKeyPolicy(ctx.account, ctx.region)),
    ),
    tags: tags,
});
new aws.kms.Alias("phi-key-alias", { name: `alias/${prefix}-phi`, targetKeyId: phiKey.keyId });

// --------------------------------------------------------------------------------------------------
// Credentials
// --------------------------------------------------------------------------------------------------
const dbUsername = "dbadmin"; // "admin", "postgres" and "rdsadmin" are reserved by RDS for PostgreSQL
const dbPassword = new random.RandomPassword("db-master-password", {
    length: 32,
    special: true,
    // RDS rejects "/", "@", '"' and spaces in a master password.
    overrideSpecial: "!#$%&*()-_=+[]{}<>:?",
});
const redisAuthToken = new random.RandomPassword("redis-auth-token", {
    length: 32,
    special: true,
    // The only punctuation ElastiCache accepts in an AUTH token.
    overrideSpecial: "!&#$^<>-",
});

// --------------------------------------------------------------------------------------------------
// PostgreSQL
// --------------------------------------------------------------------------------------------------
const dbSubnets = new aws.rds.SubnetGroup("db-subnets", {
    description: "Private subnets of the patient database",
    subnetIds: network.privateSubnetIds,
    tags: tags,
});
const dbParams = new aws.rds.ParameterGroup("db-params", {
    family: "postgres16",
    description: "PostgreSQL 16 with TLS required and connections logged",
    // "immediate" is the provider's default apply method, spelled out because the Node SDK (unlike the
    // Python one, which fills it in) does not apply schema defaults to list elements.
    parameters: [
        { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
        { name: "log_connections", value: "1", applyMethod: "immediate" },
        { name: "log_disconnections", value: "1", applyMethod: "immediate" },
    ],
    tags: tags,
});
const rdsMonitoringRole = new aws.iam.Role("rds-monitoring", {
    assumeRolePolicy: JSON.stringify(assumeRolePolicy("monitoring.rds.amazonaws.com")),
    managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"],
    tags: tags,
});
const database = new aws.rds.Instance("patients-db", {
    identifier: `${prefix}-patients-db`,
    engine: "postgres",
    engineVersion: "16", // major only: RDS picks the current default minor of 16 in the region
    instanceClass: "db.t4g.medium",
    allocatedStorage: 50,
    maxAllocatedStorage: 200,
    storageType: "gp3",
    storageEncrypted: true,
    kmsKeyId: phiKey.arn,
    dbName: "patients",
    username: dbUsername,
    password: dbPassword.result,
    parameterGroupName: dbParams.name,
    dbSubnetGroupName: dbSubnets.name,
    vpcSecurityGroupIds: [dbSg.id],
    publiclyAccessible: false,
    multiAz: true,
    backupRetentionPeriod: 30,
    backupWindow: "03:00-04:00",
    maintenanceWindow: "sun:05:00-sun:06:00",
    copyTagsToSnapshot: true,
    autoMinorVersionUpgrade: true,
    iamDatabaseAuthenticationEnabled: true,
    enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
    monitoringInterval: 60,
    monitoringRoleArn: rdsMonitoringRole.arn,
    // Keep a final snapshot and refuse accidental deletion: the database holds PHI.
    deletionProtection: true,
    skipFinalSnapshot: false,
    finalSnapshotIdentifier: `${prefix}-patients-db-final`,
    tags: tags,
});

// --------------------------------------------------------------------------------------------------
// Secrets (read by the ECS agent at task start; never put in plain environment variables)
// --------------------------------------------------------------------------------------------------
const dbSecret = new aws.secretsmanager.Secret("db-credentials", {
    description: "Connection settings of the patient database",
    kmsKeyId: phiKey.arn,
    recoveryWindowInDays: 30,
    tags: tags,
});
new aws.secretsmanager.SecretVersion("db-credentials-value", {
    secretId: dbSecret.id,
    secretString: pulumi.jsonStringify(pulumi.output({
        engine: "postgres",
        host: database.address,
        port: database.port,
        dbname: "patients",
        username: dbUsername,
        password: dbPassword.result,
    })),
});
const redisSecret = new aws.secretsmanager.Secret("redis-auth", {
    description: "AUTH token of the session cache",
    kmsKeyId: phiKey.arn,
    recoveryWindowInDays: 30,
    tags: tags,
});
new aws.secretsmanager.SecretVersion("redis-auth-value", {
    secretId: redisSecret.id,
    secretString: redisAuthToken.result,
});

// --------------------------------------------------------------------------------------------------
// Redis session cache
// --------------------------------------------------------------------------------------------------
const cacheSubnets = new aws.elasticache.SubnetGroup("cache-subnets", {
    description: "Private subnets of the session cache",
    subnetIds: network.privateSubnetIds,
    tags: tags,
});
const sessions = new aws.elasticache.ReplicationGroup("sessions-cache", {
    replicationGroupId: `${prefix}-sessions`,
    description: "Patient-portal sessions",
    engine: "redis",
    engineVersion: "7.1",
    nodeType: "cache.t4g.small",
    numCacheClusters: 2,
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    port: 6379,
    parameterGroupName: "default.redis7",
    subnetGroupName: cacheSubnets.name,
    securityGroupIds: [cacheSg.id],
    atRestEncryptionEnabled: true,
    kmsKeyId: phiKey.arn,
    transitEncryptionEnabled: true,
    authToken: redisAuthToken.result,
    snapshotRetentionLimit: 15, // AWS's HIPAA pack asks for at least 15 days
    tags: tags,
});

// --------------------------------------------------------------------------------------------------
// Logs and audit trail
// --------------------------------------------------------------------------------------------------
const appLogs = new aws.cloudwatch.LogGroup("app-logs", {
    name: `/ecs/${prefix}/patient-portal`,
    kmsKeyId: phiKey.arn, // the key policy admits logs.<region>.amazonaws.com
    retentionInDays: 90,
    tags: tags,
});
const auditLogs = new aws.cloudwatch.LogGroup("audit-logs", {
    name: `/${prefix}/audit`,
    kmsKeyId: phiKey.arn,
    retentionInDays: 365,
    tags: tags,
});
const auditEventStream = new aws.kinesis.Stream("audit-stream", {
    name: `${prefix}-audit-events`,
    shardCount: 1,
    retentionPeriod: 168,
    encryptionType: "KMS",
    kmsKeyId: phiKey.arn,
    tags: tags,
});

// --------------------------------------------------------------------------------------------------
// Export bucket (reports handed to other covered entities)
// --------------------------------------------------------------------------------------------------
const phiExports = new aws.s3.Bucket("phi-exports", {
    bucketPrefix: `${prefix}-phi-exports-`,
    tags: {
        ...tags,
        "hipaa-guard:exempt": "s3-bucket-replication-enabled: single-region deployment, "
            + "the bucket is in the AWS Backup plan",
    },
});
new aws.s3.BucketServerSideEncryptionConfiguration("phi-exports-encryption", {
    bucket: phiExports.id,
    rules: [{
        applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: phiKey.arn },
        bucketKeyEnabled: true, // fewer KMS calls for the same protection
    }],
});
new aws.s3.BucketPublicAccessBlock("phi-exports-public-access", {
    bucket: phiExports.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
});
new aws.s3.BucketVersioning("phi-exports-versioning", {
    bucket: phiExports.id,
    versioningConfiguration: { status: "Enabled" },
});

// --------------------------------------------------------------------------------------------------
// Load balancer and TLS
// --------------------------------------------------------------------------------------------------
const certificate = new aws.acm.Certificate("portal-cert", {
    domainName: domainName,
    validationMethod: "DNS",
    tags: tags,
});
// Waits until ACM has issued the certificate: the validation CNAME (exported below) must be published
// in the domain's DNS. A listener cannot use a certificate that is still pending validation.
const certificateIssued = new aws.acm.CertificateValidation("portal-cert-issued", {
    certificateArn: certificate.arn,
});

// ALB access logs, S3 server access logs, the trail and the flow logs all land in one log bucket.
const [auditBucket, auditBucketPolicy] = logBucket("audit-logs-bucket", prefix, identity.accountId, tags);
const alb = new aws.lb.LoadBalancer("portal-alb", {
    name: `${prefix}-portal`,
    loadBalancerType: "application",
    internal: false,
    subnets: network.publicSubnetIds,
    securityGroups: [albSg.id],
    dropInvalidHeaderFields: true,
    enableDeletionProtection: true,
    accessLogs: { bucket: auditBucket.bucket, prefix: "alb", enabled: true },
    tags: tags,
}, { dependsOn: [auditBucketPolicy] }); // ELB checks it may write there
const targetGroup = new aws.lb.TargetGroup("portal-tg", {
    name: `${prefix}-portal`,
    port: 80,
    protocol: "HTTP",
    targetType: "ip",
    vpcId: network.vpcId,
    deregistrationDelay: 30,
    healthCheck: { path: "/", matcher: "200-399" },
    tags: tags,
});
const httpsListener = new aws.lb.Listener("portal-https", {
    loadBalancerArn: alb.arn,
    port: 443, // admitted by alb-sg
    protocol: "HTTPS",
    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    certificateArn: certificate.arn,
    defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
    tags: tags,
}, { dependsOn: [certificateIssued] });
new aws.lb.Listener("portal-http-redirect", {
    loadBalancerArn: alb.arn,
    port: 80,
    protocol: "HTTP",
    defaultActions: [{
        type: "redirect",
        redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" },
    }],
    tags: tags,
});

// --------------------------------------------------------------------------------------------------
// ECS
// --------------------------------------------------------------------------------------------------
const namespace = new aws.servicediscovery.PrivateDnsNamespace("portal-namespace", {
    name: `${prefix}.internal`,
    description: "Service Connect namespace of the patient portal",
    vpc: network.vpcId,
    tags: tags,
});
const cluster = new aws.ecs.Cluster("portal-cluster", {
    name: `${prefix}-portal`,
    settings: [{ name: "containerInsights", value: "enabled" }],
    // Service Connect takes the namespace's ARN, not its DNS name.
    serviceConnectDefaults: { namespace: namespace.arn },
    tags: tags,
});

const executionRole = new aws.iam.Role("portal-execution-role", {
    name: `${prefix}-portal-execution`,
    description: "ECS agent: pull the image, write logs, inject secrets",
    assumeRolePolicy: JSON.stringify(assumeRolePolicy("ecs-tasks.amazonaws.com")),
    tags: tags,
});
new aws.iam.RolePolicyAttachment("portal-execution-managed", {
    role: executionRole.name,
    policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
});
// Managed (not inline) policies: versioned and reviewable in one place (iam-no-inline-policy-check).
const executionSecrets = new aws.iam.Policy("portal-execution-secrets", {
    policy: pulumi.jsonStringify(pulumi.output(readSecretsPolicy([dbSecret.arn, redisSecret.arn], phiKey.arn))),
});
new aws.iam.RolePolicyAttachment("portal-execution-secrets", {
    role: executionRole.name,
    policyArn: executionSecrets.arn,
});
const taskRole = new aws.iam.Role("portal-task-role", {
    name: `${prefix}-portal-task`,
    description: "Patient-portal application: publish audit events",
    assumeRolePolicy: JSON.stringify(assumeRolePolicy("ecs-tasks.amazonaws.com")),
    tags: tags,
});
const taskAudit = new aws.iam.Policy("portal-task-audit", {
    policy: pulumi.jsonStringify(pulumi.output(streamWriterPolicy(auditEventStream.arn, phiKey.arn))),
});
new aws.iam.RolePolicyAttachment("portal-task-audit", { role: taskRole.name, policyArn: taskAudit.arn });

const taskDefinition = new aws.ecs.TaskDefinition("portal-task", {
    family: `${prefix}-portal`,
    requiresCompatibilities: ["FARGATE"],
    networkMode: "awsvpc",
    cpu: "512",
    memory: "1024",
    executionRoleArn: executionRole.arn,
    taskRoleArn: taskRole.arn,
    volumes: [{ name: "nginx-cache" }, { name: "nginx-run" }],
    containerDefinitions: pulumi.jsonStringify(pulumi.output([
        {
            name: "portal",
            image: appImage,
            essential: true,
            portMappings: [{ containerPort: 80, protocol: "tcp" }],
            readonlyRootFilesystem: true,
            mountPoints: [
                { sourceVolume: "nginx-cache", containerPath: "/var/cache/nginx" },
                { sourceVolume: "nginx-run", containerPath: "/var/run" },
            ],
            // Only non-sensitive settings go in the environment...
            environment: [
                { name: "APP_ENV", value: stack },
                { name: "DB_HOST", value: database.address },
                { name: "DB_NAME", value: "patients" },
                { name: "REDIS_HOST", value: sessions.primaryEndpointAddress },
                { name: "REDIS_TLS", value: "true" },
                { name: "AUDIT_STREAM", value: auditEventStream.name },
            ],
            // ...credentials are injected by the ECS agent from Secrets Manager.
            secrets: [
                { name: "DB_CREDENTIALS", valueFrom: dbSecret.arn },
                { name: "REDIS_AUTH_TOKEN", valueFrom: redisSecret.arn },
            ],
            logConfiguration: {
                logDriver: "awslogs",
                options: {
                    "awslogs-group": appLogs.name,
                    "awslogs-region": region,
                    "awslogs-stream-prefix": "portal",
                },
            },
        },
    ])),
    tags: tags,
});
const service = new aws.ecs.Service("portal-service", {
    name: "patient-portal",
    cluster: cluster.arn,
    taskDefinition: taskDefinition.arn,
    launchType: "FARGATE",
    desiredCount: 2,
    networkConfiguration: {
        subnets: network.privateSubnetIds,
        securityGroups: [appSg.id],
        assignPublicIp: false, // private subnets; egress through the NAT gateway
    },
    loadBalancers: [{ targetGroupArn: targetGroup.arn, containerName: "portal", containerPort: 80 }],
    serviceConnectConfiguration: { enabled: true },
    healthCheckGracePeriodSeconds: 60,
    deploymentCircuitBreaker: { enable: true, rollback: true },
    propagateTags: "SERVICE",
    tags: tags,
}, {
    // The target group must be attached to the ALB before a service can register into it.
    dependsOn: [httpsListener],
});

export const portalUrl = pulumi.interpolate`https://${domainName}`;
export const albDnsName = alb.dnsName;
export const certificateValidation = certificate.domainValidationOptions;
export const databaseEndpoint = database.endpoint;
export const auditStream = auditEventStream.name;
export const exportsBucket = phiExports.bucket;

// --------------------------------------------------------------------------------------------------
// HIPAA conformance II (issue 10): audit trail, flow logs, WAF, backup plan, S3 guards
// --------------------------------------------------------------------------------------------------
// S3: the exports bucket logs its requests, refuses plaintext, keeps versions under a lifecycle, is
// Object Lock enabled (allowed on an existing versioned bucket) and notifies EventBridge.
new aws.s3.BucketLogging("phi-exports-logging", {
    bucket: phiExports.id,
    targetBucket: auditBucket.id,
    targetPrefix: "s3/",
});
new aws.s3.BucketPolicy("phi-exports-policy", {
    bucket: phiExports.id,
    policy: phiExports.arn.apply(arn => JSON.stringify({ Version: "2012-10-17", Statement: [tlsOnlyStatement(arn)] })),
});
noncurrentVersionsExpire("phi-exports-lifecycle", phiExports, 365);
new aws.s3.BucketObjectLockConfiguration("phi-exports-lock", { bucket: phiExports.id, objectLockEnabled: "Enabled" });
new aws.s3.BucketNotification("phi-exports-events", { bucket: phiExports.id, eventbridge: true });

// The trail: its own key (the key policy admits CloudTrail), validated log files, a copy in CloudWatch Logs.
const trailKey = new aws.kms.Key("trail-key", {
    description: "CloudTrail log files",
    enableKeyRotation: true,
    policy: identity.accountId.apply(account => JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "EnableIamPolicies", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` },
                Action: "kms:*", Resource: "*",
            },
            {
                Sid: "CloudTrailEncrypts", Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" },
                Action: ["kms:GenerateDataKey*", "kms:DescribeKey"], Resource: "*",
                Condition: { StringEquals: { "aws:SourceAccount": account } },
            },
        ],
    })),
    tags: tags,
});
const trailLogs = new aws.cloudwatch.LogGroup("trail-logs", {
    name: `/${prefix}/cloudtrail`,
    kmsKeyId: phiKey.arn,
    retentionInDays: 365,
    tags: tags,
});
const trailRole = new aws.iam.Role("trail-role", {
    assumeRolePolicy: JSON.stringify(assumeRolePolicy("cloudtrail.amazonaws.com")),
    tags: tags,
});
const trailDelivery = new aws.iam.Policy("trail-delivery", {
    policy: pulumi.jsonStringify(pulumi.output({
        Version: "2012-10-17",
        Statement: [{
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: pulumi.interpolate`${trailLogs.arn}:*`,
        }],
    })),
});
new aws.iam.RolePolicyAttachment("trail-delivery", { role: trailRole.name, policyArn: trailDelivery.arn });
new aws.cloudtrail.Trail("audit-trail", {
    s3BucketName: auditBucket.id,
    s3KeyPrefix: "cloudtrail",
    isMultiRegionTrail: true,
    enableLogFileValidation: true,
    kmsKeyId: trailKey.arn,
    cloudWatchLogsGroupArn: pulumi.interpolate`${trailLogs.arn}:*`,
    cloudWatchLogsRoleArn: trailRole.arn,
    tags: tags,
}, { dependsOn: [auditBucketPolicy] });

// Network: flow logs of the whole VPC, and a default security group that allows nothing.
new aws.ec2.FlowLog("vpc-flow-log", {
    vpcId: network.vpcId,
    trafficType: "ALL",
    logDestinationType: "s3",
    logDestination: pulumi.interpolate`${auditBucket.arn}/flow-logs/`,
    tags: tags,
}, { dependsOn: [auditBucketPolicy] });
new aws.ec2.DefaultSecurityGroup("default-sg-closed", { vpcId: network.vpcId, tags: tags });

// WAF in front of the ALB, with its requests logged (the log group name must start with aws-waf-logs-).
const webAcl = new aws.wafv2.WebAcl("portal-waf", {
    scope: "REGIONAL",
    defaultAction: { allow: {} },
    rules: [{
        name: "aws-common",
        priority: 1,
        overrideAction: { none: {} },
        statement: {
            managedRuleGroupStatement: { vendorName: "AWS", name: "AWSManagedRulesCommonRuleSet" },
        },
        visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "aws-common", sampledRequestsEnabled: true },
    }],
    visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "portal-waf", sampledRequestsEnabled: true },
    tags: tags,
});
new aws.wafv2.WebAclAssociation("portal-waf-alb", { resourceArn: alb.arn, webAclArn: webAcl.arn });
const wafLogs = new aws.cloudwatch.LogGroup("waf-logs", {
    name: `aws-waf-logs-${prefix}`,
    kmsKeyId: phiKey.arn,
    retentionInDays: 365,
    tags: tags,
});
new aws.wafv2.WebAclLoggingConfiguration("portal-waf-logging", {
    resourceArn: webAcl.arn,
    logDestinationConfigs: [wafLogs.arn],
});

// AWS Backup: daily backups kept 35 days in a locked vault, selecting the database and both buckets.
const vault = new aws.backup.Vault("phi-vault", { name: `${prefix}-phi`, kmsKeyArn: phiKey.arn, tags: tags });
new aws.backup.VaultLockConfiguration("phi-vault-lock", { backupVaultName: vault.name, minRetentionDays: 35 });
const plan = new aws.backup.Plan("phi-backup", {
    name: `${prefix}-phi`,
    rules: [{
        ruleName: "daily-35-days",
        targetVaultName: vault.name,
        schedule: "cron(0 5 ? * * *)",
        lifecycle: { deleteAfter: 35 },
    }],
    tags: tags,
});
const backupRole = new aws.iam.Role("backup-role", {
    assumeRolePolicy: JSON.stringify(assumeRolePolicy("backup.amazonaws.com")),
    managedPolicyArns: [
        "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
        "arn:aws:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup",
    ],
    tags: tags,
});
new aws.backup.Selection("phi-backup-selection", {
    name: `${prefix}-phi`,
    planId: plan.id,
    iamRoleArn: backupRole.arn,
    resources: [database.arn, phiExports.arn, auditBucket.arn],
});

// ==================================================================================================
// Issue 9 (AWS Config HIPAA conformance pack, data stores and compute): a DynamoDB consent table, an EFS
// share for scanned documents, a reporting EC2 instance, an SNS alert topic, an OpenSearch search domain,
// and the rotation of both secrets. Each passes the pack's conformance policies.
// ==================================================================================================

// Secrets rotate every 30 days (secretsmanager-rotation-enabled-check).
const rotationRole = new aws.iam.Role("secret-rotation", {
    assumeRolePolicy: JSON.stringify(assumeRolePolicy("lambda.amazonaws.com")),
    managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"],
    tags: tags,
});
const rotationAccess = new aws.iam.Policy("secret-rotation-access", {
    policy: pulumi.jsonStringify(pulumi.output({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Action: [
                    "secretsmanager:GetSecretValue",
                    "secretsmanager:PutSecretValue",
                    "secretsmanager:DescribeSecret",
                    "secretsmanager:UpdateSecretVersionStage",
                ],
                Resource: [dbSecret.arn, redisSecret.arn],
            },
            { Effect: "Allow", Action: "secretsmanager:GetRandomPassword", Resource: "*" },
            { Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: phiKey.arn },
            { Effect: "Allow", Action: "rds:ModifyDBInstance", Resource: database.arn },
            { Effect: "Allow", Action: "elasticache:ModifyReplicationGroup", Resource: sessions.arn },
        ],
    })),
});
// A managed policy attached to the role, not an inline one (iam-no-inline-policy-check).
new aws.iam.RolePolicyAttachment("secret-rotation-access", {
    role: rotationRole.name,
    policyArn: rotationAccess.arn,
});
const rotationFunction = new aws.lambda.Function("secret-rotation", {
    role: rotationRole.arn,
    runtime: "python3.12",
    handler: "index.handler",
    timeout: 60,
    code: new pulumi.asset.AssetArchive({ "index.py": new pulumi.asset.StringAsset(ROTATION_SOURCE) }),
    environment: {
        variables: {
            DB_SECRET_ARN: dbSecret.arn,
            DB_INSTANCE_ID: database.identifier,
            REDIS_SECRET_ARN: redisSecret.arn,
            REPLICATION_GROUP_ID: sessions.replicationGroupId,
        },
    },
    tags: tags,
});
const rotationInvoke = new aws.lambda.Permission("secret-rotation-invoke", {
    action: "lambda:InvokeFunction",
    function: rotationFunction.name,
    principal: "secretsmanager.amazonaws.com",
    sourceAccount: identity.accountId, // no other account's secrets can invoke it
});
const rotatedSecrets: [string, aws.secretsmanager.Secret][] = [["db-credentials", dbSecret], ["redis-auth", redisSecret]];
for (const [rotatedName, rotatedSecret] of rotatedSecrets) {
    new aws.secretsmanager.SecretRotation(`${rotatedName}-rotation`, {
        secretId: rotatedSecret.id,
        rotationLambdaArn: rotationFunction.arn,
        rotationRules: { automaticallyAfterDays: 30 },
    }, { dependsOn: [rotationInvoke] });
}

// Consent records: on-demand capacity, point-in-time recovery, the PHI key.
const consents = new aws.dynamodb.Table("consents", {
    name: `${prefix}-consents`,
    billingMode: "PAY_PER_REQUEST", // scales itself: dynamodb-autoscaling-enabled passes
    hashKey: "patientId",
    rangeKey: "consentId",
    attributes: [
        { name: "patientId", type: "S" },
        { name: "consentId", type: "S" },
    ],
    pointInTimeRecovery: { enabled: true },
    serverSideEncryption: { enabled: true, kmsKeyArn: phiKey.arn },
    deletionProtectionEnabled: true,
    tags: tags,
});

// Scanned documents: an encrypted EFS share.
const documents = new aws.efs.FileSystem("scanned-documents", {
    encrypted: true,
    kmsKeyId: phiKey.arn,
    performanceMode: "generalPurpose",
    throughputMode: "elastic",
    tags: tags,
});

// A reporting host in a private subnet: IMDSv2 only, instance profile, encrypted root volume, no public IP.
const reportingRole = new aws.iam.Role("reporting-host", {
    assumeRolePolicy: JSON.stringify(assumeRolePolicy("ec2.amazonaws.com")),
    managedPolicyArns: ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore"], // Session Manager, no SSH
    tags: tags,
});
const reportingProfile = new aws.iam.InstanceProfile("reporting-host", { role: reportingRole.name, tags: tags });
const reportingAmi = aws.ssm.getParameterOutput({
    name: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
});
const reportingHost = new aws.ec2.Instance("reporting-host", {
    ami: reportingAmi.value,
    instanceType: "t3.small",
    subnetId: network.privateSubnetIds[0],
    vpcSecurityGroupIds: [appSg.id],
    associatePublicIpAddress: false,
    iamInstanceProfile: reportingProfile.name,
    metadataOptions: { httpTokens: "required", httpEndpoint: "enabled" },
    rootBlockDevice: { encrypted: true, kmsKeyId: phiKey.arn, volumeSize: 30, volumeType: "gp3" },
    tags: tags,
});
// The data stores and the host above are backed up by the stack's plan, like the database
// (dynamodb-in-backup-plan, efs-in-backup-plan, ec2-resources-protected-by-backup-plan).
new aws.backup.Selection("records-backup-selection", {
    name: `${prefix}-records`,
    planId: plan.id,
    iamRoleArn: backupRole.arn,
    resources: [consents.arn, documents.arn, reportingHost.arn],
});

// Operational alerts: an SNS topic under the PHI key.
const alerts = new aws.sns.Topic("ops-alerts", { kmsMasterKeyId: phiKey.arn, tags: tags });

// Patient search: OpenSearch inside the VPC, encrypted at rest and between nodes, HTTPS with TLS 1.2, logs kept.
const searchLogs = new aws.cloudwatch.LogGroup("search-logs", {
    name: `/aws/opensearch/${prefix}-patients`,
    retentionInDays: 365,
    kmsKeyId: phiKey.arn,
    tags: tags,
});
new aws.cloudwatch.LogResourcePolicy("search-logs-writer", {
    policyName: `${prefix}-opensearch-logs`,
    policyDocument: pulumi.jsonStringify(pulumi.output({
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: "es.amazonaws.com" },
                Action: ["logs:PutLogEvents", "logs:CreateLogStream"],
                Resource: pulumi.interpolate`${searchLogs.arn}:*`,
            },
        ],
    })),
});
const search = new aws.opensearch.Domain("patient-search", {
    domainName: `${prefix}-search`.slice(0, 28),
    engineVersion: "OpenSearch_2.13",
    clusterConfig: { instanceType: "r6g.large.search", instanceCount: 2, zoneAwarenessEnabled: true },
    ebsOptions: { ebsEnabled: true, volumeSize: 20, volumeType: "gp3" },
    vpcOptions: { subnetIds: network.privateSubnetIds.slice(0, 2), securityGroupIds: [appSg.id] },
    encryptAtRest: { enabled: true, kmsKeyId: phiKey.arn },
    nodeToNodeEncryption: { enabled: true },
    domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
    logPublishingOptions: [
        { logType: "ES_APPLICATION_LOGS", cloudwatchLogGroupArn: searchLogs.arn },
    ],
    tags: tags,
});

export const consentsTable = consents.name;
export const documentsFileSystem = documents.id;
export const alertsTopic = alerts.arn;
export const searchEndpoint = search.endpoint;
