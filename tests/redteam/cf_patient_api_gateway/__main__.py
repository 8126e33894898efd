"""Patient API (REST -> Lambda), partner API (REST -> HTTP backend, mutual TLS towards it), a small HTTP API,
all behind WAF, with execution/access logging into KMS-encrypted log groups."""
import json

import pulumi
import pulumi_aws as aws

cfg = pulumi.Config()
vpc_id = cfg.require("vpcId")  # landing-zone VPC, owned (with its flow logs) by the network stack
subnet_ids = cfg.require_object("privateSubnetIds")
partner_backend = cfg.require("partnerBackend")
env = pulumi.get_stack()
tags = {"service": "patient-api", "env": env, "phi": "yes"}
account = aws.get_caller_identity().account_id
region = aws.get_region().region

key = aws.kms.Key("api-key", enable_key_rotation=True, description="API logs, DLQ and WAF logs",
                  policy=json.dumps({"Version": "2012-10-17", "Statement": [
                      {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "kms:*",
                       "Resource": "*"},
                      {"Effect": "Allow", "Principal": {"Service": f"logs.{region}.amazonaws.com"},
                       "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                                  "kms:Describe*"], "Resource": "*"}]}))


def log_group(name, **kw):
    return aws.cloudwatch.LogGroup(name.strip("/").replace("/", "-"), name=name, retention_in_days=400,
                                   kms_key_id=key.arn, tags=tags, **kw)


# API Gateway needs an account-level CloudWatch role to write execution logs.
apigw_role = aws.iam.Role("apigw-cloudwatch", assume_role_policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                            "Principal": {"Service": "apigateway.amazonaws.com"}}]}))
aws.iam.RolePolicyAttachment("apigw-cloudwatch-push", role=apigw_role.name,
                             policy_arn="arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs")
apigw_account = aws.apigateway.Account("apigw-account", cloudwatch_role_arn=apigw_role.arn)

# ---------------------------------------------------------------- Lambda backend
dlq = aws.sqs.Queue("patient-fn-dlq", kms_master_key_id=key.id, message_retention_seconds=1209600, tags=tags)
fn_sg = aws.ec2.SecurityGroup("patient-fn-sg", vpc_id=vpc_id, description="patient lambda egress",
                              egress=[aws.ec2.SecurityGroupEgressArgs(protocol="tcp", from_port=443, to_port=443,
                                                                      cidr_blocks=["10.0.0.0/8"])])
fn_role = aws.iam.Role("patient-fn-role", assume_role_policy=json.dumps({
    "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                            "Principal": {"Service": "lambda.amazonaws.com"}}]}))
for i, arn in enumerate(["arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
                         "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"]):
    aws.iam.RolePolicyAttachment(f"patient-fn-managed-{i}", role=fn_role.name, policy_arn=arn)
dlq_send = aws.iam.Policy("patient-fn-dlq-send", policy=pulumi.Output.all(dlq.arn, key.arn).apply(
    lambda a: json.dumps({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": "sqs:SendMessage", "Resource": a[0]},
        {"Effect": "Allow", "Action": ["kms:GenerateDataKey", "kms:Decrypt"], "Resource": a[1]}]})))
aws.iam.RolePolicyAttachment("patient-fn-dlq-attach", role=fn_role.name, policy_arn=dlq_send.arn)

fn_logs = log_group("/aws/lambda/patient-lookup")
patient_fn = aws.lambda_.Function(
    "patient-lookup", name="patient-lookup", runtime="python3.12", handler="app.handler", role=fn_role.arn,
    code=pulumi.AssetArchive({"app.py": pulumi.StringAsset("def handler(event, context):\n    return {'statusCode': 200}\n")}),
    timeout=10, memory_size=512, reserved_concurrent_executions=50, kms_key_arn=key.arn,
    vpc_config={"subnet_ids": subnet_ids, "security_group_ids": [fn_sg.id]},
    dead_letter_config={"target_arn": dlq.arn}, tracing_config={"mode": "Active"},
    environment={"variables": {"TABLE_NAME": f"patients-{env}", "LOG_LEVEL": "INFO"}}, tags=tags,
    opts=pulumi.ResourceOptions(depends_on=[fn_logs]))

# ---------------------------------------------------------------- REST APIs


def rest_api(name, integration_type, uri):
    api = aws.apigateway.RestApi(name, endpoint_configuration={"types": "REGIONAL"}, tags=tags)
    resource = aws.apigateway.Resource(f"{name}-patients", rest_api=api.id, parent_id=api.root_resource_id,
                                       path_part="patients")
    method = aws.apigateway.Method(f"{name}-get", rest_api=api.id, resource_id=resource.id, http_method="GET",
                                   authorization="AWS_IAM")
    integration = aws.apigateway.Integration(f"{name}-integration", rest_api=api.id, resource_id=resource.id,
                                             http_method=method.http_method, type=integration_type,
                                             integration_http_method="GET" if integration_type == "HTTP_PROXY" else "POST",
                                             uri=uri)
    deployment = aws.apigateway.Deployment(f"{name}-deployment", rest_api=api.id,
                                           triggers={"redeploy": "2026-12-01"},
                                           opts=pulumi.ResourceOptions(depends_on=[integration]))
    return api, deployment


def stage(api, deployment, name, stage_name, client_cert=None, method_path="*/*", level="INFO"):
    group = log_group(f"/apigw/{name}/{stage_name}")
    s = aws.apigateway.Stage(f"{name}-{stage_name}", rest_api=api.id, deployment=deployment.id, stage_name=stage_name,
                             client_certificate_id=client_cert.id if client_cert else None, xray_tracing_enabled=True,
                             access_log_settings={"destination_arn": group.arn,
                                                  "format": json.dumps({"requestId": "$context.requestId",
                                                                        "status": "$context.status"})},
                             tags=tags, opts=pulumi.ResourceOptions(depends_on=[apigw_account]))
    aws.apigateway.MethodSettings(f"{name}-{stage_name}-settings", rest_api=api.id, stage_name=s.stage_name,
                                  method_path=method_path,
                                  settings=aws.apigateway.MethodSettingsSettingsArgs(
                                      logging_level=level, metrics_enabled=True, data_trace_enabled=False,
                                      throttling_burst_limit=100, throttling_rate_limit=50))
    return s


patient_api, patient_deploy = rest_api("patient-api", "AWS_PROXY", patient_fn.invoke_arn)
partner_api, partner_deploy = rest_api("partner-api", "HTTP_PROXY", f"{partner_backend}/patients")
partner_cert = aws.apigateway.ClientCertificate("partner-backend-cert", description="mTLS towards the partner")

stages = {
    "patient-v1": stage(patient_api, patient_deploy, "patient-api", "v1", level="ERROR"),
    # defect: api-gw-execution-logging-enabled (canary logs only GET /patients, not */*)
    "patient-canary": stage(patient_api, patient_deploy, "patient-api", "canary", method_path="patients/GET"),
    "partner-prod": stage(partner_api, partner_deploy, "partner-api", "prod", client_cert=partner_cert),
    # defect: api-gw-ssl-enabled (sandbox stage calls the HTTP backend without the client certificate)
    "partner-sandbox": stage(partner_api, partner_deploy, "partner-api", "sandbox"),
}

aws.lambda_.Permission("patient-api-invoke", action="lambda:InvokeFunction", function=patient_fn.name,
                       principal="apigateway.amazonaws.com",
                       source_arn=pulumi.Output.concat(patient_api.execution_arn, "/*/GET/patients"))

# ---------------------------------------------------------------- WAF
waf_logs = log_group("aws-waf-logs-patient-api")
acl = aws.wafv2.WebAcl("patient-api-acl", scope="REGIONAL", default_action={"allow": {}},
                       visibility_config={"cloudwatch_metrics_enabled": True, "metric_name": "patient-api-acl",
                                          "sampled_requests_enabled": True},
                       rules=[{"name": "aws-common", "priority": 1, "override_action": {"none": {}},
                               "statement": {"managed_rule_group_statement": {
                                   "vendor_name": "AWS", "name": "AWSManagedRulesCommonRuleSet"}},
                               "visibility_config": {"cloudwatch_metrics_enabled": True, "metric_name": "common",
                                                     "sampled_requests_enabled": True}}])
aws.wafv2.WebAclLoggingConfiguration("patient-api-acl-logging", resource_arn=acl.arn,
                                     log_destination_configs=[waf_logs.arn])
for key_name, s in stages.items():
    if key_name == "patient-canary":
        continue  # defect: api-gw-associated-with-waf (canary stage left outside the web ACL)
    aws.wafv2.WebAclAssociation(f"{key_name}-waf", resource_arn=s.arn, web_acl_arn=acl.arn)

# ---------------------------------------------------------------- HTTP API for the scheduling widget
http_api = aws.apigatewayv2.Api("scheduling-http", protocol_type="HTTP", tags=tags)
aws.apigatewayv2.Stage("scheduling-http-default", api_id=http_api.id, name="$default", auto_deploy=True,
                       access_log_settings={"destination_arn": log_group("/apigw/scheduling-http").arn,
                                            "format": '{"requestId":"$context.requestId"}'})

# Live queue updates for the waiting room (WebSocket). $connect only gets tighter throttling; its logging level
# is inherited from the stage's default route settings.
ws_api = aws.apigatewayv2.Api("waiting-room-ws", protocol_type="WEBSOCKET", route_selection_expression="$request.body.action")
aws.apigatewayv2.Stage("waiting-room-ws-live", api_id=ws_api.id, name="live", auto_deploy=True,
                       default_route_settings=aws.apigatewayv2.StageDefaultRouteSettingsArgs(
                           logging_level="INFO", data_trace_enabled=False, throttling_burst_limit=200,
                           throttling_rate_limit=100),
                       route_settings=[aws.apigatewayv2.StageRouteSettingArgs(
                           route_key="$connect", throttling_burst_limit=20, throttling_rate_limit=10)],
                       access_log_settings={"destination_arn": log_group("/apigw/waiting-room-ws").arn,
                                            "format": '{"requestId":"$context.requestId"}'},
                       opts=pulumi.ResourceOptions(depends_on=[apigw_account]))

# The scheduling widget also has a public function URL for the kiosk.
kiosk_url = aws.lambda_.FunctionUrl("kiosk-url", function_name=patient_fn.name, authorization_type="NONE")
# defect: lambda-function-public-access-prohibited (anyone may invoke the PHI lookup through the URL)
aws.lambda_.Permission("kiosk-url-public", action="lambda:InvokeFunctionUrl", function=patient_fn.name,
                       principal="*", function_url_auth_type="NONE")

pulumi.export("patient_api_url", stages["patient-v1"].invoke_url)
pulumi.export("kiosk_url", kiosk_url.function_url)
