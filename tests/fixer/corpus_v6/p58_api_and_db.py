import pulumi
import pulumi_aws as aws

db = aws.rds.Instance("claims-api-db", engine="postgres", instance_class="db.t3.medium", allocated_storage=40,
                      name="claims", username="claims_api", manage_master_user_password=True,
                      storage_encrypted=True, skip_final_snapshot=True)
api = aws.apigateway.RestApi("claims-api")
claims = aws.apigateway.Resource("claims-resource", rest_api=api.id, parent_id=api.root_resource_id, path_part="claims")
post = aws.apigateway.Method("claims-post", rest_api=api.id, resource_id=claims.id, http_method="POST",
                             authorization="AWS_IAM")
mock = aws.apigateway.Integration("claims-post-mock", rest_api=api.id, resource_id=claims.id,
                                  http_method=post.http_method, type="MOCK")
deployment = aws.apigateway.Deployment("claims-api-deployment", rest_api=api.id, stage_name="api",
                                       opts=pulumi.ResourceOptions(depends_on=[mock]))
pulumi.export("claims_url", deployment.invoke_url)
