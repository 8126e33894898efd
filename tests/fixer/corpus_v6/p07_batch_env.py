import pulumi
import pulumi_aws as aws

service_role = aws.iam.Role("claims-batch-service", assume_role_policy="""{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Principal": {"Service": "batch.amazonaws.com"}, "Action": "sts:AssumeRole"}]
}""")
aws.iam.RolePolicyAttachment("claims-batch-service-policy", role=service_role.name,
                             policy_arn="arn:aws:iam::aws:policy/service-role/AWSBatchServiceRole")

compute = aws.batch.ComputeEnvironment(
    "claims-batch",
    compute_environment_name="claims-batch",
    type="MANAGED",
    service_role=service_role.arn,
    compute_resources=aws.batch.ComputeEnvironmentComputeResourcesArgs(
        type="FARGATE",
        max_vcpus=16,
        subnets=["subnet-0a1", "subnet-0b2"],
        security_group_ids=["sg-0c3"],
    ),
)
queue = aws.batch.JobQueue("claims-queue", state="ENABLED", priority=1,
                           compute_environment_orders=[aws.batch.JobQueueComputeEnvironmentOrderArgs(
                               order=1, compute_environment=compute.arn)])
pulumi.export("queue", queue.arn)
