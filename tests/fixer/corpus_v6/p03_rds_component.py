import pulumi
import pulumi_aws as aws


class PatientDatabase(pulumi.ComponentResource):
    def __init__(self, name: str, subnet_ids, opts=None):
        super().__init__("hipaa:data:PatientDatabase", name, None, opts)
        key = aws.kms.Key(f"{name}-key", description=f"{name} at rest", enable_key_rotation=True,
                          opts=pulumi.ResourceOptions(parent=self))
        subnets = aws.rds.SubnetGroup(f"{name}-subnets", subnet_ids=subnet_ids,
                                      opts=pulumi.ResourceOptions(parent=self))
        self.instance = aws.rds.Instance(
            f"{name}-db",
            engine="postgres",
            engine_version="16.3",
            instance_class="db.t3.medium",
            allocated_storage=50,
            name="patients",  # initial database
            username="clinicadmin",
            manage_master_user_password=True,
            storage_encrypted=True,
            kms_key_id=key.arn,
            db_subnet_group_name=subnets.name,
            backup_retention_period=14,
            skip_final_snapshot=False,
            opts=pulumi.ResourceOptions(parent=self),
        )
        self.register_outputs({"endpoint": self.instance.endpoint})


db = PatientDatabase("records", subnet_ids=["subnet-a", "subnet-b"])
pulumi.export("db_endpoint", db.instance.endpoint)
