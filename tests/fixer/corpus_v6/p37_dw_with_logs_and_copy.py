import pulumi
import pulumi_aws as aws

config = pulumi.Config()
dr_region = config.get("drRegion") or "us-west-2"
logs = aws.s3.Bucket("claims-dw-logs")

cluster = aws.redshift.Cluster(
    "claims-dw",
    cluster_identifier="claims-dw",
    node_type="ra3.xlplus",
    number_of_nodes=3,
    master_username="claims",
    manage_master_password=True,
    encrypted=True,
    enhanced_vpc_routing=True,
    logging={"enable": True, "bucket_name": logs.bucket, "log_destination_type": "s3"},
    snapshot_copy={"destination_region": dr_region, "retention_period": 14},
)
pulumi.export("dw_endpoint", cluster.endpoint)
