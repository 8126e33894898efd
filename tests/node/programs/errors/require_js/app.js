"use strict";
const aws = require("@pulumi/aws");
const { retentionDays } = require("./config/retention");

new aws.cloudwatch.LogGroup("audit", { retentionInDays: retentionDays });
