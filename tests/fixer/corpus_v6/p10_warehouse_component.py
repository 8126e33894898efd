import pulumi
import pulumi_aws as aws


class Warehouse(pulumi.ComponentResource):
    """Redshift warehouse with audit logging and cross-region snapshot copies."""

    def __init__(self, name, logs_bucket, dr_region="us-west-2", opts=None):
        super().__init__("hipaa:analytics:Warehouse", name, {}, opts)
        child = pulumi.ResourceOptions(parent=self)
        self.key = aws.kms.Key(f"{name}-key", enable_key_rotation=True, opts=child)
        self.cluster = aws.redshift.Cluster(
            f"{name}-cluster",
            cluster_identifier=f"{name}-cluster",
            node_type="ra3.4xlarge",
            master_username="analytics",
            manage_master_password=True,
            encrypted=True,
            kms_key_id=self.key.arn,
            logging={"enable": True, "bucket_name": logs_bucket, "s3_key_prefix": f"{name}/"},
            snapshot_copy={"destination_region": dr_region, "retention_period": 7},
            opts=child,
        )
        self.register_outputs({"cluster_id": self.cluster.id})


wh = Warehouse("population-health", logs_bucket="ph-audit-logs")
pulumi.export("cluster", wh.cluster.id)
