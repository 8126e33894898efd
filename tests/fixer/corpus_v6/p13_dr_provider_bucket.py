import pulumi
import pulumi_aws as aws

dr = aws.Provider("dr-west", region="us-west-2",
                  assume_role={"role_arn": "arn:aws:iam::444455556666:role/dr-deployer"})
replica_key = aws.kms.Key("replica-key", enable_key_rotation=True, opts=pulumi.ResourceOptions(provider=dr))
replica = aws.s3.BucketV2("imaging-replica", opts=pulumi.ResourceOptions(provider=dr))
aws.s3.BucketVersioningV2("imaging-replica-versioning", bucket=replica.id,
                          versioning_configuration=aws.s3.BucketVersioningV2VersioningConfigurationArgs(
                              status="Enabled"),
                          opts=pulumi.ResourceOptions(provider=dr))
pulumi.export("replica_bucket", replica.bucket)
