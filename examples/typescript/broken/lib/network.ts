// Two-tier VPC, written the way the QA reports found it: zones copied from another region and a
// subnet range that does not fit the VPC. Each deliberate defect carries a `defect:` comment naming the
// policy that must catch it.

import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

export interface HealthcareNetworkArgs {
    tags: Record<string, string>;
}

/** Public subnets for the load balancer, private subnets for data; one route table each. */
export class HealthcareNetwork extends pulumi.ComponentResource {
    public readonly vpc: aws.ec2.Vpc;
    public readonly vpcId: pulumi.Output<string>;
    public readonly vpcCidr: string;
    public readonly publicSubnetIds: pulumi.Output<string>[];
    public readonly privateSubnetIds: pulumi.Output<string>[];

    constructor(name: string, args: HealthcareNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("hipaa:network:HealthcareNetwork", name, {}, opts);
        const tags = args.tags;
        const child = { parent: this };
        const zones = aws.getAvailabilityZonesOutput({ state: "available" }).names;

        this.vpc = new aws.ec2.Vpc(
            `${name}-vpc`,
            {
                cidrBlock: "10.40.0.0/16",
                enableDnsSupport: true,
                enableDnsHostnames: true,
                tags: { ...tags, Name: `${name}-vpc` },
            },
            child,
        );
        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { vpcId: this.vpc.id, tags: tags }, child);

        const public1 = new aws.ec2.Subnet(
            `${name}-public-1`,
            {
                vpcId: this.vpc.id,
                cidrBlock: "10.40.0.0/24",
                availabilityZone: zones[0],
                tags: { ...tags, Name: `${name}-public-1` },
            },
            child,
        );
        const public2 = new aws.ec2.Subnet(
            `${name}-public-2`,
            {
                vpcId: this.vpc.id,
                cidrBlock: "10.41.1.0/24", // defect: subnet-cidrs-valid (outside the VPC's 10.40.0.0/16)
                availabilityZone: zones[1],
                tags: { ...tags, Name: `${name}-public-2` },
            },
            child,
        );
        // The stack runs in ap-southeast-1 (Pulumi.dev.yaml); these zones belong to us-east-1 (seed 004).
        const private1 = new aws.ec2.Subnet(
            `${name}-private-1`,
            {
                vpcId: this.vpc.id,
                cidrBlock: "10.40.10.0/24",
                availabilityZone: "us-east-1a", // defect: availability-zone-in-region
                tags: { ...tags, Name: `${name}-private-1` },
            },
            child,
        );
        const private2 = new aws.ec2.Subnet(
            `${name}-private-2`,
            {
                vpcId: this.vpc.id,
                cidrBlock: "10.40.11.0/24",
                availabilityZone: "us-east-1b", // defect: availability-zone-in-region
                tags: { ...tags, Name: `${name}-private-2` },
            },
            child,
        );

        const publicRoutes = new aws.ec2.RouteTable(
            `${name}-public-rt`,
            {
                vpcId: this.vpc.id,
                routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
                tags: tags,
            },
            child,
        );
        const privateRoutes = new aws.ec2.RouteTable(`${name}-private-rt`, { vpcId: this.vpc.id, tags: tags }, child);
        const associations: [string, aws.ec2.Subnet, aws.ec2.RouteTable][] = [
            ["public-1", public1, publicRoutes],
            ["public-2", public2, publicRoutes],
            ["private-1", private1, privateRoutes],
            ["private-2", private2, privateRoutes],
        ];
        for (const [label, subnet, table] of associations) {
            new aws.ec2.RouteTableAssociation(
                `${name}-${label}-rta`,
                { subnetId: subnet.id, routeTableId: table.id },
                child,
            );
        }

        this.vpcId = this.vpc.id;
        this.vpcCidr = "10.40.0.0/16";
        this.publicSubnetIds = [public1.id, public2.id];
        this.privateSubnetIds = [private1.id, private2.id];
        this.registerOutputs({ vpcId: this.vpcId });
    }
}
