// An ES-module TypeScript program (package.json "type": "module", ts-node/esm) with a type error.
import * as aws from "@pulumi/aws";

export default async function main() {
    const key = new aws.kms.Key("records-key", { enableKeyRotation: true });
    const retentionDays: number = "thirty";
    return { keyArn: key.arn, retentionDays };
}
