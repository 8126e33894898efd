import json

import pulumi
import pulumi_aws as aws

queue = aws.sqs.Queue("p33-queue", sqs_managed_sse_enabled=True, delay_seconds="5")
pulumi.export("p33-queue", {"url": queue.url, "delay": queue.delay_seconds, "policy": json.dumps({"a": 1})})
