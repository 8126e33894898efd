import pulumi
import pulumi_aws as aws


class AuditedWarehouse(pulumi.ComponentResource):
    def __init__(self, name, log_bucket, opts=None):
        super().__init__("hipaa:dw:AuditedWarehouse", name, None, opts)
        self.cluster = aws.redshift.Cluster(
            f"{name}-rs",
            cluster_identifier=f"{name}-rs",
            node_type="dc2.large",
            cluster_type="single-node",
            master_username="admin_user",
            manage_master_password=True,
            encrypted=True,
            logging=aws.redshift.ClusterLoggingArgs(enable=True, bucket_name=log_bucket,
                                                    log_exports=["connectionlog", "userlog"],
                                                    log_destination_type="s3"),
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({})


AuditedWarehouse("quality", "quality-rs-logs")
