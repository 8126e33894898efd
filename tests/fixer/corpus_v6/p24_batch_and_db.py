import pulumi
import pulumi_aws as aws

env = aws.batch.ComputeEnvironment("etl-env", compute_environment_name="etl", type="UNMANAGED")
db = aws.rds.Instance("etl-target", engine="postgres", instance_class="db.t3.micro", allocated_storage=20,
                      name="etl", username="etl_user", manage_master_user_password=True,
                      storage_encrypted=True, skip_final_snapshot=True)
pulumi.export("env", env.arn)
pulumi.export("db", db.endpoint)
