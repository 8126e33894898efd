import pulumi
import pulumi_aws as aws

name = pulumi.get_stack()
ip = aws.ec2.Eip(f"{name}-portal-ip", vpc=True)
db = aws.rds.Instance(f"{name}-portal-db", engine="postgres", instance_class="db.t4g.medium", allocated_storage=30,
                      name="portal", username="portal", manage_master_user_password=True, storage_encrypted=True,
                      skip_final_snapshot=True)
logs = aws.s3.Bucket(f"{name}-portal-logs")
assets = aws.s3.Bucket(f"{name}-portal-assets", loggings=[{"target_bucket": logs.id}])
pulumi.export("ip", ip.public_ip)
pulumi.export("db", db.endpoint)
