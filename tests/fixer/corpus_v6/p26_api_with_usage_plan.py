import pulumi
import pulumi_aws as aws

api = aws.apigateway.RestApi("partner-api", description="Partner eligibility checks")
health = aws.apigateway.Resource("partner-health", rest_api=api.id, parent_id=api.root_resource_id, path_part="health")
get = aws.apigateway.Method("partner-health-get", rest_api=api.id, resource_id=health.id, http_method="GET",
                            authorization="NONE", api_key_required=True)
mock = aws.apigateway.Integration("partner-health-mock", rest_api=api.id, resource_id=health.id,
                                  http_method=get.http_method, type="MOCK")
release = aws.apigateway.Deployment("partner-release", rest_api=api.id, stage_name="partners",
                                    opts=pulumi.ResourceOptions(depends_on=[mock]))
plan = aws.apigateway.UsagePlan("partner-plan", api_stages=[aws.apigateway.UsagePlanApiStageArgs(
    api_id=api.id, stage="partners")], opts=pulumi.ResourceOptions(depends_on=[release]))
pulumi.export("endpoint", release.invoke_url)
