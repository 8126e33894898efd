// hipaa-healthcare-broken: the patient-portal stack with the defects QA keeps finding in generated
// HIPAA programs (TypeScript twin of examples/broken).
//
// The program is valid TypeScript for @pulumi/aws 7 and constructs without error (source-level mistakes
// such as unknown properties are the fixer's business, not this example's). What is wrong is what AWS
// would reject at deploy time, or what a HIPAA review would refuse. Every deliberate defect carries a
// comment "defect:" followed by the policy name(s) that must catch it, comma-separated, and a reason in
// parentheses; it sits on the offending line, or inside the resource call when the defect is a missing
// setting.
// `examples/broken/expected.json` lists the same findings as (policy, resource name) pairs. Everything
// that is not marked is meant to be compliant.
//
// Run it offline against the policy pack:  policypack preview examples/typescript/broken

import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import * as random from "@pulumi/random";

import { HealthcareNetwork } from "./lib/network";

const stack = pulumi.getStack();
const prefix = `hc-${stack}`;
const tags: Record<string, string> = { project: "hipaa-healthcare", environment: stack, "data-classification": "phi" };

const identity = aws.getCallerIdentityOutput();
const region = aws.getRegionOutput().region;

function ecsTasksTrustPolicy(): string {
    return JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
    });
}

const network = new HealthcareNetwork("healthcare", { tags: tags });

// --------------------------------------------------------------------------------------------------
// Security groups
// --------------------------------------------------------------------------------------------------
const albSg = new aws.ec2.SecurityGroup("alb-sg", {
    description: "Internet-facing ALB",
    vpcId: network.vpcId,
    // Only HTTP is admitted, yet the HTTPS listener below is on 443 (seed 002).
    ingress: [
        { description: "HTTP from clients", protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: ["0.0.0.0/0"] },
    ],
    egress: [
        { description: "To the tasks", protocol: "tcp", fromPort: 80, toPort: 80, cidrBlocks: [network.vpcCidr] },
    ],
    tags: tags,
});
const appSg = new aws.ec2.SecurityGroup("app-sg", {
    description: "Fargate tasks",
    vpcId: network.vpcId,
    ingress: [
        { description: "HTTP from the ALB", protocol: "tcp", fromPort: 80, toPort: 80, securityGroups: [albSg.id] },
    ],
    egress: [{ description: "Outbound", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    tags: tags,
});
const dbSg = new aws.ec2.SecurityGroup("db-sg", {
    description: "PostgreSQL",
    vpcId: network.vpcId,
    ingress: [
        {
            description: "PostgreSQL from anywhere",
            protocol: "tcp",
            fromPort: 5432,
            toPort: 5432,
            cidrBlocks: ["0.0.0.0/0"], // defect: security-group-no-public-data-ports
        },
    ],
    tags: tags,
});
const cacheSg = new aws.ec2.SecurityGroup("cache-sg", { description: "Redis", vpcId: network.vpcId, tags: tags });
new aws.vpc.SecurityGroupIngressRule("cache-from-anywhere", {
    securityGroupId: cacheSg.id,
    cidrIpv4: "0.0.0.0/0", // defect: security-group-no-public-data-ports
    ipProtocol: "tcp",
    fromPort: 6379,
    toPort: 6379,
    description: "Redis from anywhere",
});

// --------------------------------------------------------------------------------------------------
// Keys
// --------------------------------------------------------------------------------------------------
const phiKey = new aws.kms.Key("phi-key", {
    description: "PHI at rest",
    // defect: kms-key-rotation (enableKeyRotation is not set)
    policy: pulumi.all([identity.accountId, region]).apply(([account, region]) =>
        JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "EnableIamPolicies",
                    Effect: "Allow",
                    Principal: { AWS: `arn:aws:iam::${account}:root` },
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
                },
            ],
        }),
    ),
    tags: tags,
});
// A second key for the audit log whose policy forgets CloudWatch Logs (seeds 001 and 004).
const auditKey = new aws.kms.Key("audit-key", {
    description: "Audit log encryption",
    enableKeyRotation: true,
    policy: identity.accountId.apply((account) =>
        JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "EnableIamPolicies",
                    Effect: "Allow",
                    Principal: { AWS: `arn:aws:iam::${account}:root` },
                    Action: "kms:*",
                    Resource: "*",
                },
            ],
        }),
    ),
    tags: tags,
});

// --------------------------------------------------------------------------------------------------
// PostgreSQL
// --------------------------------------------------------------------------------------------------
const dbPassword = new random.RandomPassword("db-master-password", { length: 24 }); // default specials include "/", "@" and '"'
const dbSubnets = new aws.rds.SubnetGroup("db-subnets", { subnetIds: network.privateSubnetIds, tags: tags });
const dbParams = new aws.rds.ParameterGroup("db-params", {
    family: "postgres15",
    // applyMethod "immediate" is the schema default, which the Python SDK fills in itself and the Node SDK does not.
    parameters: [
        { name: "rds.force_ssl", value: "0", applyMethod: "immediate" }, // defect: rds-force-ssl
    ],
    tags: tags,
});
const database = new aws.rds.Instance("patients-db", {
    identifier: `${prefix}-patients-db`,
    engine: "postgres",
    engineVersion: "15.5", // defect: rds-engine-version-valid (no 15.5 in ap-southeast-1, seed 004)
    instanceClass: "db.t4g.medium",
    allocatedStorage: 50,
    // defect: rds-storage-encrypted (storageEncrypted is not set)
    dbName: "patients",
    username: "admin", // defect: rds-master-username-valid (reserved by RDS for PostgreSQL, seed 003)
    password: dbPassword.result, // defect: rds-master-password-charset (RandomPassword with default specials)
    parameterGroupName: dbParams.name,
    dbSubnetGroupName: dbSubnets.name,
    vpcSecurityGroupIds: [dbSg.id],
    publiclyAccessible: true, // defect: rds-not-publicly-accessible
    multiAz: false, // defect: rds-multi-az (advisory)
    backupRetentionPeriod: 7, // defect: rds-backup-retention (HIPAA baseline is 30 days)
    skipFinalSnapshot: true,
    tags: tags,
});

// Aurora Serverless v2 for analytics, configured with the v1 engine mode (seed 001).
const analyticsPassword = new random.RandomPassword("analytics-master-password", {
    length: 32,
    special: true,
    overrideSpecial: "!#$%&*()-_=+[]{}<>:?",
});
const analytics = new aws.rds.Cluster("analytics-cluster", {
    // defect: identifier-limits (68 characters; an RDS cluster identifier has at most 63)
    clusterIdentifier: `${prefix}-clinical-analytics-aurora-postgresql-serverless-v2-primary-01`,
    engine: "aurora-postgresql",
    engineMode: "serverless", // defect: aurora-serverless-v2-valid (v2 needs engineMode "provisioned")
    engineVersion: "16",
    databaseName: "analytics",
    masterUsername: "dbadmin",
    masterPassword: analyticsPassword.result,
    serverlessv2ScalingConfiguration: { minCapacity: 0.5, maxCapacity: 4 },
    storageEncrypted: true,
    kmsKeyId: phiKey.arn,
    backupRetentionPeriod: 30,
    dbSubnetGroupName: dbSubnets.name,
    vpcSecurityGroupIds: [dbSg.id],
    skipFinalSnapshot: true,
    tags: tags,
});
new aws.rds.ClusterInstance("analytics-instance-1", {
    clusterIdentifier: analytics.id,
    engine: "aurora-postgresql",
    // defect: aurora-serverless-v2-valid (a db.serverless instance needs its cluster in engine mode "provisioned")
    instanceClass: "db.serverless",
    publiclyAccessible: false,
    tags: tags,
});

// --------------------------------------------------------------------------------------------------
// Secrets
// --------------------------------------------------------------------------------------------------
const dbSecret = new aws.secretsmanager.Secret("db-credentials", {
    description: "Patient database credentials",
    // defect: secret-encrypted-with-cmk (kmsKeyId is not set: the AWS-managed key is used)
    tags: tags,
});
new aws.secretsmanager.SecretVersion("db-credentials-value", {
    secretId: dbSecret.id,
    secretString: pulumi.jsonStringify({ username: "admin", password: dbPassword.result, host: database.address }),
});

// --------------------------------------------------------------------------------------------------
// Redis
// --------------------------------------------------------------------------------------------------
const redisAuthToken = new random.RandomPassword("redis-auth-token", { length: 32, special: true }); // no overrideSpecial
const cacheSubnets = new aws.elasticache.SubnetGroup("cache-subnets", {
    description: "Session cache",
    subnetIds: network.privateSubnetIds,
    tags: tags,
});
new aws.elasticache.ReplicationGroup("sessions-cache", {
    replicationGroupId: `${prefix}-sessions`,
    description: "Patient-portal sessions",
    engine: "redis",
    engineVersion: "7.1",
    nodeType: "cache.t4g.small",
    numCacheClusters: 2,
    automaticFailoverEnabled: true,
    subnetGroupName: cacheSubnets.name,
    securityGroupIds: [cacheSg.id],
    // defect: elasticache-at-rest-encryption (atRestEncryptionEnabled is not set)
    // defect: elasticache-transit-encryption (transitEncryptionEnabled is not set)
    authToken: redisAuthToken.result, // defect: elasticache-auth-token-valid (default specials, no TLS; seed 000)
    tags: tags,
});

// --------------------------------------------------------------------------------------------------
// Logs, audit stream, export bucket
// --------------------------------------------------------------------------------------------------
const appLogs = new aws.cloudwatch.LogGroup("app-logs", {
    name: `/ecs/${prefix}/patient-portal`,
    // defect: log-group-encrypted (kmsKeyId is not set)
    // defect: log-group-retention (retentionInDays is not set: logs are kept forever, unreviewed)
    tags: tags,
});
new aws.cloudwatch.LogGroup("audit-logs", {
    name: `/${prefix}/audit`,
    kmsKeyId: auditKey.arn, // defect: log-group-kms-key-allows-logs (audit-key's policy has no logs principal)
    retentionInDays: 365,
    tags: tags,
});
const auditStream = new aws.kinesis.Stream("audit-stream", {
    name: `${prefix}-audit-events`,
    shardCount: 1,
    retentionPeriod: 168,
    // defect: kinesis-stream-encrypted (encryptionType is not set)
    tags: tags,
});
// defect: s3-bucket-encrypted, s3-public-access-blocked (no encryption configuration, no public access block)
new aws.s3.Bucket("phi-exports", { bucketPrefix: `${prefix}-phi-exports-`, tags: tags });

// --------------------------------------------------------------------------------------------------
// Load balancer
// --------------------------------------------------------------------------------------------------
const alb = new aws.lb.LoadBalancer("portal-alb", {
    name: `${prefix}-portal`,
    loadBalancerType: "application",
    subnets: network.publicSubnetIds,
    securityGroups: [albSg.id],
    dropInvalidHeaderFields: true,
    tags: tags,
});
const targetGroup = new aws.lb.TargetGroup("portal-tg", {
    name: `${prefix}-portal`,
    port: 80,
    protocol: "HTTP",
    targetType: "ip",
    vpcId: network.vpcId,
    healthCheck: { path: "/" },
    tags: tags,
});
const httpsListener = new aws.lb.Listener("portal-https", {
    loadBalancerArn: alb.arn,
    port: 443, // defect: lb-security-group-allows-listener-port (alb-sg admits only 80)
    protocol: "HTTPS",
    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    // defect: alb-https-real-certificate, no-placeholder-account-ids (seed 002)
    certificateArn: "arn:aws:acm:ap-southeast-1:123456789012:certificate/placeholder",
    defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
    tags: tags,
});
new aws.lb.Listener("portal-http", {
    loadBalancerArn: alb.arn,
    port: 80,
    protocol: "HTTP",
    // defect: alb-http-redirects-to-https (advisory: serves PHI over plain HTTP instead of redirecting)
    defaultActions: [{ type: "forward", targetGroupArn: targetGroup.arn }],
    tags: tags,
});

// --------------------------------------------------------------------------------------------------
// ECS
// --------------------------------------------------------------------------------------------------
const cluster = new aws.ecs.Cluster("portal-cluster", {
    name: `${prefix}-portal`,
    settings: [{ name: "containerInsights", value: "enabled" }],
    serviceConnectDefaults: {
        namespace: "healthcare.local", // defect: ecs-service-connect-namespace-arn (a DNS name, not an ARN; seed 001)
    },
    tags: tags,
});
const executionRole = new aws.iam.Role("portal-execution-role", {
    assumeRolePolicy: ecsTasksTrustPolicy(),
    tags: tags,
});
// The managed policy covers image pulls and logs, not secretsmanager:GetSecretValue.
new aws.iam.RolePolicyAttachment("portal-execution-managed", {
    role: executionRole.name,
    policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
});
// defect: ecs-execution-role-can-read-secrets (the execution role cannot read db-credentials)
const taskDefinition = new aws.ecs.TaskDefinition("portal-task", {
    family: `${prefix}-portal`,
    requiresCompatibilities: ["FARGATE"],
    networkMode: "awsvpc",
    cpu: "512",
    memory: "1024",
    executionRoleArn: executionRole.arn,
    containerDefinitions: pulumi.jsonStringify([
        {
            name: "portal",
            image: "public.ecr.aws/nginx/nginx:stable",
            essential: true,
            portMappings: [{ containerPort: 80, protocol: "tcp" }],
            environment: [
                { name: "DB_HOST", value: database.address },
                // defect: ecs-no-plaintext-secrets (a literal password in the environment; fake value)
                { name: "DB_PASSWORD", value: "FAKE-not-a-real-password" },
            ],
            secrets: [{ name: "DB_CREDENTIALS", valueFrom: dbSecret.arn }],
            logConfiguration: {
                logDriver: "awslogs",
                options: {
                    "awslogs-group": appLogs.name,
                    "awslogs-region": region,
                    "awslogs-stream-prefix": "portal",
                },
            },
        },
    ]),
    tags: tags,
});
new aws.ecs.Service(
    "portal-service",
    {
        name: "patient-portal",
        cluster: cluster.arn,
        taskDefinition: taskDefinition.arn,
        launchType: "FARGATE",
        desiredCount: 2,
        networkConfiguration: {
            subnets: network.privateSubnetIds,
            securityGroups: [appSg.id],
            assignPublicIp: true, // defect: ecs-no-public-ip
        },
        loadBalancers: [{ targetGroupArn: targetGroup.arn, containerName: "portal", containerPort: 80 }],
        tags: tags,
    },
    { dependsOn: [httpsListener] },
);

// --------------------------------------------------------------------------------------------------
// Lambda: forwards audit events
// --------------------------------------------------------------------------------------------------
const FORWARDER_SOURCE = `def handler(event, context):
    return {"records": len(event.get("Records", []))}
`;

const forwarderRole = new aws.iam.Role("audit-forwarder-role", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
    tags: tags,
});
new aws.iam.RolePolicyAttachment("audit-forwarder-basic", {
    role: forwarderRole.name,
    policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
});
new aws.lambda.Function("audit-forwarder", {
    role: forwarderRole.arn,
    runtime: "python3.7", // defect: lambda-runtime-supported (deprecated: functions can no longer be created)
    handler: "index.handler",
    code: new pulumi.asset.AssetArchive({ "index.py": new pulumi.asset.StringAsset(FORWARDER_SOURCE) }),
    environment: {
        variables: {
            AUDIT_STREAM: auditStream.name,
            AWS_REGION: region, // defect: lambda-reserved-env-vars (set by Lambda itself)
        },
    },
    tags: tags,
});

export const albDnsName = alb.dnsName;

// --------------------------------------------------------------------------------------------------
// HIPAA conformance II (issue 10): defects of the network, identity, audit-logging, backup and S3 rules
// --------------------------------------------------------------------------------------------------
// defect: elb-tls-https-listeners-only (plain HTTP), elb-cross-zone-load-balancing-enabled, elb-logging-enabled
new aws.elb.LoadBalancer("legacy-elb", {
    subnets: network.publicSubnetIds,
    listeners: [{ lbPort: 80, lbProtocol: "http", instancePort: 8080, instanceProtocol: "http" }],
    crossZoneLoadBalancing: false,
    tags: tags,
});
// defect: security-group-no-public-data-ports (FTP, restricted-common-ports), vpc-sg-open-only-to-authorized-ports
new aws.vpc.SecurityGroupIngressRule("ftp-from-anywhere", {
    securityGroupId: appSg.id,
    ipProtocol: "tcp",
    fromPort: 21,
    toPort: 21,
    cidrIpv4: "0.0.0.0/0",
});
// defect: api-gw-execution-logging-enabled (no method settings), api-gw-associated-with-waf, api-gw-ssl-enabled
const portalApi = new aws.apigateway.RestApi("portal-api", { name: `${prefix}-portal-api` });
const apiRoot = new aws.apigateway.Method("portal-api-any", {
    restApi: portalApi.id,
    resourceId: portalApi.rootResourceId,
    httpMethod: "ANY",
    authorization: "NONE",
});
const backend = new aws.apigateway.Integration(
    "portal-api-backend",
    {
        restApi: portalApi.id,
        resourceId: portalApi.rootResourceId,
        httpMethod: "ANY",
        type: "HTTP_PROXY",
        integrationHttpMethod: "ANY",
        uri: "https://backend.example.com",
    },
    { dependsOn: [apiRoot] },
);
const apiDeployment = new aws.apigateway.Deployment(
    "portal-api-deployment",
    { restApi: portalApi.id },
    { dependsOn: [backend] },
);
new aws.apigateway.Stage("portal-api-prod", {
    restApi: portalApi.id,
    deployment: apiDeployment.id,
    stageName: "prod",
});
// defect: cloud-trail-encryption-enabled, cloud-trail-log-file-validation-enabled,
// cloud-trail-cloud-watch-logs-enabled (an S3-only trail with SSE-S3 and no digest files)
new aws.cloudtrail.Trail("audit-trail", { s3BucketName: `${prefix}-trail-logs`, tags: tags });
// defect: cloudwatch-alarm-action-check (nobody is notified)
new aws.cloudwatch.MetricAlarm("db-cpu-high", {
    namespace: "AWS/RDS",
    metricName: "CPUUtilization",
    statistic: "Average",
    period: 300,
    evaluationPeriods: 2,
    threshold: 80,
    comparisonOperator: "GreaterThanThreshold",
    dimensions: { DBInstanceIdentifier: database.identifier },
});
// defect: backup-plan-min-frequency-and-min-retention-check (weekly, kept 7 days),
// backup-recovery-point-manual-deletion-disabled (the vault has no policy or lock)
const vault = new aws.backup.Vault("phi-vault", { name: `${prefix}-phi`, kmsKeyArn: phiKey.arn, tags: tags });
const weekly = new aws.backup.Plan("phi-backup", {
    name: `${prefix}-phi`,
    rules: [
        {
            ruleName: "weekly",
            targetVaultName: vault.name,
            schedule: "cron(0 5 ? * SUN *)",
            lifecycle: { deleteAfter: 7 },
        },
    ],
});
// defect: iam-policy-no-statements-with-admin-access, iam-customer-policy-blocked-kms-actions
new aws.iam.Policy("ops-admin", {
    policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }),
});
// defect: iam-no-inline-policy-check, iam-inline-policy-blocked-kms-actions,
// iam-policy-no-statements-with-full-access (on the attached managed policy)
new aws.iam.RolePolicy("portal-execution-decrypt", {
    role: executionRole.name,
    policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "kms:Decrypt", Resource: "*" }],
    }),
});
const exportsFull = new aws.iam.Policy("exports-full-access", {
    policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::hc-exports/*" }],
    }),
});
// defect: iam-user-no-policies-check (a policy attached to a user, not a group)
const analyst = new aws.iam.User("analyst", { name: `${prefix}-analyst`, tags: tags });
new aws.iam.UserPolicyAttachment("analyst-exports", { user: analyst.name, policyArn: exportsFull.arn });
// defect: s3-bucket-acl-prohibited (a public-read ACL), and no TLS-only policy, logging or versioning
const reports = new aws.s3.Bucket("public-reports", { bucketPrefix: `${prefix}-reports-`, tags: tags });
new aws.s3.BucketOwnershipControls("public-reports-ownership", {
    bucket: reports.id,
    rule: { objectOwnership: "BucketOwnerPreferred" },
});
new aws.s3.BucketAcl("public-reports-acl", { bucket: reports.id, acl: "public-read" });
// defect: subnet-auto-assign-public-ip-disabled (every instance here gets a public IP)
new aws.ec2.Subnet("bastion-subnet", {
    vpcId: network.vpcId,
    cidrBlock: "10.40.20.0/24",
    mapPublicIpOnLaunch: true,
    tags: tags,
});
// defect: wafv2-logging-enabled (a web ACL with no logging configuration)
new aws.wafv2.WebAcl("portal-waf", {
    scope: "REGIONAL",
    defaultAction: { allow: {} },
    visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "portal-waf", sampledRequestsEnabled: true },
    tags: tags,
});

// ==================================================================================================
// Issue 9 (AWS Config HIPAA conformance pack, data stores and compute): one or more defects per service.
// defect: dynamodb-in-backup-plan, ebs-in-backup-plan, ec2-resources-protected-by-backup-plan, efs-in-backup-plan
// (visits, scratch, bastion and scans below: no backup selection of the stack selects them)
// The conformance rules also fail resources above, which are left unmarked there to keep this block
// self-contained: sessions-cache (elasticache-redis-cluster-automatic-backup-check: no snapshots),
// patients-db and analytics-cluster (rds-logging-enabled: no log exports), patients-db and
// analytics-instance-1 (rds-enhanced-monitoring-enabled), patients-db (rds-instance-deletion-protection-
// enabled), analytics-cluster (rds-cluster-deletion-protection-enabled), portal-task
// (ecs-containers-readonly-access) and db-credentials (secretsmanager-rotation-enabled-check).
// ==================================================================================================
new aws.dynamodb.Table("visits", {
    name: `${prefix}-visits`,
    hashKey: "visitId",
    attributes: [{ name: "visitId", type: "S" }],
    readCapacity: 5, // defect: dynamodb-autoscaling-enabled (provisioned capacity with no auto scaling)
    writeCapacity: 5,
    // defect: dynamodb-pitr-enabled (no pointInTimeRecovery: no restore after a bad write)
    tags: tags,
});

const bastionRole = new aws.iam.Role("bastion", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
    tags: tags,
});
new aws.ec2.Instance("bastion", {
    ami: "ami-0c02fb55956c7d316",
    instanceType: "t3.micro",
    // defect: ec2-instances-in-vpc, ec2-instance-no-public-ip (no subnet: the default VPC's public subnet)
    // defect: ec2-imdsv2-check (metadataOptions unset: IMDSv1 stays available)
    // defect: ec2-instance-profile-attached (no iamInstanceProfile: keys end up on the host)
    // defect: encrypted-volumes (rootBlockDevice unset: an unencrypted root volume)
    tags: tags,
});
new aws.ebs.Volume("scratch", {
    availabilityZone: pulumi.interpolate`${region}a`,
    size: 100,
    // defect: encrypted-volumes (encrypted unset and no EBS encryption by default in the stack)
    tags: tags,
});
const workerConfig = new aws.ec2.LaunchConfiguration("workers", {
    imageId: "ami-0c02fb55956c7d316",
    instanceType: "t3.small",
    associatePublicIpAddress: true, // defect: autoscaling-launch-config-public-ip-disabled (public workers)
});
new aws.autoscaling.Group("workers", {
    launchConfiguration: workerConfig.name,
    minSize: 1,
    maxSize: 3,
    vpcZoneIdentifiers: network.privateSubnetIds,
    targetGroupArns: [targetGroup.arn],
    // defect: autoscaling-group-elb-healthcheck-required (healthCheckType unset: EC2 checks only)
});

new aws.ecs.TaskDefinition("log-agent", {
    family: `${prefix}-log-agent`,
    networkMode: "host",
    requiresCompatibilities: ["EC2"],
    containerDefinitions: JSON.stringify([
        {
            name: "agent",
            image: "public.ecr.aws/aws-observability/aws-for-fluent-bit:stable",
            memory: 128,
            essential: true,
            readonlyRootFilesystem: true,
            // defect: ecs-task-definition-user-for-host-mode-check (no user: root on the host network)
        },
    ]),
    tags: tags,
});

new aws.efs.FileSystem("scans", {
    creationToken: `${prefix}-scans`,
    // defect: efs-encrypted-check (encrypted unset: scanned documents stored unencrypted)
    tags: tags,
});

const intakeApp = new aws.elasticbeanstalk.Application("intake", { name: `${prefix}-intake`, tags: tags });
new aws.elasticbeanstalk.Environment("intake", {
    application: intakeApp.name,
    solutionStackName: "64bit Amazon Linux 2023 v4.3.0 running Python 3.11",
    settings: [{ namespace: "aws:ec2:vpc", name: "Subnets", value: network.privateSubnetIds[0] }],
    // defect: elastic-beanstalk-managed-updates-enabled (managed platform updates not enabled)
    tags: tags,
});

new aws.opensearch.Domain("patient-search", {
    domainName: `${prefix}-search`.slice(0, 28),
    engineVersion: "OpenSearch_2.13",
    clusterConfig: { instanceType: "r6g.large.search", instanceCount: 1 },
    ebsOptions: { ebsEnabled: true, volumeSize: 20 },
    // defect: opensearch-in-vpc-only (no vpcOptions: a public endpoint)
    // defect: opensearch-encrypted-at-rest, opensearch-node-to-node-encryption-check (neither is enabled)
    // defect: opensearch-https-required (no domainEndpointOptions: plain HTTP accepted)
    // defect: opensearch-logs-to-cloudwatch (no logPublishingOptions)
    tags: tags,
});

const emrRole = new aws.iam.Role("emr-service", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Effect: "Allow", Principal: { Service: "elasticmapreduce.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
    }),
    tags: tags,
});
new aws.emr.Cluster("claims-etl", {
    name: `${prefix}-claims-etl`,
    releaseLabel: "emr-7.1.0",
    applications: ["Spark"],
    serviceRole: emrRole.arn,
    ec2Attributes: {
        subnetId: network.publicSubnetIds[0], // defect: emr-master-no-public-ip (a subnet routed to the IGW)
        instanceProfile: bastionRole.name,
    },
    masterInstanceGroup: { instanceType: "m5.xlarge" },
    coreInstanceGroup: { instanceType: "m5.xlarge", instanceCount: 2 },
    // defect: emr-kerberos-enabled (no securityConfiguration / kerberosAttributes)
    tags: tags,
});

const intakeRole = new aws.iam.Role("intake-function", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
    tags: tags,
});
const intakeFunction = new aws.lambda.Function("intake-function", {
    role: intakeRole.arn,
    runtime: "python3.12",
    handler: "index.handler",
    code: new pulumi.asset.AssetArchive({
        "index.py": new pulumi.asset.StringAsset("def handler(event, context):\n    return {}\n"),
    }),
    tags: tags,
});
new aws.lambda.FunctionUrl("intake-url", { functionName: intakeFunction.name, authorizationType: "NONE" });
new aws.lambda.Permission("intake-public-url", {
    action: "lambda:InvokeFunctionUrl",
    function: intakeFunction.name,
    principal: "*", // defect: lambda-function-public-access-prohibited (anyone on the internet can invoke it)
    functionUrlAuthType: "NONE",
});

new aws.rds.Snapshot("patients-db-export", {
    dbInstanceIdentifier: database.identifier,
    dbSnapshotIdentifier: `${prefix}-patients-export`,
    sharedAccounts: ["all"], // defect: rds-snapshots-public-prohibited (a public copy of the patient database)
});

const warehouseParams = new aws.redshift.ParameterGroup("warehouse-params", {
    name: `${prefix}-warehouse`,
    family: "redshift-1.0",
    parameters: [
        // defect: redshift-require-tls-ssl (plaintext connections allowed)
        { name: "require_ssl", value: "false" },
    ],
});
new aws.redshift.Cluster("warehouse", {
    clusterIdentifier: `${prefix}-warehouse`,
    nodeType: "ra3.xlplus",
    numberOfNodes: 2,
    databaseName: "claims",
    masterUsername: "warehouse_admin",
    manageMasterPassword: true,
    clusterParameterGroupName: warehouseParams.name,
    publiclyAccessible: true, // defect: redshift-cluster-public-access-check (a public endpoint)
    automatedSnapshotRetentionPeriod: 0, // defect: redshift-backup-enabled (automated snapshots off)
    allowVersionUpgrade: false, // defect: redshift-cluster-maintenancesettings-check (no engine patches)
    skipFinalSnapshot: true,
    // defect: redshift-cluster-configuration-check (no aws.redshift.Logging: no audit log)
    tags: tags,
});

const notebookRole = new aws.iam.Role("notebook", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "sagemaker.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
    tags: tags,
});
new aws.sagemaker.NotebookInstance("research-notebook", {
    instanceType: "ml.t3.medium",
    roleArn: notebookRole.arn,
    // defect: sagemaker-notebook-no-direct-internet-access (directInternetAccess unset: Enabled)
    // defect: sagemaker-notebook-instance-kms-key-configured (no kmsKeyId)
    tags: tags,
});
new aws.sagemaker.EndpointConfiguration("triage-endpoint", {
    productionVariants: [
        { variantName: "primary", modelName: `${prefix}-triage`, instanceType: "ml.m5.xlarge", initialInstanceCount: 1 },
    ],
    // defect: sagemaker-endpoint-configuration-kms-key-configured (no kmsKeyArn; ml.m5 has no local NVMe)
    tags: tags,
});

new aws.dms.ReplicationInstance("legacy-migration", {
    replicationInstanceId: `${prefix}-legacy-migration`,
    replicationInstanceClass: "dms.t3.medium",
    allocatedStorage: 50,
    publiclyAccessible: true, // defect: dms-replication-not-public (the instance reading PHI is internet-facing)
    tags: tags,
});

const buildRole = new aws.iam.Role("portal-build", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "codebuild.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
    tags: tags,
});
new aws.codebuild.Project("portal-build", {
    name: `${prefix}-portal-build`,
    serviceRole: buildRole.arn,
    artifacts: { type: "NO_ARTIFACTS" },
    environment: {
        computeType: "BUILD_GENERAL1_SMALL",
        image: "aws/codebuild/standard:7.0",
        type: "LINUX_CONTAINER",
        environmentVariables: [
            {
                name: "AWS_SECRET_ACCESS_KEY", // defect: codebuild-project-envvar-awscred-check (a plaintext key)
                value: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            },
        ],
    },
    source: {
        type: "GITHUB",
        // defect: codebuild-project-source-repo-url-check (a token in the repository URL)
        location: "https://ci-bot:ghp_EXAMPLEexampleEXAMPLE0000@github.com/example-org/portal.git",
    },
    tags: tags,
});

new aws.sns.Topic("ops-alerts", { tags: tags }); // defect: sns-encrypted-kms (no kmsMasterKeyId)

new aws.ssm.Document("patch-runbook", {
    name: `${prefix}-patch-runbook`,
    documentType: "Command",
    content: JSON.stringify({ schemaVersion: "2.2", description: "Patch", mainSteps: [] }),
    permissions: { type: "Share", account_ids: "All" }, // defect: ssm-document-not-public (shared with everyone)
    tags: tags,
});
