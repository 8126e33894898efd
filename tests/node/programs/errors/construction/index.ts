import * as aws from "@pulumi/aws";
import { subnetCidrs } from "./network";

const vpc = new aws.ec2.Vpc("net", { cidrBlock: "10.40.0.0/16" });
subnetCidrs(vpc.cidrBlock, 3);
