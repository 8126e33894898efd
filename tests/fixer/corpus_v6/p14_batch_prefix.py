import pulumi
import pulumi_aws as aws

def compute_env(prefix: str, max_vcpus: int):
    return aws.batch.ComputeEnvironment(
        f"{prefix}-env",
        compute_environment_name_prefix=f"{prefix}-",
        type="MANAGED",
        compute_resources={
            "type": "FARGATE_SPOT",
            "max_vcpus": max_vcpus,
            "subnets": ["subnet-1", "subnet-2"],
            "security_group_ids": ["sg-1"],
        },
    )


genomics = compute_env("genomics", 256)
reports = compute_env("reports", 8)
pulumi.export("envs", [genomics.arn, reports.arn])
