"""Serverless claims events: API Gateway -> Lambda -> SQS/DynamoDB, Aurora PostgreSQL Serverless v2 for
adjudication, all encrypted with one CMK."""
import json
from typing import Optional

import pulumi
import pulumi_aws as aws
from pulumi import Output, ResourceOptions


class TapStackArgs:
    def __init__(self, environment_suffix: Optional[str] = None, tags: Optional[dict] = None):
        self.environment_suffix = environment_suffix or "dev"
        self.tags = tags


class TapStack(pulumi.ComponentResource):
    def __init__(self, name: str, args: TapStackArgs, opts: Optional[ResourceOptions] = None):
        super().__init__("tap:stack:TapStack", name, None, opts)
        self.environment_suffix = args.environment_suffix
        self.tags = args.tags or {"Environment": self.environment_suffix, "Workload": "claims"}
        sfx = self.environment_suffix
        account_id = aws.get_caller_identity().account_id

        self.cmk = aws.kms.Key(
            f"claims-cmk-{sfx}",
            description="claims events CMK",
            key_usage="ENCRYPT_DECRYPT",
            customer_master_key_spec="SYMMETRIC_DEFAULT",
            enable_key_rotation=True,
            tags=self.tags,
            opts=ResourceOptions(parent=self),
        )
        self.signing_key = aws.kms.Key(
            f"claims-signing-{sfx}",
            description="claim attestation signatures",
            key_usage="SIGN_VERIFY",
            customer_master_key_spec="ECC_NIST_P256",
            opts=ResourceOptions(parent=self),
        )
        aws.kms.KeyPolicy(
            f"claims-cmk-policy-{sfx}",
            key_id=self.cmk.id,
            policy=Output.json_dumps({
                "Version": "2012-10-17",
                "Statement": [
                    {"Sid": "Root", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                     "Action": "kms:*", "Resource": "*"},
                    {"Sid": "Logs", "Effect": "Allow",
                     "Principal": {"Service": "logs.ap-southeast-2.amazonaws.com"},
                     "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo",
                                "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"],
                     "Resource": "*"},
                ],
            }),
            opts=ResourceOptions(parent=self.cmk),
        )

        # ---- network (default VPC lookups) ----
        vpc = aws.ec2.get_vpc(default=True)
        subnets = aws.ec2.get_subnets(filters=[aws.ec2.GetSubnetsFilterArgs(name="vpc-id", values=[vpc.id])])
        lambda_sg = aws.ec2.SecurityGroup(
            f"claims-lambda-sg-{sfx}", vpc_id=vpc.id, description="claims lambdas",
            egress=[aws.ec2.SecurityGroupEgressArgs(protocol="tcp", from_port=443, to_port=443,
                                                    cidr_blocks=["0.0.0.0/0"])],
            opts=ResourceOptions(parent=self))
        db_sg = aws.ec2.SecurityGroup(
            f"claims-db-sg-{sfx}", vpc_id=vpc.id, description="aurora",
            ingress=[aws.ec2.SecurityGroupIngressArgs(protocol="tcp", from_port=5432, to_port=5432,
                                                      security_groups=[lambda_sg.id]),
                     aws.ec2.SecurityGroupIngressArgs(protocol="tcp", from_port=5432, to_port=5432,
                                                      cidr_blocks=[vpc.cidr_block])],
            opts=ResourceOptions(parent=self))

        # ---- Aurora PostgreSQL Serverless v2 with a managed master secret ----
        subnet_group = aws.rds.SubnetGroup(f"claims-db-subnets-{sfx}", subnet_ids=subnets.ids,
                                           opts=ResourceOptions(parent=self))
        self.cluster = aws.rds.Cluster(
            f"claims-aurora-{sfx}",
            # defect: rds-logging-enabled (the engine's log types are not all exported)
            # defect: rds-cluster-multi-az-enabled (a single instance: no failover target)
            # defect: rds-cluster-deletion-protection-enabled (deletion_protection unset)
            engine=aws.rds.EngineType.AURORA_POSTGRESQL,
            engine_mode=aws.rds.EngineMode.PROVISIONED,
            engine_version="16.4",
            database_name="claims",
            master_username="claims_admin",
            manage_master_user_password=True,
            master_user_secret_kms_key_id=self.cmk.key_id,
            storage_encrypted=True,
            kms_key_id=self.cmk.arn,
            backup_retention_period=30,
            db_subnet_group_name=subnet_group.name,
            vpc_security_group_ids=[db_sg.id],
            iam_database_authentication_enabled=True,
            serverlessv2_scaling_configuration={"min_capacity": 0, "max_capacity": 300,
                                                "seconds_until_auto_pause": 3600},  # defect: aurora-serverless-v2-valid
            skip_final_snapshot=True,
            tags=self.tags,
            opts=ResourceOptions(parent=self, protect=False),
        )
        self.writer = aws.rds.ClusterInstance(
            f"claims-aurora-writer-{sfx}",
            # defect: rds-enhanced-monitoring-enabled (monitoring_interval unset: no Enhanced Monitoring)
            cluster_identifier=self.cluster.id,
            instance_class="db.serverless",
            engine=self.cluster.engine,
            engine_version=self.cluster.engine_version,
            db_subnet_group_name=subnet_group.name,
            promotion_tier=0,
            opts=ResourceOptions(parent=self.cluster),
        )

        # ---- queues, topics, table ----
        dlq = aws.sqs.Queue(f"claims-dlq-{sfx}", message_retention_seconds=1209600,
                            kms_master_key_id=self.cmk.id, opts=ResourceOptions(parent=self))
        queue = aws.sqs.Queue(
            f"claims-intake-{sfx}",
            visibility_timeout_seconds=120,
            kms_master_key_id="alias/aws/sqs",
            redrive_policy=dlq.arn.apply(lambda arn: json.dumps({"deadLetterTargetArn": arn, "maxReceiveCount": 5})),
            opts=ResourceOptions(parent=self))
        topic = aws.sns.Topic(f"claims-alerts-{sfx}", kms_master_key_id=self.cmk.id,
                              opts=ResourceOptions(parent=self))
        aws.sns.TopicSubscription(f"claims-alerts-email-{sfx}", topic=topic.arn, protocol="email",
                                  endpoint="claims-oncall@example-payer.com", opts=ResourceOptions(parent=topic))
        table = aws.dynamodb.Table(
            f"claims-state-{sfx}",
            billing_mode="PAY_PER_REQUEST",
            hash_key="claimId",
            range_key="version",
            attributes=[{"name": "claimId", "type": "S"}, {"name": "version", "type": "N"}],
            server_side_encryption={"enabled": True, "kms_key_arn": self.cmk.arn},
            point_in_time_recovery={"enabled": True},
            ttl={"attribute_name": "expiresAt", "enabled": True},
            opts=ResourceOptions(parent=self))

        # ---- Lambda ----
        role = aws.iam.Role(
            f"claims-fn-role-{sfx}",
            assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": [{
                "Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}}]}),
            opts=ResourceOptions(parent=self))
        for idx, arn in enumerate([
            "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
            "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
            "arn:aws:iam::123456789012:policy/claims-shared-read",  # defect: no-placeholder-account-ids
        ]):
            aws.iam.RolePolicyAttachment(f"claims-fn-policy-{idx}-{sfx}", role=role.name, policy_arn=arn,
                                         opts=ResourceOptions(parent=role))
        aws.iam.RolePolicy(
            f"claims-fn-inline-{sfx}", role=role.id,
            policy=Output.all(queue.arn, table.arn, self.cmk.arn, self.cluster.master_user_secrets).apply(
                lambda a: json.dumps({"Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": ["sqs:SendMessage"], "Resource": a[0]},
                    {"Effect": "Allow", "Action": ["dynamodb:PutItem", "dynamodb:GetItem"], "Resource": a[1]},
                    {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:GenerateDataKey"], "Resource": a[2]},
                    {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"],
                     "Resource": [s["secret_arn"] for s in (a[3] or [])] or "*"},
                ]})),
            opts=ResourceOptions(parent=role))
        fn_logs = aws.cloudwatch.LogGroup(
            f"claims-intake-fn-logs-{sfx}", name=f"/aws/lambda/claims-intake-{sfx}", retention_in_days=731,
            kms_key_id=self.cmk.arn, opts=ResourceOptions(parent=self))
        self.fn = aws.lambda_.Function(
            f"claims-intake-fn-{sfx}",
            name=f"claims-intake-{sfx}",
            runtime="python3.8",  # defect: lambda-runtime-supported
            architectures=["arm64"],
            handler="app.handler",
            role=role.arn,
            code=pulumi.FileArchive("./lambda"),
            kms_key_arn=self.cmk.arn,
            vpc_config={"subnet_ids": subnets.ids, "security_group_ids": [lambda_sg.id]},
            environment={"variables": {"QUEUE_URL": queue.url, "TABLE_NAME": table.name,
                                       "DB_SECRET_ARN": self.cluster.master_user_secrets[0].secret_arn,
                                       "LOG_LEVEL": "INFO"}},
            logging_config={"log_format": "JSON", "log_group": fn_logs.name},
            opts=ResourceOptions(parent=self))

        # ---- API Gateway ----
        api = aws.apigateway.RestApi(f"claims-api-{sfx}", endpoint_configuration={"types": "REGIONAL"},
                                     opts=ResourceOptions(parent=self))
        resource = aws.apigateway.Resource(f"claims-api-res-{sfx}", rest_api=api.id, parent_id=api.root_resource_id,
                                           path_part="claims", opts=ResourceOptions(parent=api))
        method = aws.apigateway.Method(f"claims-api-post-{sfx}", rest_api=api.id, resource_id=resource.id,
                                       http_method="POST", authorization="AWS_IAM", opts=ResourceOptions(parent=api))
        integration = aws.apigateway.Integration(
            f"claims-api-int-{sfx}", rest_api=api.id, resource_id=resource.id, http_method=method.http_method,
            integration_http_method="POST", type="AWS_PROXY", uri=self.fn.invoke_arn,
            opts=ResourceOptions(parent=api))
        deployment = aws.apigateway.Deployment(
            f"claims-api-deploy-{sfx}", rest_api=api.id,
            triggers={"redeploy": Output.all(resource.id, method.id, integration.id).apply(
                lambda ids: json.dumps(ids))},
            opts=ResourceOptions(parent=api, depends_on=[integration]))
        access_logs = aws.cloudwatch.LogGroup(
            f"claims-api-access-{sfx}", retention_in_days=365, kms_key_id=self.cmk.arn,
            tags={"hipaa-guard:exempt": "log-group-retention: reviewed with compliance until 2099-01-01"},
            opts=ResourceOptions(parent=api))
        self.api_stage = aws.apigateway.Stage(
            f"claims-api-stage-{sfx}", rest_api=api.id, deployment=deployment.id, stage_name="v1",
            xray_tracing_enabled=True,
            access_log_settings={"destination_arn": access_logs.arn,
                                 "format": json.dumps({"requestId": "$context.requestId"})},
            opts=ResourceOptions(parent=api))
        aws.lambda_.Permission(
            f"claims-api-invoke-{sfx}", action="lambda:InvokeFunction", function=self.fn.name,
            principal="apigateway.amazonaws.com",
            source_arn=Output.concat(api.execution_arn, "/*/*"), opts=ResourceOptions(parent=self.fn))
        self.register_outputs({"api": self.api_stage.invoke_url})
