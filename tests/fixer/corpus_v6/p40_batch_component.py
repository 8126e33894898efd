import pulumi
import pulumi_aws as aws


class EtlPlatform(pulumi.ComponentResource):
    def __init__(self, name, subnets, opts=None):
        super().__init__("hipaa:etl:Platform", name, None, opts)
        opts_child = pulumi.ResourceOptions(parent=self)
        self.env = aws.batch.ComputeEnvironment(
            f"{name}-compute",
            compute_environment_name=f"{name}-compute",
            type="MANAGED",
            compute_resources=aws.batch.ComputeEnvironmentComputeResourcesArgs(
                type="FARGATE", max_vcpus=32, subnets=subnets, security_group_ids=["sg-etl"]),
            opts=opts_child,
        )
        self.queue = aws.batch.JobQueue(f"{name}-queue", state="ENABLED", priority=10,
                                        compute_environment_orders=[{"order": 1, "compute_environment": self.env.arn}],
                                        opts=opts_child)
        self.register_outputs({"queue": self.queue.arn})


platform = EtlPlatform("hl7-etl", ["subnet-x", "subnet-y"])
pulumi.export("queue", platform.queue.arn)
