import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

type CacheConfig = { nodeType: string; replicas: number; snapshotDays: number };

export default async function main() {
    const config = new pulumi.Config();
    const cacheCfg = config.getObject<CacheConfig>("cache") ?? { nodeType: "cache.t4g.medium", replicas: 2, snapshotDays: 15 };
    const authToken = config.requireSecret("redisAuthToken");
    const dbPassword = config.requireSecret("dbPassword");
    const backupTag = config.get("backupTag") ?? "hipaa-daily";
    const baseTags = { app: "scheduling", compliance: "hipaa" };
    const backedUp = { ...baseTags, backup: backupTag };

    const { names: zones } = await aws.getAvailabilityZones({ state: "available" });
    const { accountId } = await aws.getCallerIdentity();
    const { region } = await aws.getRegion();

    const vpc = new aws.ec2.Vpc("sched-vpc", { cidrBlock: "172.20.0.0/16", enableDnsHostnames: true, tags: baseTags });
    new aws.ec2.DefaultSecurityGroup("sched-default-sg", { vpcId: vpc.id });
    const subnetIds = zones.slice(0, 2).map((zone, index) =>
        new aws.ec2.Subnet(`sched-data-${index}`, {
            vpcId: vpc.id, cidrBlock: `172.20.${index + 10}.0/24`, availabilityZone: zone, tags: baseTags,
        }).id);

    const key = new aws.kms.Key("sched-key", {
        enableKeyRotation: true,
        description: "scheduling data tier",
        policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                { Sid: "Admin", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
                { Sid: "Logs", Effect: "Allow", Principal: { Service: `logs.${region}.amazonaws.com` },
                  Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"], Resource: "*" },
            ],
        }),
        tags: baseTags,
    });

    const dataSg = new aws.ec2.SecurityGroup("sched-data-sg", {
        vpcId: vpc.id,
        description: "redis and postgres from the VPC",
        ingress: [
            { protocol: "tcp", fromPort: 6379, toPort: 6379, cidrBlocks: ["172.20.0.0/16"] },
            { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["172.20.0.0/16"] },
        ],
        tags: baseTags,
    });

    // ---- Redis: appointment holds and session state
    const cacheSubnets = new aws.elasticache.SubnetGroup("sched-cache-subnets", { subnetIds });
    const slowLog = new aws.cloudwatch.LogGroup("sched-redis-slowlog", { retentionInDays: 90, kmsKeyId: key.arn, tags: baseTags });
    // defect: elasticache-redis-cluster-automatic-backup-check (snapshots kept 5 days, from Pulumi.dev.yaml)
    const redis = new aws.elasticache.ReplicationGroup("sched-redis", {
        description: "appointment holds",
        engine: "redis",
        engineVersion: "7.1",
        nodeType: cacheCfg.nodeType,
        numCacheClusters: cacheCfg.replicas,
        automaticFailoverEnabled: true,
        multiAzEnabled: true,
        subnetGroupName: cacheSubnets.name,
        securityGroupIds: [dataSg.id],
        atRestEncryptionEnabled: true,
        kmsKeyId: key.arn,
        transitEncryptionEnabled: true,
        authToken,
        snapshotRetentionLimit: cacheCfg.snapshotDays,
        snapshotWindow: "04:00-05:00",
        logDeliveryConfigurations: [{
            destination: slowLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log",
        }],
        tags: baseTags,
    }, { ignoreChanges: ["authToken"] });

    // ---- PostgreSQL: appointments
    const params = new aws.rds.ParameterGroup("sched-pg16", {
        family: "postgres16",
        parameters: [{ name: "log_connections", value: "1" }],
    });
    const dbSubnets = new aws.rds.SubnetGroup("sched-db-subnets", { subnetIds });
    const monitoring = new aws.iam.Role("sched-rds-monitoring", {
        assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "monitoring.rds.amazonaws.com" }),
        managedPolicyArns: [aws.iam.ManagedPolicy.AmazonRDSEnhancedMonitoringRole],
    });
    // defect: rds-master-username-valid ("admin" is reserved by RDS for PostgreSQL)
    const db = new aws.rds.Instance("sched-db", {
        engine: "postgres",
        engineVersion: "16.4",
        instanceClass: "db.m6g.large",
        allocatedStorage: 100,
        storageType: "gp3",
        storageEncrypted: true,
        kmsKeyId: key.arn,
        username: "admin",
        password: dbPassword,
        dbSubnetGroupName: dbSubnets.name,
        vpcSecurityGroupIds: [dataSg.id],
        parameterGroupName: params.name,
        multiAz: true,
        backupRetentionPeriod: 35,
        deletionProtection: true,
        finalSnapshotIdentifier: "sched-db-final",
        enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
        monitoringInterval: 60,
        monitoringRoleArn: monitoring.arn,
        autoMinorVersionUpgrade: true,
        tags: backedUp,
    });

    const waitlist = new aws.dynamodb.Table("sched-waitlist", {
        billingMode: "PAY_PER_REQUEST",
        hashKey: "clinicId",
        rangeKey: "slot",
        attributes: [{ name: "clinicId", type: "S" }, { name: "slot", type: "S" }],
        pointInTimeRecovery: { enabled: true },
        serverSideEncryption: { enabled: true, kmsKeyArn: key.arn },
        tags: backedUp,
    });

    // ---- AWS Backup: everything tagged backup=<backupTag>
    const vault = new aws.backup.Vault("sched-vault", { kmsKeyArn: key.arn, tags: baseTags });
    new aws.backup.VaultLockConfiguration("sched-vault-lock", { backupVaultName: vault.name, minRetentionDays: 35 });
    const daily = new aws.backup.Plan("sched-daily", {
        rules: [{ ruleName: "daily-35", targetVaultName: vault.name, schedule: "cron(0 6 * * ? *)", lifecycle: { deleteAfter: 35 } }],
    });
    // defect: backup-plan-min-frequency-and-min-retention-check (weekly, kept 30 days)
    const archive = new aws.backup.Plan("sched-weekly-archive", {
        rules: [{ ruleName: "weekly", targetVaultName: vault.name, schedule: "cron(0 7 ? * SUN *)", lifecycle: { deleteAfter: 30 } }],
    });
    const backupRole = new aws.iam.Role("sched-backup-role", {
        assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "backup.amazonaws.com" }),
        managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"],
    });
    for (const [name, plan] of [["daily", daily], ["archive", archive]] as const) {
        new aws.backup.Selection(`sched-${name}-by-tag`, {
            planId: plan.id,
            iamRoleArn: backupRole.arn,
            selectionTags: [{ type: "STRINGEQUALS", key: "backup", value: backupTag }],
        });
    }

    return {
        redisEndpoint: redis.primaryEndpointAddress,
        dbEndpoint: db.address,
        waitlistTable: waitlist.name,
        zones,
    };
}
