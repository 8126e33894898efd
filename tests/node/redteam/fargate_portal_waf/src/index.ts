import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";
import { PortalNetwork } from "./network";

const config = new pulumi.Config();
const domainName = config.require("domainName");
const image = config.require("image");
const desiredCount = config.getNumber("desiredCount") ?? 2;
const adminCidr = config.get("adminCidr") ?? "10.0.0.0/8";
const tags = { Project: "patient-portal", Compliance: "HIPAA", ManagedBy: "pulumi" };

// Every log group and secret keeps a deletion guard; stamped on by a stack transformation.
pulumi.runtime.registerStackTransformation((args) => {
    if (args.type === "aws:secretsmanager/secret:Secret") {
        return { props: { ...args.props, recoveryWindowInDays: 30 }, opts: pulumi.mergeOptions(args.opts, { protect: true }) };
    }
    return undefined;
});

const caller = aws.getCallerIdentityOutput();
const region = aws.getRegionOutput();
const network = new PortalNetwork("portal", { cidr: "10.80.0.0/16", azCount: 2, tags });

const key = new aws.kms.Key("portal-key", {
    description: "portal secrets and logs",
    enableKeyRotation: true,
    policy: pulumi.all([caller.accountId, region.region]).apply(([account, name]) => JSON.stringify({
        Version: "2012-10-17",
        Statement: [
            { Sid: "Root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: "kms:*", Resource: "*" },
            { Sid: "Logs", Effect: "Allow", Principal: { Service: `logs.${name}.amazonaws.com` },
              Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"], Resource: "*" },
        ],
    })),
    tags,
});

// ---- security groups: ALB rules as standalone resources
const albSg = new aws.ec2.SecurityGroup("portal-alb-sg", { vpcId: network.vpc.id, description: "portal ALB", tags });
new aws.vpc.SecurityGroupIngressRule("portal-alb-https", {
    securityGroupId: albSg.id, cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 443, toPort: 443,
});
new aws.vpc.SecurityGroupIngressRule("portal-alb-http", {
    securityGroupId: albSg.id, cidrIpv4: "0.0.0.0/0", ipProtocol: "tcp", fromPort: 80, toPort: 80,
});
new aws.vpc.SecurityGroupEgressRule("portal-alb-egress", {
    securityGroupId: albSg.id, cidrIpv4: "10.80.0.0/16", ipProtocol: "tcp", fromPort: 8080, toPort: 8080,
});
const taskSg = new aws.ec2.SecurityGroup("portal-task-sg", {
    vpcId: network.vpc.id,
    description: "portal tasks",
    ingress: [{ protocol: "tcp", fromPort: 8080, toPort: 8080, securityGroups: [albSg.id] }],
    egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    tags,
});
// defect: security-group-no-public-data-ports (SSH open to the internet via the adminCidr default in Pulumi.dev.yaml)
// defect: vpc-sg-open-only-to-authorized-ports (port 22 is not in the internet allow-list)
new aws.ec2.SecurityGroup("portal-admin-sg", {
    vpcId: network.vpc.id,
    description: "break-glass admin access",
    ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: [adminCidr] }],
    tags,
});

// ---- ALB, certificate, WAF
const albLogs = new aws.s3.Bucket("portal-alb-logs", { forceDestroy: false, tags });
new aws.s3.BucketServerSideEncryptionConfiguration("portal-alb-logs-sse", {
    bucket: albLogs.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
});
new aws.s3.BucketPublicAccessBlock("portal-alb-logs-pab", {
    bucket: albLogs.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true,
});
new aws.s3.BucketVersioning("portal-alb-logs-versioning", { bucket: albLogs.id, versioningConfiguration: { status: "Enabled" } });
new aws.s3.BucketLifecycleConfiguration("portal-alb-logs-lifecycle", {
    bucket: albLogs.id,
    rules: [{ id: "age-out", status: "Enabled", filter: { prefix: "" }, expiration: { days: 400 }, noncurrentVersionExpiration: { noncurrentDays: 30 } }],
});
new aws.s3.BucketNotification("portal-alb-logs-events", { bucket: albLogs.id, eventbridge: true });
const albLogsPolicy = new aws.s3.BucketPolicy("portal-alb-logs-policy", {
    bucket: albLogs.id,
    policy: pulumi.interpolate`{
  "Version": "2012-10-17",
  "Statement": [
    {"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
     "Resource": ["${albLogs.arn}", "${albLogs.arn}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}},
    {"Sid": "ElbLogDelivery", "Effect": "Allow", "Principal": {"Service": "logdelivery.elasticloadbalancing.amazonaws.com"},
     "Action": "s3:PutObject", "Resource": "${albLogs.arn}/alb/AWSLogs/${caller.accountId}/*"}
  ]
}`,
});

const alb = new aws.lb.LoadBalancer("portal-alb", {
    loadBalancerType: "application",
    subnets: network.publicSubnetIds,
    securityGroups: [albSg.id],
    dropInvalidHeaderFields: true,
    enableDeletionProtection: true,
    accessLogs: { bucket: albLogs.bucket, prefix: "alb", enabled: true },
    tags,
}, { dependsOn: [albLogsPolicy] });
const cert = new aws.acm.Certificate("portal-cert", { domainName, validationMethod: "DNS", tags });
const certValidation = new aws.acm.CertificateValidation("portal-cert-validation", { certificateArn: cert.arn });
const tg = new aws.lb.TargetGroup("portal-tg", {
    port: 8080, protocol: "HTTP", targetType: "ip", vpcId: network.vpc.id,
    healthCheck: { path: "/healthz", matcher: "200" },
    tags,
});
const https = new aws.lb.Listener("portal-https", {
    loadBalancerArn: alb.arn,
    port: 443,
    protocol: "HTTPS",
    sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
    certificateArn: certValidation.certificateArn,
    defaultActions: [{ type: "forward", targetGroupArn: tg.arn }],
});
// defect: alb-http-redirects-to-https (port 80 forwards to the app instead of redirecting)
new aws.lb.Listener("portal-http", {
    loadBalancerArn: alb.arn,
    port: 80,
    protocol: "HTTP",
    defaultActions: [{ type: "forward", targetGroupArn: tg.arn }],
});

// defect: wafv2-logging-enabled (no WebAclLoggingConfiguration for this ACL)
const acl = new aws.wafv2.WebAcl("portal-waf", {
    scope: "REGIONAL",
    defaultAction: { allow: {} },
    rules: [{
        name: "common", priority: 0, overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { name: "AWSManagedRulesCommonRuleSet", vendorName: "AWS" } },
        visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "common", sampledRequestsEnabled: true },
    }],
    visibilityConfig: { cloudwatchMetricsEnabled: true, metricName: "portal-waf", sampledRequestsEnabled: true },
    tags,
});
new aws.wafv2.WebAclAssociation("portal-waf-assoc", { resourceArn: alb.arn, webAclArn: acl.arn });

// ---- ECS
const dbSecret = new aws.secretsmanager.Secret("portal-db-secret", {
    kmsKeyId: key.arn,
    tags: { ...tags, "hipaa-guard:exempt": "secretsmanager-rotation-enabled-check: rotated by the DBA runbook until 2027-03-31" },
});
const logGroup = new aws.cloudwatch.LogGroup("portal-logs", { retentionInDays: 731, kmsKeyId: key.arn, tags });
const executionRole = new aws.iam.Role("portal-exec-role", {
    assumeRolePolicy: aws.iam.getPolicyDocumentOutput({
        statements: [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ecs-tasks.amazonaws.com"] }] }],
    }).json,
    tags,
});
new aws.iam.RolePolicyAttachment("portal-exec-managed", {
    role: executionRole.name, policyArn: aws.iam.ManagedPolicy.AmazonECSTaskExecutionRolePolicy,
});
const readSecrets = new aws.iam.Policy("portal-exec-secrets", {
    policy: aws.iam.getPolicyDocumentOutput({
        statements: [
            { actions: ["secretsmanager:GetSecretValue"], resources: [dbSecret.arn] },
            { actions: ["kms:Decrypt"], resources: [key.arn] },
        ],
    }).json,
});
new aws.iam.RolePolicyAttachment("portal-exec-secrets", { role: executionRole.name, policyArn: readSecrets.arn });

const cluster = new aws.ecs.Cluster("portal-cluster", { settings: [{ name: "containerInsights", value: "enabled" }], tags });
const taskDef = new aws.ecs.TaskDefinition("portal-task", {
    family: "patient-portal",
    cpu: "512",
    memory: "1024",
    networkMode: "awsvpc",
    requiresCompatibilities: ["FARGATE"],
    executionRoleArn: executionRole.arn,
    containerDefinitions: pulumi.all([logGroup.name, dbSecret.arn, region.region]).apply(([group, secretArn, regionName]) =>
        JSON.stringify([{
            name: "portal",
            image,
            essential: true,
            readonlyRootFilesystem: true,
            portMappings: [{ containerPort: 8080, protocol: "tcp" }],
            environment: [
                { name: "NODE_ENV", value: "production" },
                // defect: ecs-no-plaintext-secrets (a credential written into the environment)
                { name: "SMTP_PASSWORD", value: "example-only-not-a-real-password" },
            ],
            secrets: [{ name: "DATABASE_URL", valueFrom: secretArn }],
            logConfiguration: {
                logDriver: "awslogs",
                options: { "awslogs-group": group, "awslogs-region": regionName, "awslogs-stream-prefix": "portal" },
            },
        }])),
    tags,
});
new aws.ecs.Service("portal-service", {
    cluster: cluster.arn,
    taskDefinition: taskDef.arn,
    desiredCount,
    launchType: "FARGATE",
    networkConfiguration: { subnets: network.privateSubnetIds, securityGroups: [taskSg.id], assignPublicIp: false },
    loadBalancers: [{ targetGroupArn: tg.arn, containerName: "portal", containerPort: 8080 }],
    tags,
}, { dependsOn: [https], ignoreChanges: ["desiredCount"] });

export const url = pulumi.interpolate`https://${domainName}`;
export const albDns = alb.dnsName;
