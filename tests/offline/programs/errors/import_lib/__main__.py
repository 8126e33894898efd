import pulumi_aws as aws

from lib.storage import bucket_name

aws.s3.BucketV2("data", bucket=bucket_name)
