import * as pulumi from "@pulumi/pulumi";

// Fails when the program asks for more subnets than it planned for: the error points here, line 7.
export function subnetCidrs(block: pulumi.Output<string>, count: number): pulumi.Output<string>[] {
    const planned = ["10.40.0.0/24", "10.40.1.0/24"];
    if (count > planned.length) {
        throw new RangeError(`asked for ${count} subnets, ${planned.length} planned`);
    }
    return planned.slice(0, count).map((cidr) => block.apply(() => cidr));
}
