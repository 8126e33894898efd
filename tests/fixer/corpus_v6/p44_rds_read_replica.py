import pulumi
import pulumi_aws as aws

primary = aws.rds.Instance("scheduling-primary", engine="postgres", engine_version="15.7",
                           instance_class="db.r6g.large", allocated_storage=100, name="scheduling",
                           username="sched_admin", manage_master_user_password=True, storage_encrypted=True,
                           backup_retention_period=14, multi_az=True, skip_final_snapshot=True)
replica = aws.rds.Instance("scheduling-replica", replicate_source_db=primary.identifier,
                           instance_class="db.r6g.large", storage_encrypted=True, skip_final_snapshot=True)
pulumi.export("replica", replica.address)
