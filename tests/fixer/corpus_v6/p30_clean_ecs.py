import json

import pulumi
import pulumi_aws as aws

cluster = aws.ecs.Cluster("portal", settings=[aws.ecs.ClusterSettingArgs(name="containerInsights", value="enabled")])
logs = aws.cloudwatch.LogGroup("portal-logs", retention_in_days=365)
task = aws.ecs.TaskDefinition(
    "portal-task", family="portal", cpu="256", memory="512", network_mode="awsvpc",
    requires_compatibilities=["FARGATE"],
    container_definitions=logs.name.apply(lambda group: json.dumps([{
        "name": "web", "image": "nginx:1.27", "essential": True,
        "logConfiguration": {"logDriver": "awslogs", "options": {"awslogs-group": group,
                                                                 "awslogs-region": "us-east-1",
                                                                 "awslogs-stream-prefix": "web"}},
    }])),
)
pulumi.export("task", task.arn)
