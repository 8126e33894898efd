import pulumi
import pulumi_aws as aws


class PublicApi(pulumi.ComponentResource):
    def __init__(self, name, stage, opts=None):
        super().__init__("hipaa:api:PublicApi", name, None, opts)
        self.rest = aws.apigateway.RestApi(f"{name}-rest", opts=pulumi.ResourceOptions(parent=self))
        ping = aws.apigateway.Method(f"{name}-ping", rest_api=self.rest.id, resource_id=self.rest.root_resource_id,
                                     http_method="GET", authorization="NONE",
                                     opts=pulumi.ResourceOptions(parent=self))
        integration = aws.apigateway.Integration(f"{name}-ping-mock", rest_api=self.rest.id,
                                                 resource_id=self.rest.root_resource_id,
                                                 http_method=ping.http_method, type="MOCK",
                                                 opts=pulumi.ResourceOptions(parent=self))
        self.deployment = aws.apigateway.Deployment(f"{name}-deployment", rest_api=self.rest.id, stage_name=stage,
                                                    opts=pulumi.ResourceOptions(parent=self,
                                                                                depends_on=[integration]))
        self.url = self.deployment.invoke_url
        self.register_outputs({"url": self.url})


public = PublicApi("directory", "v2")
pulumi.export("directory_url", public.url)
