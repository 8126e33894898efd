"use strict";
const pulumi = require("@pulumi/pulumi");
const aws = require("@pulumi/aws");

// The whole credential object was stored with:
//   pulumi config set --secret dbCredentials '{"username":"auditor","password":"..."}'
module.exports = async () => {
    const config = new pulumi.Config();
    const dbCredentials = config.requireSecretObject("dbCredentials");
    const searchInstanceType = config.get("searchInstanceType") || "t3.medium.search";
    const streamShards = config.getNumber("streamShards") || 1;
    const tags = { domain: "phi-audit", compliance: "hipaa" };

    const [identity, region, partition, zones] = await Promise.all([
        aws.getCallerIdentity(), aws.getRegion(), aws.getPartition(), aws.getAvailabilityZones({ state: "available" }),
    ]);
    const arnPrefix = `arn:${partition.partition}`;

    const key = new aws.kms.Key("audit-key", {
        description: "PHI audit pipeline",
        enableKeyRotation: true,
        policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                { Sid: "Root", Effect: "Allow", Principal: { AWS: `${arnPrefix}:iam::${identity.accountId}:root` }, Action: "kms:*", Resource: "*" },
                { Sid: "Logs", Effect: "Allow", Principal: { Service: `logs.${region.region}.${partition.dnsSuffix}` },
                  Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"], Resource: "*" },
            ],
        }),
        tags,
    });

    const vpc = new aws.ec2.Vpc("audit-vpc", { cidrBlock: "10.50.0.0/16", enableDnsHostnames: true, tags });
    new aws.ec2.DefaultSecurityGroup("audit-default-sg", { vpcId: vpc.id });
    const subnets = zones.names.slice(0, 2).map((az, i) => new aws.ec2.Subnet(`audit-private-${i}`, {
        vpcId: vpc.id, cidrBlock: `10.50.${i}.0/24`, availabilityZone: az, tags,
    }));
    const searchSg = new aws.ec2.SecurityGroup("audit-search-sg", {
        vpcId: vpc.id,
        description: "OpenSearch from the VPC",
        ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.50.0.0/16"] }],
        tags,
    });

    // ---- audit events stream
    // defect: kinesis-stream-encrypted (records land unencrypted: encryptionType NONE)
    const stream = new aws.kinesis.Stream("audit-events", {
        shardCount: streamShards,
        retentionPeriod: 168,
        encryptionType: "NONE",
        tags,
    });

    // ---- search over audit events
    const searchLogs = new aws.cloudwatch.LogGroup("audit-search-logs", { retentionInDays: 0, kmsKeyId: key.arn, tags });
    new aws.cloudwatch.LogResourcePolicy("audit-search-logs-policy", {
        policyName: "audit-search-logs",
        policyDocument: searchLogs.arn.apply((arn) => JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "es.amazonaws.com" }, Action: ["logs:PutLogEvents", "logs:CreateLogStream"], Resource: `${arn}:*` }],
        })),
    });
    const search = new aws.opensearch.Domain("audit-search", {
        engineVersion: "OpenSearch_2.13",
        clusterConfig: { instanceType: searchInstanceType, instanceCount: 2, zoneAwarenessEnabled: true, zoneAwarenessConfig: { availabilityZoneCount: 2 } },
        ebsOptions: { ebsEnabled: true, volumeSize: 50, volumeType: "gp3" },
        vpcOptions: { subnetIds: subnets.map((s) => s.id), securityGroupIds: [searchSg.id] },
        encryptAtRest: { enabled: true, kmsKeyId: key.arn },
        nodeToNodeEncryption: { enabled: true },
        domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-2019-07" },
        logPublishingOptions: [
            { logType: "AUDIT_LOGS", cloudwatchLogGroupArn: searchLogs.arn },
            { logType: "ES_APPLICATION_LOGS", cloudwatchLogGroupArn: searchLogs.arn },
        ],
        advancedSecurityOptions: { enabled: true, internalUserDatabaseEnabled: false, masterUserOptions: { masterUserArn: `${arnPrefix}:iam::${identity.accountId}:role/audit-search-admin` } },
        tags,
    });

    // ---- trail: management events to CloudWatch, data events on the PHI buckets
    const trailBucketName = `phi-audit-trail-${identity.accountId}-${region.region}`;
    const trailLogs = new aws.cloudwatch.LogGroup("audit-trail-logs", { retentionInDays: 2557, kmsKeyId: key.arn, tags });
    // defect: log-group-retention (the debug group keeps events only 14 days)
    new aws.cloudwatch.LogGroup("audit-trail-debug", { retentionInDays: 14, kmsKeyId: key.arn, tags });
    const trailRole = new aws.iam.Role("audit-trail-role", {
        assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "cloudtrail.amazonaws.com" }),
        tags,
    });
    const trailPolicy = new aws.iam.Policy("audit-trail-policy", {
        policy: trailLogs.arn.apply((arn) => JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${arn}:*` }],
        })),
    });
    new aws.iam.RolePolicyAttachment("audit-trail-attach", { role: trailRole.name, policyArn: trailPolicy.arn });
    // defect: cloud-trail-encryption-enabled (the data-events trail has no kmsKeyId)
    new aws.cloudtrail.Trail("audit-data-events", {
        s3BucketName: trailBucketName,
        isMultiRegionTrail: false,
        enableLogFileValidation: true,
        cloudWatchLogsGroupArn: pulumi.interpolate`${trailLogs.arn}:*`,
        cloudWatchLogsRoleArn: trailRole.arn,
        eventSelectors: [{
            readWriteType: "All",
            includeManagementEvents: false,
            dataResources: [{ type: "AWS::S3::Object", values: [`${arnPrefix}:s3:::phi-records-${identity.accountId}/`] }],
        }],
        tags,
    });

    // ---- reporting database (MySQL), credentials from the secret config object
    const dbSg = new aws.ec2.SecurityGroup("audit-db-sg", {
        vpcId: vpc.id,
        description: "MySQL from the VPC",
        ingress: [{ protocol: "tcp", fromPort: 3306, toPort: 3306, cidrBlocks: ["10.50.0.0/16"] }],
        tags,
    });
    const params = new aws.rds.ParameterGroup("audit-db-params", {
        family: "mysql8.0",
        parameters: [{ name: "require_secure_transport", value: "1" }],
    });
    const subnetGroup = new aws.rds.SubnetGroup("audit-db-subnets", { subnetIds: subnets.map((s) => s.id) });
    const db = new aws.rds.Instance("audit-db", {
        engine: "mysql",
        engineVersion: "8.0.39",
        instanceClass: "db.m6g.large",
        allocatedStorage: 100,
        storageEncrypted: true,
        kmsKeyId: key.arn,
        username: dbCredentials.apply((c) => c.username),
        password: dbCredentials.apply((c) => c.password),
        parameterGroupName: params.name,
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: [dbSg.id],
        multiAz: true,
        backupRetentionPeriod: 35,
        deletionProtection: true,
        finalSnapshotIdentifier: "audit-db-final",
        enabledCloudwatchLogsExports: ["audit", "error", "general", "slowquery"],
        performanceInsightsEnabled: true,
        performanceInsightsKmsKeyId: key.arn,
        autoMinorVersionUpgrade: true,
        tags,
    });

    return { streamName: stream.name, searchEndpoint: search.endpoint, dbEndpoint: db.address };
};
