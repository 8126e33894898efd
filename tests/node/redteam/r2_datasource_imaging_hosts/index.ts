/**
 * imaging-hosts: DICOM processing workers for the radiology archive.
 * The VPC, private subnets, AMI, PHI key and host role already exist; they are looked up, not created.
 */
import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

const config = new pulumi.Config();
const instanceType = config.get("instanceType") ?? "m6i.large";
const workerCount = config.getNumber("workerCount") ?? 2;
const tags = { Service: "radiology-imaging", DataClassification: "PHI", Compliance: "HIPAA" };

const region = aws.getRegionOutput().region;
const zones = aws.getAvailabilityZonesOutput({ state: "available" });

// ---- existing infrastructure, found by lookups
const vpc = aws.ec2.getVpcOutput({ tags: { Name: "imaging-prod" } });
const privateSubnets = aws.ec2.getSubnetsOutput({
    filters: [
        { name: "vpc-id", values: [vpc.id] },
        { name: "tag:Tier", values: ["private"] },
    ],
});
const ami = aws.ec2.getAmiOutput({
    mostRecent: true,
    owners: ["amazon"],
    filters: [
        { name: "name", values: ["al2023-ami-2023.*-x86_64"] },
        { name: "virtualization-type", values: ["hvm"] },
    ],
});
const s3PrefixList = aws.ec2.getPrefixListOutput({ name: pulumi.interpolate`com.amazonaws.${region}.s3` });
const phiKey = aws.kms.getAliasOutput({ name: "alias/imaging-phi" });
const hostRole = aws.iam.getRoleOutput({ name: "imaging-host-role" });

const hostProfile = new aws.iam.InstanceProfile("imaging-host-profile", { role: hostRole.name, tags });

// ---- security groups
const workerSg = new aws.ec2.SecurityGroup("imaging-worker-sg", {
    vpcId: vpc.id,
    description: "DICOM workers: DICOM-TLS from inside the VPC, S3 over the gateway endpoint",
    ingress: [{ protocol: "tcp", fromPort: 2762, toPort: 2762, cidrBlocks: [vpc.cidrBlock], description: "DICOM TLS" }],
    egress: [
        { protocol: "tcp", fromPort: 443, toPort: 443, prefixListIds: [s3PrefixList.id], description: "S3 gateway endpoint" },
        { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [vpc.cidrBlock], description: "Interface endpoints" },
    ],
    tags,
});
// defect: security-group-no-public-data-ports (SSH open to the internet for the vendor's support engineers)
// defect: vpc-sg-open-only-to-authorized-ports (port 22 from 0.0.0.0/0 is outside the 80/443 allow-list)
const supportSg = new aws.ec2.SecurityGroup("imaging-support-sg", {
    vpcId: vpc.id,
    description: "Vendor support access",
    ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"], description: "Vendor SSH" }],
    tags,
});

// ---- logs, encrypted with the existing PHI key
new aws.cloudwatch.LogGroup("imaging-host-logs", {
    name: "/imaging/hosts",
    retentionInDays: 365,
    kmsKeyId: phiKey.targetKeyArn,
    tags,
});

// ---- workers: one per private subnet, created once the lookup answers
const workerIds = privateSubnets.ids.apply((ids) => {
    const created: pulumi.Output<string>[] = [];
    for (const [index, subnetId] of ids.slice(0, workerCount).entries()) {
        const worker = new aws.ec2.Instance(`imaging-worker-${index + 1}`, {
            ami: ami.id,
            instanceType: instanceType,
            subnetId: subnetId,
            vpcSecurityGroupIds: [workerSg.id],
            iamInstanceProfile: hostProfile.name,
            associatePublicIpAddress: false,
            metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
            rootBlockDevice: { encrypted: true, kmsKeyId: phiKey.targetKeyArn, volumeSize: 100, volumeType: "gp3" },
            // defect: encrypted-volumes (the DICOM cache data device of every worker omits `encrypted`)
            ebsBlockDevices: [{ deviceName: "/dev/sdf", volumeSize: 200, volumeType: "gp3" }],
            monitoring: true,
            tags: { ...tags, Name: `imaging-worker-${index + 1}` },
        });
        created.push(worker.id);
    }
    return pulumi.all(created);
});

// ---- the DICOM gateway (modality-facing), on the first private subnet
const gateway = new aws.ec2.Instance("imaging-dicom-gateway", {
    ami: ami.id,
    instanceType: "c6i.large",
    subnetId: privateSubnets.ids[0],
    vpcSecurityGroupIds: [workerSg.id, supportSg.id],
    iamInstanceProfile: hostProfile.name,
    associatePublicIpAddress: false,
    // defect: ec2-imdsv2-check (IMDSv1 left enabled for a legacy modality agent)
    metadataOptions: { httpTokens: "optional", httpEndpoint: "enabled" },
    rootBlockDevice: { encrypted: true, kmsKeyId: phiKey.targetKeyArn, volumeSize: 50 },
    tags: { ...tags, Name: "imaging-dicom-gateway" },
});

// ---- scratch volume for study reassembly
// defect: encrypted-volumes (scratch volume holds reassembled studies but is left unencrypted)
const scratch = new aws.ebs.Volume("imaging-scratch", {
    availabilityZone: zones.names[0],
    size: 500,
    type: "gp3",
    encrypted: false,
    tags,
});
new aws.ec2.VolumeAttachment("imaging-scratch-attach", {
    deviceName: "/dev/sdf",
    volumeId: scratch.id,
    instanceId: gateway.id,
});

export const workers = workerIds;
export const gatewayPrivateIp = gateway.privateIp;
