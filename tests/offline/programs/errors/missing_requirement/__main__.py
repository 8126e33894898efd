import pulumi_aws as aws
import pulumi_tls_not_installed as tls

aws.s3.Bucket("data")
