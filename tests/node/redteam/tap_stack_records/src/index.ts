import * as pulumi from "@pulumi/pulumi";
import { TapStack } from "./tap-stack";

const config = new pulumi.Config();
const environmentSuffix = config.get("environmentSuffix") || pulumi.getStack();
const logRetentionDays = config.getNumber("logRetentionDays") ?? 365;

const stack = new TapStack("tap-records", {
    environmentSuffix,
    logRetentionDays,
    tags: { Project: "patient-records", Owner: "platform-team", Compliance: "HIPAA" },
});

export const recordsBucket = stack.recordsBucketName;
export const recordsTable = stack.tableName;
