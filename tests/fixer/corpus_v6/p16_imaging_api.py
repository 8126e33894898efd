import pulumi
import pulumi_aws as aws


class ImagingApi(pulumi.ComponentResource):
    def __init__(self, name, bucket, opts=None):
        super().__init__("hipaa:imaging:Api", name, None, opts)
        parent = pulumi.ResourceOptions(parent=self)
        self.api = aws.apigateway.RestApi(f"{name}-api", binary_media_types=["application/dicom"], opts=parent)
        method = aws.apigateway.Method(f"{name}-get", rest_api=self.api.id, resource_id=self.api.root_resource_id,
                                       http_method="GET", authorization="AWS_IAM", opts=parent)
        integ = aws.apigateway.Integration(f"{name}-s3", rest_api=self.api.id, resource_id=self.api.root_resource_id,
                                           http_method=method.http_method, type="AWS",
                                           integration_http_method="GET",
                                           uri=bucket.arn.apply(lambda a: f"arn:aws:apigateway:us-east-1:s3:path/{a}"),
                                           opts=parent)
        self.deployment = aws.apigateway.Deployment(f"{name}-deploy", rest_api=self.api.id, stage_name="live",
                                                    opts=pulumi.ResourceOptions(parent=self, depends_on=[integ]))
        self.register_outputs({})


store = aws.s3.BucketV2("dicom-store")
api = ImagingApi("imaging", store)
pulumi.export("url", api.deployment.invoke_url)
