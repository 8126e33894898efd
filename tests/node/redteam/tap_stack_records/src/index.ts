import * as pulumi from "@pulumi/pulumi";
import { TapStack } from "./tap-stack";

const config = new pulumi.Config();
const environmentSuffix = config.get("environmentSuffix") || pulumi.getStack();
const logRetentionDays = config.getNumber("logRetentionDays") ?? 365;

// Stamp the cost-allocation tags on every taggable resource of the stack (Pulumi's resource transforms API).
pulumi.runtime.registerResourceTransform((args) => {
    if (args.props.tags === undefined) {
        return undefined;
    }
    return {
        props: { ...args.props, tags: { ...args.props.tags, CostCenter: "clinical-records", Stack: pulumi.getStack() } },
        opts: args.opts,
    };
});

const stack = new TapStack("tap-records", {
    environmentSuffix,
    logRetentionDays,
    tags: { Project: "patient-records", Owner: "platform-team", Compliance: "HIPAA" },
});

export const recordsBucket = stack.recordsBucketName;
export const recordsTable = stack.tableName;
