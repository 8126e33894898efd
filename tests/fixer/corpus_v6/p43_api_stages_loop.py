import pulumi
import pulumi_aws as aws

api = aws.apigateway.RestApi("referrals-api")
get = aws.apigateway.Method("referrals-get", rest_api=api.id, resource_id=api.root_resource_id,
                            http_method="GET", authorization="AWS_IAM")
mock = aws.apigateway.Integration("referrals-mock", rest_api=api.id, resource_id=api.root_resource_id,
                                  http_method=get.http_method, type="MOCK")
dev = aws.apigateway.Deployment("referrals-dev", rest_api=api.id, stage_name="dev",
                                opts=pulumi.ResourceOptions(depends_on=[mock]))
prod = aws.apigateway.Deployment("referrals-prod", rest_api=api.id, stage_name="prod",
                                 stage_description="production",
                                 opts=pulumi.ResourceOptions(depends_on=[mock]))
pulumi.export("dev_url", dev.invoke_url)
pulumi.export("prod_url", prod.invoke_url)
