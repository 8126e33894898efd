import * as aws from "@pulumi/aws";
import { retention } from "./settings";

new aws.cloudwatch.LogGroup("audit", { retentionInDays: retention });
