"use strict";
// The program's own error message carries a secret: the preview reports the error, never the value.
const pulumi = require("@pulumi/pulumi");
const aws = require("@pulumi/aws");

const token = new pulumi.Config().requireSecret("apiToken");
const secret = new aws.secretsmanager.Secret("api-token", { description: "API token" });
pulumi.all([secret.arn, token]).apply(([arn, value]) => {
    if (!value.startsWith("tok_")) {
        throw new Error(`token ${value} for ${arn} does not start with tok_`);
    }
});
exports.secretArn = secret.arn;
