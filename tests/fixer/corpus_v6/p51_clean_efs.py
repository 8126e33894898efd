import pulumi
import pulumi_aws as aws

fs = aws.efs.FileSystem("scans-share", encrypted=True,
                        lifecycle_policies=[aws.efs.FileSystemLifecyclePolicyArgs(transition_to_ia="AFTER_30_DAYS")])
for i, subnet in enumerate(["subnet-1", "subnet-2"]):
    aws.efs.MountTarget(f"scans-share-mt-{i}", file_system_id=fs.id, subnet_id=subnet)
pulumi.export("fs", fs.id)
