import pulumi
import pulumi_aws as aws


class ClinicDatabases(pulumi.ComponentResource):
    def __init__(self, name, clinics, opts=None):
        super().__init__("hipaa:data:ClinicDatabases", name, None, opts)
        self.instances = {}
        for clinic in clinics:
            self.instances[clinic] = aws.rds.Instance(
                f"{name}-{clinic}",
                engine="mariadb",
                instance_class="db.t3.small",
                allocated_storage=20,
                name=clinic.replace("-", "_"),
                username="clinic_admin",
                manage_master_user_password=True,
                storage_encrypted=True,
                skip_final_snapshot=True,
                opts=pulumi.ResourceOptions(parent=self),
            )
        self.register_outputs({})


dbs = ClinicDatabases("clinics", ["river-side", "hill-top"])
pulumi.export("clinic_dbs", {k: v.endpoint for k, v in dbs.instances.items()})
