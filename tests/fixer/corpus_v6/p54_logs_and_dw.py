import pulumi
import pulumi_aws as aws

log_sink = aws.s3.Bucket("dw-log-sink")
archive = aws.s3.Bucket("dw-archive", loggings=[aws.s3.BucketLoggingArgs(target_bucket=log_sink.id,
                                                                         target_prefix="archive/")])
rs = aws.redshift.Cluster("dw-main", cluster_identifier="dw-main", node_type="ra3.xlplus",
                          master_username="dw_admin", manage_master_password=True, encrypted=True,
                          logging={"enable": True, "bucket_name": log_sink.bucket})
pulumi.export("rs", rs.id)
