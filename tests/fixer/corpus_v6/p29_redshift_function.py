import pulumi
import pulumi_aws as aws


def analytics_cluster(name: str, bucket: str):
    """One Redshift cluster per business unit, audit logs to the shared bucket."""
    return aws.redshift.Cluster(
        name,
        cluster_identifier=name,
        node_type="ra3.xlplus",
        master_username="bu_admin",
        manage_master_password=True,
        encrypted=True,
        logging=aws.redshift.ClusterLoggingArgs(enable=True, bucket_name=bucket, s3_key_prefix=f"{name}/"),
    )


units = ["pharmacy", "oncology"]
clusters = {u: analytics_cluster(f"{u}-dw", "bu-audit-logs") for u in units}
pulumi.export("clusters", {u: c.id for u, c in clusters.items()})
