import json

import pulumi
import pulumi_aws as aws

key = aws.kms.Key("p09-key", enable_key_rotation=True)
bucket = aws.s3.Bucket("p09-bucket")
doc = pulumi.Output.all(bucket.arn, key.arn).apply(lambda args: json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Action": ["s3:GetObject", "kms:Decrypt"], "Resource": [f"{args[0]}/*", args[1]]}],
}))
aws.iam.Policy("p09-policy", policy=doc)
