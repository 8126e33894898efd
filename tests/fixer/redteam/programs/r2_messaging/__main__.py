# -*- coding: utf-8 -*-
"""Messaging for PHI events: SNS fan-out to SQS, DynamoDB audit table. Tabs and CRLF on purpose (Windows editor)."""
import functools
import json

import pulumi
import pulumi_aws as aws
from pulumi_aws import kms, sqs, sns


def tagged(fn):
	"""A decorator adding the compliance tags (résumé: données de santé)."""
	@functools.wraps(fn)
	def wrapper(*args, **kwargs):
		kwargs.setdefault("tags", {"Compliance": "HIPAA", "Owner": "équipe-données"})
		return fn(*args, **kwargs)
	return wrapper


@tagged
def create_queue(name, kms, tags=None, dlq=None):
	"""`kms` is the key (a parameter shadowing the imported module)."""
	redrive = None
	if dlq is not None:
		redrive = dlq.arn.apply(lambda arn: json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": 5}))
	return sqs.Queue(
		name,
		kms_master_key_id=kms.arn,
		kms_data_key_reuse_period_seconds=300,
		message_retention_seconds=1209600,
		visibility_timeout_seconds=60,
		redrive_policy=redrive,
		tags=tags,
	)


def handler_code(json):
	"""Inline Lambda source; `json` here is a dict parameter, not the module."""
	return "def handler(event, context):\n    return " + repr(json.get("body", "ok")) + "\n"


key = kms.Key("events-key", description="Clé pour les événements PHI", enable_key_rotation=True)
topic = sns.Topic("phi-events", kms_master_key_id=key.id)
dlq = create_queue("phi-events-dlq", key)
queues = {
	stage: create_queue(f"phi-{stage}", key, dlq=dlq)  # one queue per stage
	for stage in ("intake", "billing", "audit")
}

for stage, queue in queues.items():
	sns.TopicSubscription(
		f"sub-{stage}",
		topic_arn=topic.arn,
		protocol="sqs",
		endpoint=queue.arn,
		raw_message_delivery=True,
	)
	sqs.QueuePolicy(
		f"policy-{stage}",
		queue_url=queue.url,
		policy=json.dumps({
			"Version": "2012-10-17",
			"Statement": [{
				"Effect": "Allow",
				"Principal": {"Service": "sns.amazonaws.com"},
				"Action": "sqs:SendMessage",
				"Resource": queue.arn,
				"Condition": {"ArnEquals": {"aws:SourceArn": topic.arn}},
			}],
		}),
	)

audit = aws.dynamodb.Table(
	"phi-audit",
	billing_mode="PAY_PER_REQUEST",
	hash_key="pk",
	range_key="sk",
	attributes=[{"name": "pk", "type": "S"}, {"name": "sk", "type": "S"}],
	server_side_encryption={"enabled": True, "kms_key_arn": key.arn},
	point_in_time_recovery={"enabled": True},
	ttl={"attribute_name": "expires", "enabled": True},
	stream_enabled=True,
	stream_view_type="NEW_IMAGE",
	protect=True,
)

alarm_topic = sns.Topic("dlq-alarms", kms_master_key_id="alias/aws/sns")
aws.cloudwatch.MetricAlarm(
	"dlq-depth",
	alarm_name="phi-dlq-depth",
	namespace="AWS/SQS",
	metric_name="ApproximateNumberOfMessagesVisible",
	dimensions={"QueueName": dlq.name},
	statistic="Maximum",
	period=300,
	evaluation_periods=1,
	threshold=0,
	comparison_operator="GreaterThanThreshold",
	alarm_actions=[alarm_topic.arn],
)


async def describe():
	"""Async helper (never awaited by Pulumi itself)."""
	return {"queues": list(queues)}


pulumi.export("queue_urls", {stage: q.url for stage, q in queues.items()})
pulumi.export("topic", pulumi.Output.concat("sns:", topic.name))
pulumi.export("summary", pulumi.Output.all(topic.arn, audit.arn).apply(lambda args: f"{args[0]} -> {args[1]}"))
pulumi.export("handler", handler_code({"body": "reçu"}))

if __name__ == "__main__":
	print("run with `pulumi up`")
