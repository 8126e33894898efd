"use strict";
// An exception in an apply over an output no resource produced (a validation of a config value): reported
// with its line; the run script alone would spin formatting it and never exit.
const pulumi = require("@pulumi/pulumi");
const aws = require("@pulumi/aws");

const prefix = new pulumi.Config().require("bucketPrefix");
pulumi.output(prefix).apply((value) => {
    if (value !== value.toLowerCase()) {
        throw new Error(`bucket prefix ${value} must be lower-case`);
    }
});
new aws.s3.Bucket("audit", { bucketPrefix: prefix.toLowerCase() });
