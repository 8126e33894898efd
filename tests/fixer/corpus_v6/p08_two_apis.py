import pulumi
import pulumi_aws as aws

services = {"scheduling": "Appointments", "billing": "Claims and invoices"}
stages = {}
for service, description in services.items():
    api = aws.apigateway.RestApi(f"{service}-api", description=description,
                                 endpoint_configuration=aws.apigateway.RestApiEndpointConfigurationArgs(
                                     types="REGIONAL"))
    mock = aws.apigateway.Method(f"{service}-root-get", rest_api=api.id, resource_id=api.root_resource_id,
                                 http_method="GET", authorization="NONE")
    integration = aws.apigateway.Integration(f"{service}-root-mock", rest_api=api.id,
                                             resource_id=api.root_resource_id, http_method=mock.http_method,
                                             type="MOCK")
    deployment = aws.apigateway.Deployment(f"{service}-deployment", rest_api=api.id, stage_name="v1",
                                           stage_description=f"{description} v1",
                                           opts=pulumi.ResourceOptions(depends_on=[integration]))
    stages[service] = deployment

pulumi.export("urls", {k: d.invoke_url for k, d in stages.items()})
