import ast

from ..names import ast_dotted
from ..rule import AstRule, Example

CLUSTER = "pulumi_aws.ecs.Cluster"
DEFAULTS = "service_connect_defaults"


def _namespace_value(facts, defaults):
    """The ``namespace`` given in a ClusterServiceConnectDefaultsArgs(...) call or dict literal, if any."""
    if isinstance(defaults, ast.Call):
        qual = facts.names.resolve(ast_dotted(defaults.func))
        if qual is None or not qual.endswith("ServiceConnectDefaultsArgs"):
            return None
        return next((k.value for k in defaults.keywords if k.arg == "namespace"), None)
    if isinstance(defaults, ast.Dict):
        return next((v for k, v in zip(defaults.keys, defaults.values)
                     if isinstance(k, ast.Constant) and k.value == "namespace"), None)
    return None


def _dns_name(node) -> bool:
    """A string literal or f-string that does not start like an ARN."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return not node.value.startswith("arn:")
    if isinstance(node, ast.JoinedStr):
        head = node.values[0] if node.values else None
        return not (isinstance(head, ast.Constant) and str(head.value).startswith("arn:"))
    return False


class ServiceConnectNamespaceString(AstRule):
    NAME = "service-connect-namespace-string"
    DESCRIPTION = ("an ECS cluster's Service Connect default `namespace` given as a DNS name (`\"healthcare.local\"`) "
                   "instead of a Cloud Map namespace ARN")
    WHY = ("The cluster's `service_connect_defaults.namespace` must be the ARN of a Cloud Map namespace: `error: "
           "\"service_connect_defaults.0.namespace\" (healthcare.local) is an invalid ARN: arn: invalid prefix`. Create "
           "an `aws.servicediscovery.PrivateDnsNamespace(name=\"healthcare.local\", vpc=...)` and pass its `.arn`.")
    REFERENCES = ["https://www.pulumi.com/registry/packages/aws/api-docs/ecs/cluster/#clusterserviceconnectdefaults",
                  "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-concepts.html"]
    VALID = ["import pulumi_aws as aws\nns = aws.servicediscovery.PrivateDnsNamespace('ns', name='app.local', "
             "vpc=vpc_id)\naws.ecs.Cluster('c', service_connect_defaults={'namespace': ns.arn})\n",
             "import pulumi_aws as aws\naws.ecs.Cluster('c', service_connect_defaults=aws.ecs.ClusterServiceConnect"
             "DefaultsArgs(namespace='arn:aws:servicediscovery:us-east-1:210987654321:namespace/ns-abc'))\n"]
    INVALID = [
        Example("import pulumi_aws as aws\n\nenv = 'dev'\ncluster = aws.ecs.Cluster(\n    'cluster',\n"
                "    service_connect_defaults=aws.ecs.ClusterServiceConnectDefaultsArgs(\n"
                "        namespace=f'healthcare-{env}.local',\n    ),\n)\n"),
        Example("from pulumi_aws import ecs\necs.Cluster('c', service_connect_defaults={'namespace': 'healthcare.local'})\n"),
    ]

    @classmethod
    def applies(cls, ctx):
        return any(DEFAULTS in c.keywords for c in ctx.facts.calls_to(CLUSTER))

    def check(self):
        for call in self.ctx.facts.calls_to(CLUSTER):
            value = _namespace_value(self.ctx.facts, call.keywords.get(DEFAULTS))
            if value is not None and _dns_name(value):
                self.report_at(value, "Service Connect `namespace` must be a Cloud Map namespace ARN, not a DNS name: "
                                      "create aws.servicediscovery.PrivateDnsNamespace(name=..., vpc=...) and pass "
                                      "its .arn")
