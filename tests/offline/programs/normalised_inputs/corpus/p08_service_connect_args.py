import pulumi_aws as aws

cluster = aws.ecs.Cluster("p08-cluster")
aws.ecs.Service(
    "p08-service",
    cluster=cluster.arn,
    desired_count=2,
    launch_type="FARGATE",
    task_definition="p08-task:1",
    network_configuration=aws.ecs.ServiceNetworkConfigurationArgs(subnets=["subnet-0123456789abcdef0"]),
    service_connect_configuration=aws.ecs.ServiceServiceConnectConfigurationArgs(
        enabled=True,
        namespace="arn:aws:servicediscovery:us-east-1:210987654321:namespace/ns-0123456789abcdef",
        services=[aws.ecs.ServiceServiceConnectConfigurationServiceArgs(
            port_name="http",
            client_alias=aws.ecs.ServiceServiceConnectConfigurationServiceClientAliasArgs(port=80, dns_name="web"),
        )],
    ),
)
