import pulumi
import pulumi_aws as aws

audit_bucket = aws.s3.Bucket("dw-audit")
clusters = []
for i, node_type in enumerate(["ra3.xlplus", "ra3.4xlarge"]):
    cluster = aws.redshift.Cluster(
        f"dw-{i}",
        cluster_identifier=f"dw-{i}",
        node_type=node_type,
        master_username="dwadmin",
        manage_master_password=True,
        encrypted=True,
        snapshot_copy=aws.redshift.ClusterSnapshotCopyArgs(destination_region="us-east-2", retention_period=3),
    )
    clusters.append(cluster)
pulumi.export("dw", [c.id for c in clusters])
