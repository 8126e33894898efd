"""Serverless PHI processing: API Gateway -> Lambda -> DynamoDB, with Step Functions orchestration."""
import json
from typing import Optional

import pulumi
import pulumi_aws as aws
from pulumi import Output, ResourceOptions
from pulumi_aws.lambda_ import Runtime


class TapStackArgs:
    def __init__(self, environment_suffix: Optional[str] = None):
        self.environment_suffix = environment_suffix or "dev"


class TapStack(pulumi.ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: Optional[ResourceOptions] = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        env = args.environment_suffix
        caller = aws.get_caller_identity()
        region = aws.get_region()
        tags = {"Environment": env, "Owner": "platform", "Compliance": "HIPAA"}

        key_policy = {
            "Version": "2012-10-17",
            "Statement": [{
                "Sid": "EnableRoot",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{caller.account_id}:root"},
                "Action": "kms:*",
                "Resource": "*",
            }],
        }
        self.key = aws.kms.Key(
            f"phi-cmk-{env}",
            description=f"PHI CMK for {env}",
            enable_key_rotation=True,
            policy=json.dumps(key_policy),
            tags=tags,
            opts=ResourceOptions(parent=self),
        )

        self.table = aws.dynamodb.Table(
            f"patient-events-{env}",
            billing_mode="PAY_PER_REQUEST",
            hash_key="patientId",
            range_key="eventTime",
            attributes=[
                aws.dynamodb.TableAttributeArgs(name="patientId", type="S"),
                aws.dynamodb.TableAttributeArgs(name="eventTime", type="S"),
            ],
            server_side_encryption={"enabled": True, "kms_key_arn": self.key.arn},
            point_in_time_recovery={"enabled": True},
            stream_enabled=True,
            stream_view_type="NEW_AND_OLD_IMAGES",
            tags=tags,
            opts=ResourceOptions(parent=self),
        )

        self.audit_bucket = aws.s3.Bucket(f"phi-audit-{env}", tags=tags, opts=ResourceOptions(parent=self))
        aws.s3.BucketLifecycleConfiguration(
            f"phi-audit-lifecycle-{env}",
            bucket=self.audit_bucket.id,
            rules=[{
                "id": "archive",
                "status": "Enabled",
                "transitions": [{"days": 90, "storage_class": "GLACIER"}],
                "expiration": {"days": 2555},
            }],
            opts=ResourceOptions(parent=self),
        )
        aws.s3.BucketLoggingV2(
            f"phi-audit-logging-{env}",
            bucket=self.audit_bucket.id,
            target_bucket=self.audit_bucket.id,
            target_prefix="access-logs/",
            opts=ResourceOptions(parent=self),
        )

        assume = aws.iam.get_policy_document(statements=[{
            "actions": ["sts:AssumeRole"],
            "principals": [{"type": "Service", "identifiers": ["lambda.amazonaws.com"]}],
        }])
        self.fn_role = aws.iam.Role(f"phi-fn-role-{env}", assume_role_policy=assume.json,
                                    opts=ResourceOptions(parent=self))
        aws.iam.RolePolicy(
            f"phi-fn-inline-{env}",
            role=self.fn_role.id,
            policy=Output.json_dumps({
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": ["dynamodb:PutItem", "dynamodb:GetItem"],
                     "Resource": self.table.arn},
                    {"Effect": "Allow", "Action": "kms:Decrypt", "Resource": self.key.arn},
                    {"Effect": "Allow", "Action": "logs:*",
                     "Resource": f"arn:aws:logs:{region.name}:{caller.account_id}:*"},
                ],
            }),
            opts=ResourceOptions(parent=self),
        )

        self.fn = aws.lambda_.Function(
            f"phi-handler-{env}",
            runtime=Runtime.PYTHON3_12,
            handler="app.handler",
            role=self.fn_role.arn,
            code=pulumi.FileArchive("./lambda"),
            environment={"variables": {"TABLE": self.table.name, "KEY_ID": self.key.key_id}},
            kms_key_arn=self.key.arn,
            reserved_concurrent_executions=50,
            tracing_config=aws.lambda_.FunctionTracingConfigArgs(mode="Active"),
            tags=tags,
            opts=ResourceOptions(parent=self),
        )

        self.api = aws.apigatewayv2.Api(f"phi-http-{env}", protocol_type="HTTP", opts=ResourceOptions(parent=self))
        integration = aws.apigatewayv2.Integration(
            f"phi-http-int-{env}",
            api_id=self.api.id,
            integration_type="AWS_PROXY",
            integration_uri=self.fn.invoke_arn,
            payload_format_version="2.0",
            opts=ResourceOptions(parent=self),
        )
        aws.apigatewayv2.Route(
            f"phi-http-route-{env}",
            api_id=self.api.id,
            route_key="POST /events",
            target=integration.id.apply(lambda i: f"integrations/{i}"),
            authorization_type="AWS_IAM",
            opts=ResourceOptions(parent=self),
        )
        self.api_log_group = aws.cloudwatch.LogGroup(
            f"phi-http-logs-{env}", retention_in_days=731, kms_key_id=self.key.arn, opts=ResourceOptions(parent=self))
        self.stage = aws.apigatewayv2.Stage(
            f"phi-http-stage-{env}",
            api_id=self.api.id,
            name="$default",
            auto_deploy=True,
            access_log_settings={
                "destination_arn": self.api_log_group.arn,
                "format": json.dumps({"requestId": "$context.requestId", "status": "$context.status"}),
            },
            opts=ResourceOptions(parent=self),
        )
        aws.lambda_.Permission(
            f"phi-http-invoke-{env}",
            action="lambda:InvokeFunction",
            function=self.fn.name,
            principal="apigateway.amazonaws.com",
            source_arn=self.api.execution_arn + "/*/*",
            opts=ResourceOptions(parent=self),
        )

        # Step Functions workflow
        sfn_role = aws.iam.Role(
            f"phi-sfn-role-{env}",
            assume_role_policy=json.dumps({
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"Service": "states.amazonaws.com"},
                               "Action": "sts:AssumeRole"}],
            }),
            opts=ResourceOptions(parent=self),
        )
        self.workflow = aws.sfn.StateMachine(
            f"phi-workflow-{env}",
            role_arn=sfn_role.arn,
            definition=self.fn.arn.apply(lambda arn: json.dumps({
                "StartAt": "Process",
                "States": {"Process": {"Type": "Task", "Resource": arn, "End": True}},
            })),
            logging_configuration={"level": "ALL", "include_execution_data": False,
                                   "log_destination": self.api_log_group.arn.apply(lambda a: f"{a}:*")},
            tracing_configuration={"enabled": True},
            opts=ResourceOptions(parent=self),
        )

        token = aws.secretsmanager.get_random_password(password_length=40, exclude_punctuation=True)
        self.api_key_secret = aws.secretsmanager.Secret(f"phi-api-key-{env}", kms_key_id=self.key.id,
                                                        opts=ResourceOptions(parent=self))
        aws.secretsmanager.SecretVersion(f"phi-api-key-v-{env}", secret_id=self.api_key_secret.id,
                                         secret_string=token.random_password, opts=ResourceOptions(parent=self))

        pulumi.export("api_endpoint", self.api.api_endpoint)
        pulumi.export("table", self.table.name)
        pulumi.export("workflow_arn", self.workflow.arn)
        pulumi.export("fn_url", Output.concat("https://", self.api.id, ".execute-api.", region.name, ".amazonaws.com"))
