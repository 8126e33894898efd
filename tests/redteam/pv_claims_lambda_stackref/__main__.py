"""Claims adjudication: SQS -> Lambda -> DynamoDB, on the subnets exported by the network stack."""
import json

import pulumi
import pulumi_aws as aws
from pulumi_aws import dynamodb, iam, lambda_, sns, sqs

config = pulumi.Config()
stack = pulumi.get_stack()
settings = config.require_object("lambdaSettings")
enable_tracing = config.get_bool("enableTracing", False)
common_tags = {"app": "claims-adjudication", "env": stack, "data-classification": "phi"}


def add_common_tags(args: pulumi.ResourceTransformationArgs):
    """Stack transformation: every taggable AWS resource gets the common tags."""
    if args.type_.startswith("aws:") and "tags" in args.props:
        args.props["tags"] = {**common_tags, **(args.props.get("tags") or {})}
        return pulumi.ResourceTransformationResult(args.props, args.opts)
    return None


pulumi.runtime.register_stack_transformation(add_common_tags)

network = pulumi.StackReference(config.require("networkStack"))
vpc_id = network.require_output("vpcId")
private_subnet_ids = network.get_output("privateSubnetIds")
partition = aws.get_partition().partition
region = aws.get_region().name
s3_prefix_list = aws.ec2.get_prefix_list(name=f"com.amazonaws.{region}.s3")
clearinghouse = aws.secretsmanager.get_secret_version_output(secret_id=config.require("clearinghouseSecretId"))
clearinghouse_url = clearinghouse.secret_string.apply(lambda s: json.loads(s)["endpoint"])

key = aws.kms.Key("claims-key", description="claims adjudication data", enable_key_rotation=True,
                  tags={"component": "kms"})
aws.kms.Alias("claims-key-alias", name=f"alias/claims-adjudication-{stack}", target_key_id=key.key_id)

dead_letters = sqs.Queue("claims-dlq", kms_master_key_id=key.arn, message_retention_seconds=1209600,
                         tags={"component": "queue"})
intake = sqs.Queue("claims-intake", kms_master_key_id=key.arn, visibility_timeout_seconds=6 * settings["timeout"],
                   redrive_policy=dead_letters.arn.apply(lambda arn: json.dumps(
                       {"deadLetterTargetArn": arn, "maxReceiveCount": 5})),
                   tags={"component": "queue"})

# defect: dynamodb-pitr-enabled (no point-in-time recovery on the adjudication ledger)
ledger = dynamodb.Table(
    "claims-ledger",
    billing_mode="PAY_PER_REQUEST",
    hash_key="claimId",
    range_key="version",
    attributes=[dynamodb.TableAttributeArgs(name="claimId", type="S"), {"name": "version", "type": "N"}],
    server_side_encryption={"enabled": True, "kms_key_arn": key.arn},
    tags={"component": "ledger"},
)

# defect: sns-encrypted-kms (adjudication notices contain member ids, topic is unencrypted)
notices = sns.Topic("claims-notices", tags={"component": "notify"})

role = iam.Role("claims-worker-role", assume_role_policy=json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"},
                   "Action": "sts:AssumeRole"}]}), tags={"component": "iam"})
for suffix, managed in {"vpc": "service-role/AWSLambdaVPCAccessExecutionRole",
                        "xray": "AWSXRayDaemonWriteAccess"}.items():
    iam.RolePolicyAttachment(f"claims-worker-{suffix}", role=role.name,
                             policy_arn=f"arn:{partition}:iam::aws:policy/{managed}")
worker_policy = iam.Policy("claims-worker-policy", policy=pulumi.Output.all(
    intake.arn, ledger.arn, key.arn, notices.arn).apply(lambda args: json.dumps({
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
             "Resource": args[0]},
            {"Effect": "Allow", "Action": ["dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:GetItem"],
             "Resource": args[1]},
            {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": args[2]},
            {"Effect": "Allow", "Action": "sns:Publish", "Resource": args[3]},
        ]})))
iam.RolePolicyAttachment("claims-worker-custom", role=role.name, policy_arn=worker_policy.arn)

worker_sg = aws.ec2.SecurityGroup(
    "claims-worker-sg", vpc_id=vpc_id, description="claims worker egress",
    egress=[
        {"protocol": "tcp", "from_port": 443, "to_port": 443, "prefix_list_ids": [s3_prefix_list.id],
         "description": "S3 gateway endpoint"},
        {"protocol": "tcp", "from_port": 443, "to_port": 443, "cidr_blocks": ["0.0.0.0/0"],
         "description": "clearinghouse API"},
    ],
    tags={"component": "network"})

worker = lambda_.Function(
    "claims-worker",
    runtime=lambda_.Runtime.PYTHON3D12,
    handler="index.handler",
    role=role.arn,
    memory_size=settings["memory"],
    timeout=settings["timeout"],
    reserved_concurrent_executions=settings.get("reservedConcurrency", 5),
    kms_key_arn=key.arn,
    code=pulumi.AssetArchive({
        "index.py": pulumi.FileAsset("handler/index.py"),
        "rules.json": pulumi.FileAsset("handler/rules.json"),
    }),
    vpc_config={"subnet_ids": private_subnet_ids, "security_group_ids": [worker_sg.id]},
    tracing_config={"mode": "Active" if enable_tracing else "PassThrough"},
    environment={"variables": {
        "LEDGER_TABLE": ledger.name,
        "NOTICES_TOPIC": notices.arn,
        "CLEARINGHOUSE_URL": clearinghouse_url,
        # defect: lambda-reserved-env-vars (AWS_REGION is reserved; creating the function fails)
        "AWS_REGION": region,
    }},
    tags={"component": "worker"},
    opts=pulumi.ResourceOptions(depends_on=[worker_policy], ignore_changes=["layers"]),
)
lambda_.EventSourceMapping("claims-intake-trigger", event_source_arn=intake.arn, function_name=worker.arn,
                           batch_size=10)
# defect: lambda-function-public-access-prohibited (any principal may invoke the worker)
lambda_.Permission("claims-worker-invoke", action="lambda:InvokeFunction", function=worker.name, principal="*")

pulumi.export("intakeQueueUrl", intake.url)
pulumi.export("workerArn", worker.arn)
pulumi.export("ledgerAccount", ledger.arn.apply(lambda a: a.split(":")[4]))
