import pulumi
import pulumi_aws as aws


class TaskRole(pulumi.ComponentResource):
    def __init__(self, name, service, opts=None):
        super().__init__("p14:app:TaskRole", name, None, opts)
        self.role = aws.iam.Role(f"{name}-role", assume_role_policy={"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}]},
            opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({"arn": self.role.arn})


class Service(pulumi.ComponentResource):
    def __init__(self, name, opts=None):
        super().__init__("p14:app:Service", name, None, opts)
        self.task_role = TaskRole(f"{name}-task", "ecs-tasks.amazonaws.com", opts=pulumi.ResourceOptions(parent=self))
        self.logs = aws.cloudwatch.LogGroup(f"{name}-logs", retention_in_days="30",
                                            opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({})


Service("p14-api")
