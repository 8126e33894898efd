/**
 * Two-tier VPC: public subnets for the load balancer and the NAT gateway, private subnets for
 * everything that touches PHI (tasks, database, cache).
 */

import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

export interface HealthcareNetworkArgs {
    cidrBlock: string;
    publicCidrs: string[];
    privateCidrs: string[];
    tags: Record<string, string>;
}

/**
 * A VPC spread over two availability zones of the stack's region.
 *
 * The zones come from `aws.getAvailabilityZones()`, never from literals, so the same program
 * deploys unchanged to any region.
 */
export class HealthcareNetwork extends pulumi.ComponentResource {
    public readonly vpc: aws.ec2.Vpc;
    public readonly vpcId: pulumi.Output<string>;
    public readonly vpcCidr: string;
    public readonly publicSubnetIds: pulumi.Output<string>[];
    public readonly privateSubnetIds: pulumi.Output<string>[];

    constructor(name: string, args: HealthcareNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("hipaa:network:HealthcareNetwork", name, {}, opts);
        const { cidrBlock, publicCidrs, privateCidrs, tags } = args;
        if (publicCidrs.length !== privateCidrs.length) {
            throw new Error("one public and one private subnet per availability zone");
        }

        const zones = aws.getAvailabilityZonesOutput({ state: "available" }).names;
        const child: pulumi.CustomResourceOptions = { parent: this };

        this.vpc = new aws.ec2.Vpc(`${name}-vpc`, {
            cidrBlock: cidrBlock,
            enableDnsSupport: true,
            enableDnsHostnames: true, // needed by the Cloud Map private namespace
            tags: { ...tags, Name: `${name}-vpc` },
        }, child);
        const igw = new aws.ec2.InternetGateway(`${name}-igw`, {
            vpcId: this.vpc.id,
            // AWS's pack authorizes no VPC by default: this one is, for the internet-facing ALB.
            tags: {
                ...tags,
                Name: `${name}-igw`,
                "hipaa-guard:exempt": "internet-gateway-authorized-vpc-only: the VPC of the internet-facing ALB",
            },
        }, child);

        const publicSubnets: aws.ec2.Subnet[] = [];
        const privateSubnets: aws.ec2.Subnet[] = [];
        publicCidrs.forEach((publicCidr, index) => {
            const zone = zones[index];
            publicSubnets.push(new aws.ec2.Subnet(`${name}-public-${index + 1}`, {
                vpcId: this.vpc.id,
                cidrBlock: publicCidr,
                availabilityZone: zone,
                // The ALB gets its own addresses; nothing launched here needs a public IP.
                mapPublicIpOnLaunch: false,
                tags: { ...tags, Name: `${name}-public-${index + 1}`, tier: "public" },
            }, child));
            privateSubnets.push(new aws.ec2.Subnet(`${name}-private-${index + 1}`, {
                vpcId: this.vpc.id,
                cidrBlock: privateCidrs[index],
                availabilityZone: zone,
                mapPublicIpOnLaunch: false,
                tags: { ...tags, Name: `${name}-private-${index + 1}`, tier: "private" },
            }, child));
        });

        // One NAT gateway keeps the example cheap; production would run one per zone.
        const natIp = new aws.ec2.Eip(`${name}-nat-ip`, {
            domain: "vpc",
            tags: { ...tags, Name: `${name}-nat-ip` },
        }, { parent: this, dependsOn: [igw] });
        const nat = new aws.ec2.NatGateway(`${name}-nat`, {
            allocationId: natIp.id,
            subnetId: publicSubnets[0].id,
            tags: { ...tags, Name: `${name}-nat` },
        }, child);

        const publicRoutes = new aws.ec2.RouteTable(`${name}-public-rt`, {
            vpcId: this.vpc.id,
            routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
            tags: {
                ...tags,
                Name: `${name}-public-rt`,
                "hipaa-guard:exempt":
                    "no-unrestricted-route-to-igw: public subnets hold only the ALB and the NAT gateway",
            },
        }, child);
        const privateRoutes = new aws.ec2.RouteTable(`${name}-private-rt`, {
            vpcId: this.vpc.id,
            // Outbound only (image pulls, AWS APIs); nothing on the internet can reach in.
            routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
            tags: { ...tags, Name: `${name}-private-rt` },
        }, child);
        publicSubnets.forEach((subnet, index) => {
            new aws.ec2.RouteTableAssociation(`${name}-public-rta-${index + 1}`, {
                subnetId: subnet.id,
                routeTableId: publicRoutes.id,
            }, child);
        });
        privateSubnets.forEach((subnet, index) => {
            new aws.ec2.RouteTableAssociation(`${name}-private-rta-${index + 1}`, {
                subnetId: subnet.id,
                routeTableId: privateRoutes.id,
            }, child);
        });

        this.vpcId = this.vpc.id;
        this.vpcCidr = cidrBlock;
        this.publicSubnetIds = publicSubnets.map(subnet => subnet.id);
        this.privateSubnetIds = privateSubnets.map(subnet => subnet.id);
        this.registerOutputs({
            vpcId: this.vpcId,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
        });
    }
}
