"""Python twin of ../ward_js: the same resources, names and values, for comparing findings."""
import pulumi
import pulumi_aws as aws


class RecordsStore(pulumi.ComponentResource):
    def __init__(self, name, password, opts=None):
        super().__init__("ward:storage:RecordsStore", name, {}, opts)
        child = pulumi.ResourceOptions(parent=self)
        vpc = aws.ec2.Vpc(f"{name}-vpc", cidr_block="10.20.0.0/16", enable_dns_hostnames=True, opts=child)
        subnets = [
            aws.ec2.Subnet(f"{name}-private-{i}", vpc_id=vpc.id, cidr_block=f"10.20.{i}.0/24",
                           availability_zone=zone, opts=child)
            for i, zone in enumerate(["us-east-1a", "us-east-1b"])
        ]
        key = aws.kms.Key(f"{name}-key", description="ward records", enable_key_rotation=True,
                          deletion_window_in_days=30, opts=child)
        aws.cloudwatch.LogGroup(f"{name}-audit", kms_key_id=key.arn, retention_in_days=365, opts=child)
        group = aws.rds.SubnetGroup(f"{name}-db-subnets", subnet_ids=[s.id for s in subnets], opts=child)
        self.db = aws.rds.Instance(
            f"{name}-db", engine="postgres", engine_version="15.5", instance_class="db.t4g.medium",
            allocated_storage=20, db_subnet_group_name=group.name, username="records", password=password,
            storage_encrypted=True, kms_key_id=key.arn, backup_retention_period=30, multi_az=True,
            deletion_protection=True, skip_final_snapshot=False, final_snapshot_identifier=f"{name}-db-final",
            copy_tags_to_snapshot=True, iam_database_authentication_enabled=True,
            enabled_cloudwatch_logs_exports=["postgresql", "upgrade"], opts=child)
        self.register_outputs({"endpoint": self.db.endpoint})


config = pulumi.Config()
store = RecordsStore("ward", config.require_secret("dbPassword"))
pulumi.export("endpoint", store.db.endpoint)
