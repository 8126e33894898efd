import pulumi
import pulumi_aws as aws

api = aws.apigateway.RestApi("fhir-api", endpoint_configuration={"types": "REGIONAL"},
                             minimum_compression_size=1024)
root_get = aws.apigateway.Method("fhir-root", rest_api=api.id, resource_id=api.root_resource_id,
                                 http_method="GET", authorization="AWS_IAM")
integration = aws.apigateway.Integration("fhir-root-mock", rest_api=api.id, resource_id=api.root_resource_id,
                                         http_method=root_get.http_method, type="MOCK")
deploy = aws.apigateway.Deployment("fhir-deploy", rest_api=api.id, stage_name="r4",
                                   triggers={"redeploy": "2024-06-01"},
                                   opts=pulumi.ResourceOptions(depends_on=[integration]))
pulumi.export("fhir_url", deploy.invoke_url)
