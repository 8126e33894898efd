"""Telehealth backend: video session metadata, analytics and partner API."""
import pulumi
import pulumi_aws as aws

stack = pulumi.get_stack()
ops = aws.Provider("ops", region="us-east-1", assume_role={"role_arn": "arn:aws:iam::123456789012:role/ops"})
logs = aws.s3.Bucket(f"telehealth-{stack}-logs", opts=pulumi.ResourceOptions(provider=ops))
recordings = aws.s3.Bucket(f"telehealth-{stack}-recordings",
                           loggings=[aws.s3.BucketLoggingArgs(target_bucket=logs.id, target_prefix="recordings/")],
                           opts=pulumi.ResourceOptions(provider=ops))
media_ip = aws.ec2.Eip(f"telehealth-{stack}-media", vpc=True, opts=pulumi.ResourceOptions(provider=ops))
meta = aws.rds.Instance(f"telehealth-{stack}-meta", engine="postgres", instance_class="db.t3.medium",
                        allocated_storage=50, name="sessions", username="telehealth",
                        manage_master_user_password=True, storage_encrypted=True, skip_final_snapshot=True,
                        opts=pulumi.ResourceOptions(provider=ops))
analytics = aws.redshift.Cluster(f"telehealth-{stack}-dw", cluster_identifier=f"telehealth-{stack}-dw",
                                 node_type="ra3.xlplus", master_username="dw", manage_master_password=True,
                                 encrypted=True, logging={"enable": True, "bucket_name": logs.bucket},
                                 opts=pulumi.ResourceOptions(provider=ops))
pulumi.export("media_ip", media_ip.public_ip)
