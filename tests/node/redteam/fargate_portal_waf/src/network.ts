import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

export interface PortalNetworkArgs {
    cidr: string;
    azCount: number;
    tags: Record<string, string>;
}

export class PortalNetwork extends pulumi.ComponentResource {
    public readonly vpc: aws.ec2.Vpc;
    public readonly publicSubnetIds: pulumi.Output<string>[] = [];
    public readonly privateSubnetIds: pulumi.Output<string>[] = [];

    constructor(name: string, args: PortalNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
        super("portal:network:PortalNetwork", name, {}, opts);
        const zones = aws.getAvailabilityZonesOutput({ state: "available" }, { parent: this });
        this.vpc = new aws.ec2.Vpc(`${name}-vpc`, { cidrBlock: args.cidr, enableDnsHostnames: true, tags: args.tags }, { parent: this });
        new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: this.vpc.id }, { parent: this });
        const igw = new aws.ec2.InternetGateway(`${name}-igw`, {
            vpcId: this.vpc.id,
            tags: { ...args.tags, "hipaa-guard:exempt": "internet-gateway-authorized-vpc-only: VPC of the internet-facing portal ALB" },
        }, { parent: this });
        const publicRt = new aws.ec2.RouteTable(`${name}-public-rt`, {
            vpcId: this.vpc.id,
            tags: { ...args.tags, Tier: "public" }, // authorized in policy-config.json (authorizedRouteTables)
        }, { parent: this });
        new aws.ec2.Route(`${name}-public-default`, {
            routeTableId: publicRt.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id,
        }, { parent: this });
        for (let i = 0; i < args.azCount; i++) {
            const pub = new aws.ec2.Subnet(`${name}-public-${i}`, {
                vpcId: this.vpc.id,
                cidrBlock: `10.80.${i}.0/24`,
                availabilityZone: zones.names[i],
                tags: { ...args.tags, Tier: "public" },
            }, { parent: this });
            new aws.ec2.RouteTableAssociation(`${name}-public-rta-${i}`, { subnetId: pub.id, routeTableId: publicRt.id }, { parent: this });
            const priv = new aws.ec2.Subnet(`${name}-private-${i}`, {
                vpcId: this.vpc.id,
                cidrBlock: `10.80.${100 + i}.0/24`,
                availabilityZone: zones.names[i],
                tags: { ...args.tags, Tier: "private" },
            }, { parent: this });
            this.publicSubnetIds.push(pub.id);
            this.privateSubnetIds.push(priv.id);
        }
        const eip = new aws.ec2.Eip(`${name}-nat-eip`, { domain: "vpc" }, { parent: this, dependsOn: [igw] });
        const nat = new aws.ec2.NatGateway(`${name}-nat`, { allocationId: eip.id, subnetId: this.publicSubnetIds[0] }, { parent: this });
        const privateRt = new aws.ec2.RouteTable(`${name}-private-rt`, {
            vpcId: this.vpc.id,
            routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
        }, { parent: this });
        this.privateSubnetIds.forEach((id, i) =>
            new aws.ec2.RouteTableAssociation(`${name}-private-rta-${i}`, { subnetId: id, routeTableId: privateRt.id }, { parent: this }));
        this.registerOutputs({ vpcId: this.vpc.id });
    }
}
