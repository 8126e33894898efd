"""Seed 001: an ECS cluster whose Service Connect default namespace is a DNS name; ECS answers
`"service_connect_defaults.0.namespace" (healthcare.local) is an invalid ARN`. The fix is the ARN of an
`aws.servicediscovery.PrivateDnsNamespace`. ecs-service-connect-namespace-arn is the only expected
finding."""

import pulumi_aws as aws

aws.ecs.Cluster(
    "portal-cluster",
    settings=[aws.ecs.ClusterSettingArgs(name="containerInsights", value="enabled")],
    service_connect_defaults=aws.ecs.ClusterServiceConnectDefaultsArgs(
        namespace="healthcare.local",  # the defect under test
    ),
)
