"""ECS clusters: Service Connect defaults must point at a Cloud Map namespace by ARN."""
from policypack import arns
from policypack import resource_types as T
from policypack.policy import Example, resource_policy

_NAMESPACE_ARN = "arn:aws:servicediscovery:us-east-1:210987654321:namespace/ns-abcd1234efgh5678"


@resource_policy(
    name="ecs-service-connect-namespace-arn",
    description="An ECS cluster's Service Connect default namespace must be a Cloud Map namespace ARN.",
    resource_types=T.ECS_CLUSTER,
    severity="high", group="deploy",
    remediation="Create an aws.servicediscovery.PrivateDnsNamespace (or HttpNamespace) and pass its .arn as "
                "service_connect_defaults.namespace.",
    violating=[
        Example({"serviceConnectDefaults": {"namespace": "healthcare-dev.local"}}, note="seed 001: a DNS name"),
        Example({"serviceConnectDefaults": {"namespace": "arn:aws:ecs:us-east-1:210987654321:cluster/other"}},
                note="an ARN, but not of a Cloud Map namespace"),
    ],
    compliant=[
        Example({"serviceConnectDefaults": {"namespace": _NAMESPACE_ARN}}),
        Example({"serviceConnectDefaults": {"namespace": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"}},
                note="unknown at preview: the ARN of a namespace created in the stack"),
        Example({"name": "cluster"}, note="no Service Connect defaults"),
    ],
)
def ecs_service_connect_namespace_arn(r):
    for defaults in r.props.each("serviceConnectDefaults"):
        namespace = defaults.get_str("namespace")
        if namespace is None:
            continue
        arn = arns.parse(namespace)
        if arn is None:
            yield (f"serviceConnectDefaults.namespace {defaults.show('namespace')} is not an ARN: the provider "
                   "refuses it ('invalid ARN'); pass a Cloud Map namespace's arn, not its DNS name.")
        elif arn.service != "servicediscovery" or not arn.resource.startswith("namespace/"):
            yield (f"serviceConnectDefaults.namespace {defaults.show('namespace')} is not a Cloud Map namespace ARN "
                   "(arn:aws:servicediscovery:<region>:<account>:namespace/ns-...).")
