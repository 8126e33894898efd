// Source of the intake function, shipped inline in an AssetArchive.
export const HANDLER_SOURCE = `
const { SQSClient, SendMessageCommand } = require("@aws-sdk/client-sqs");
const sqs = new SQSClient({});
exports.handler = async (event) => {
    const body = JSON.parse(event.body || "{}");
    if (!body.patientId) {
        return { statusCode: 400, body: JSON.stringify({ error: "patientId required" }) };
    }
    await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify(body) }));
    return { statusCode: 202, body: JSON.stringify({ accepted: true }) };
};
`;
