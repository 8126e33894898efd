import pulumi
import pulumi_aws as aws

logs = aws.s3.BucketV2("warehouse-audit-logs", force_destroy=False)
key = aws.kms.Key("warehouse-key", enable_key_rotation=True)

warehouse = aws.redshift.Cluster(
    "claims-warehouse",
    cluster_identifier="claims-warehouse",
    node_type="ra3.xlplus",
    number_of_nodes=2,
    database_name="claims",
    master_username="warehouse_admin",
    manage_master_password=True,
    encrypted=True,
    kms_key_id=key.arn,
    publicly_accessible=False,
    logging=aws.redshift.ClusterLoggingArgs(
        enable=True,
        bucket_name=logs.bucket,
        s3_key_prefix="redshift/",
    ),
)
pulumi.export("warehouse_endpoint", warehouse.endpoint)
