import pulumi_aws as aws

cluster = aws.ecs.Cluster("p07-cluster")
namespace = aws.servicediscovery.HttpNamespace("p07-ns", name="p07.local")
aws.ecs.Service(
    "p07-service",
    cluster=cluster.arn,
    desired_count=1,
    launch_type="FARGATE",
    task_definition="p07-task:1",
    network_configuration={"subnets": ["subnet-0123456789abcdef0"], "assign_public_ip": False},
    service_connect_configuration={
        "enabled": True,
        "namespace": namespace.arn,
        "services": [{"port_name": "http", "discovery_name": "api",
                      "client_alias": {"port": 8080, "dns_name": "api.p07.local"}}],
    },
)
