import pulumi
import pulumi_aws as aws

bucket = aws.s3.Bucket("p05-bucket")
aws.s3.BucketPolicy("p05-policy", bucket=bucket.id, policy=bucket.arn.apply(lambda arn: {
    "Version": "2012-10-17",
    "Statement": [{"Sid": "TlsOnly", "Effect": "Deny", "Principal": "*", "Action": "s3:*",
                   "Resource": [arn, f"{arn}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}],
}))
pulumi.export("p05-bucket", bucket.id)
