import pulumi
import pulumi_aws as aws

tenants = ["north", "south", "east"]
databases = {}
for tenant in tenants:
    databases[tenant] = aws.rds.Instance(
        f"{tenant}-ehr",
        engine="mysql",
        engine_version="8.0",
        instance_class="db.t3.small",
        allocated_storage=20,
        name=f"{tenant}_ehr",
        username="ehradmin",
        manage_master_user_password=True,
        storage_encrypted=True,
        backup_retention_period=7,
        deletion_protection=True,
        skip_final_snapshot=True,
    )

pulumi.export("endpoints", {t: db.address for t, db in databases.items()})
