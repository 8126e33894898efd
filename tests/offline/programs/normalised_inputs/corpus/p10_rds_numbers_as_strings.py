import pulumi_aws as aws

aws.rds.Instance(
    "p10-db",
    engine="postgres",
    engine_version="16.4",
    instance_class="db.t3.micro",
    allocated_storage="20",
    port="5432",
    backup_retention_period="7",
    storage_encrypted=True,
    username="appadmin",
    manage_master_user_password=True,
    skip_final_snapshot=True,
)
