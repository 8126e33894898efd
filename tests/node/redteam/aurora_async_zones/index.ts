import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

interface ClusterSettings {
    instanceClass: string;
    readers: number;
    engineVersion: string;
}

export = async () => {
    const config = new pulumi.Config();
    const dbPassword = config.requireSecret("dbPassword");
    const backupRetentionDays = config.getNumber("backupRetentionDays") ?? 35;
    const vpcCidr = config.get("vpcCidr") ?? "10.60.0.0/16";
    const settings = config.requireObject<ClusterSettings>("cluster");
    const stack = pulumi.getStack();
    const tags = { Application: "clinical-records", Stack: stack, Compliance: "HIPAA" };

    const azs = await aws.getAvailabilityZones({ state: "available" });
    const current = await aws.getCallerIdentity({});
    const region = await aws.getRegion({});
    const zoneNames = azs.names.slice(0, 3);

    const vpc = new aws.ec2.Vpc("records-vpc", { cidrBlock: vpcCidr, enableDnsHostnames: true, enableDnsSupport: true, tags });
    new aws.ec2.DefaultSecurityGroup("records-default-sg", { vpcId: vpc.id, tags });
    const subnets: aws.ec2.Subnet[] = [];
    for (let i = 0; i < zoneNames.length; i++) {
        subnets.push(new aws.ec2.Subnet(`records-db-${zoneNames[i]}`, {
            vpcId: vpc.id,
            cidrBlock: `10.60.${i * 16}.0/20`,
            availabilityZone: zoneNames[i],
            tags: { ...tags, Tier: "database" },
        }));
    }

    const key = new aws.kms.Key("records-cmk", {
        description: "Aurora, logs and backups of clinical records",
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                { Sid: "Root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${current.accountId}:root` }, Action: "kms:*", Resource: "*" },
                {
                    Sid: "Logs", Effect: "Allow", Principal: { Service: `logs.${region.region}.amazonaws.com` },
                    Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"], Resource: "*",
                },
            ],
        }),
        tags,
    });
    // defect: kms-key-rotation (the export key never rotates)
    const exportKey = new aws.kms.Key("records-export-cmk", { description: "snapshot exports", enableKeyRotation: false, tags });

    const flowLogGroup = new aws.cloudwatch.LogGroup("records-flow-logs", { retentionInDays: 365, kmsKeyId: key.arn, tags });
    const flowRole = new aws.iam.Role("records-flow-role", {
        assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" }],
        }),
        tags,
    });
    const flowPolicy = new aws.iam.Policy("records-flow-policy", {
        policy: pulumi.jsonStringify({
            Version: "2012-10-17",
            Statement: [{
                Effect: "Allow",
                Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                Resource: pulumi.interpolate`${flowLogGroup.arn}:*`,
            }],
        }),
    });
    new aws.iam.RolePolicyAttachment("records-flow-attach", { role: flowRole.name, policyArn: flowPolicy.arn });
    new aws.ec2.FlowLog("records-flow", {
        vpcId: vpc.id, trafficType: "ALL", logDestination: flowLogGroup.arn, iamRoleArn: flowRole.arn, tags,
    });

    const dbSg = new aws.ec2.SecurityGroup("records-db-sg", {
        vpcId: vpc.id,
        description: "Aurora from inside the VPC",
        ingress: [{ protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: [vpcCidr], description: "PostgreSQL" }],
        egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: [vpcCidr] }],
        tags,
    });
    const subnetGroup = new aws.rds.SubnetGroup("records-db-subnets", { subnetIds: subnets.map((s) => s.id), tags });
    const clusterParams = new aws.rds.ClusterParameterGroup("records-cluster-params", {
        family: "aurora-postgresql16",
        parameters: [
            { name: "rds.force_ssl", value: "1", applyMethod: "pending-reboot" },
            { name: "log_connections", value: "1", applyMethod: "immediate" },
        ],
        tags,
    });
    // Instance-level parameters only: rds.force_ssl lives in the cluster parameter group for Aurora.
    const instanceParams = new aws.rds.ParameterGroup("records-instance-params", {
        family: "aurora-postgresql16",
        parameters: [{ name: "log_min_duration_statement", value: "2000", applyMethod: "immediate" }],
        tags,
    });
    const monitoringRole = new aws.iam.Role("records-monitoring-role", {
        assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "monitoring.rds.amazonaws.com" }),
        managedPolicyArns: [aws.iam.ManagedPolicy.AmazonRDSEnhancedMonitoringRole],
        tags,
    });

    const cluster = new aws.rds.Cluster("records-aurora", {
        engine: aws.rds.EngineType.AuroraPostgresql,
        engineVersion: settings.engineVersion,
        databaseName: "records",
        masterUsername: "records_admin",
        masterPassword: dbPassword,
        dbSubnetGroupName: subnetGroup.name,
        dbClusterParameterGroupName: clusterParams.name,
        vpcSecurityGroupIds: [dbSg.id],
        storageEncrypted: true,
        kmsKeyId: key.arn,
        // defect: rds-backup-retention (3 days from Pulumi.dev.yaml, below the default minimum)
        backupRetentionPeriod: backupRetentionDays,
        preferredBackupWindow: "02:00-03:00",
        enabledCloudwatchLogsExports: ["postgresql"],
        deletionProtection: true,
        skipFinalSnapshot: false,
        finalSnapshotIdentifier: `records-aurora-${stack}-final`,
        copyTagsToSnapshot: true,
        iamDatabaseAuthenticationEnabled: true,
        tags,
    }, { protect: true, ignoreChanges: ["masterPassword"] });

    const members = ["writer", ...Array.from({ length: settings.readers }, (_, i) => `reader-${i + 1}`)];
    members.forEach((role, i) => {
        new aws.rds.ClusterInstance(`records-aurora-${role}`, {
            clusterIdentifier: cluster.id,
            engine: aws.rds.EngineType.AuroraPostgresql,
            engineVersion: cluster.engineVersion,
            instanceClass: settings.instanceClass,
            availabilityZone: zoneNames[i % zoneNames.length],
            dbParameterGroupName: instanceParams.name,
            monitoringInterval: 30,
            monitoringRoleArn: monitoringRole.arn,
            performanceInsightsEnabled: true,
            performanceInsightsKmsKeyId: key.arn,
            autoMinorVersionUpgrade: true,
            tags,
        });
    });
    // defect: rds-not-publicly-accessible (an analytics reader the BI vendor reaches directly)
    new aws.rds.ClusterInstance("records-aurora-analytics", {
        clusterIdentifier: cluster.id,
        engine: aws.rds.EngineType.AuroraPostgresql,
        instanceClass: settings.instanceClass,
        publiclyAccessible: true,
        monitoringInterval: 30,
        monitoringRoleArn: monitoringRole.arn,
        autoMinorVersionUpgrade: true,
        tags,
    });

    const vault = new aws.backup.Vault("records-vault", { kmsKeyArn: key.arn, tags });
    new aws.backup.VaultLockConfiguration("records-vault-lock", { backupVaultName: vault.name, minRetentionDays: 35, maxRetentionDays: 400 });
    const plan = new aws.backup.Plan("records-plan", {
        rules: [{
            ruleName: "daily",
            targetVaultName: vault.name,
            schedule: "cron(0 3 * * ? *)",
            lifecycle: { deleteAfter: 35 },
            copyActions: [],
        }],
        tags,
    });
    const backupRole = new aws.iam.Role("records-backup-role", {
        assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "backup.amazonaws.com" }),
        managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"],
        tags,
    });
    new aws.backup.Selection("records-selection", { planId: plan.id, iamRoleArn: backupRole.arn, resources: [cluster.arn] });

    return {
        clusterEndpoint: cluster.endpoint,
        readerEndpoint: cluster.readerEndpoint,
        exportKeyArn: exportKey.arn,
        zones: zoneNames,
    };
};
