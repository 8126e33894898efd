import * as aws from "@pulumi/aws";

// retentionInDays is a number: a string is a compile error, reported at this file's line 6.
const lg = new aws.cloudwatch.LogGroup("audit", {
    retentionInDays: 365,
    name: 42,
});
export const arn = lg.arn;
