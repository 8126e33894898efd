import json

import pulumi
import pulumi_aws as aws

logs = aws.cloudwatch.LogGroup("p06-logs", retention_in_days=90)
definitions = pulumi.Output.all(logs.name, aws.get_region_output().name).apply(lambda args: json.dumps([{
    "name": "app", "image": "nginx:1.27", "essential": True, "cpu": 256, "memory": 512,
    "portMappings": [{"containerPort": 80, "protocol": "tcp"}],
    "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": args[0], "awslogs-region": args[1]}},
}]))
task = aws.ecs.TaskDefinition("p06-task", family="p06-task", cpu="256", memory="512", network_mode="awsvpc",
                              requires_compatibilities=["FARGATE"], container_definitions=definitions)
task.container_definitions.apply(lambda text: json.loads(text)[0]["name"])
