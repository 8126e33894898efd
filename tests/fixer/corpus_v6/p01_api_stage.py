"""Patient intake API: REST API with a Lambda proxy and a prod stage."""
import pulumi
import pulumi_aws as aws

config = pulumi.Config()
env = config.get("env") or "prod"

role = aws.iam.Role(f"intake-{env}-role", assume_role_policy="""{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]
}""")
handler = aws.lambda_.Function(f"intake-{env}-fn", runtime="python3.12", handler="app.handler",
                               role=role.arn, code=pulumi.AssetArchive({}))
api = aws.apigateway.RestApi(f"intake-{env}-api", description="Patient intake")
resource = aws.apigateway.Resource(f"intake-{env}-proxy", rest_api=api.id, parent_id=api.root_resource_id,
                                   path_part="{proxy+}")
method = aws.apigateway.Method(f"intake-{env}-any", rest_api=api.id, resource_id=resource.id,
                               http_method="ANY", authorization="AWS_IAM")
integration = aws.apigateway.Integration(f"intake-{env}-int", rest_api=api.id, resource_id=resource.id,
                                         http_method=method.http_method, integration_http_method="POST",
                                         type="AWS_PROXY", uri=handler.invoke_arn)
deployment = aws.apigateway.Deployment(f"intake-{env}-deployment", rest_api=api.id, stage_name=env,
                                       opts=pulumi.ResourceOptions(depends_on=[integration]))
pulumi.export("invoke_url", deployment.invoke_url)
