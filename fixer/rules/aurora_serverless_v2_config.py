from ..names import ast_dotted, cst_dotted
from ..rule import CstRule, Example, SAFE, keyword_arg, literal_string

CLUSTER, INSTANCE = "pulumi_aws.rds.Cluster", "pulumi_aws.rds.ClusterInstance"
SCALING = "serverlessv2_scaling_configuration"


def _v2_clusters(ctx) -> set:
    """Dotted names bound to rds.Cluster calls that carry a serverless v2 scaling configuration."""
    return {c.target for c in ctx.facts.calls_to(CLUSTER) if SCALING in c.keywords and c.target}


def _instance_cluster(keywords) -> str | None:
    value = keywords.get("cluster_identifier")
    return value and ast_dotted(getattr(value, "value", None))


class AuroraServerlessV2Config(CstRule):
    NAME = "aurora-serverless-v2-config"
    DESCRIPTION = ("`engine_mode=\"serverless\"` beside a serverless v2 scaling configuration -> `\"provisioned\"`; "
                   "its instances -> `instance_class=\"db.serverless\"`")
    WHY = ("Aurora Serverless v2 runs in provisioned mode on `db.serverless` instances: AWS rejects the cluster with "
           "`InvalidParameterCombination` otherwise (engine mode 'serverless' is v1).")
    SAFETY = SAFE
    REFERENCES = ["https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-serverless-v2.create.html"]
    VALID = ["import pulumi_aws as aws\nc = aws.rds.Cluster('c', engine='aurora-postgresql', engine_mode='provisioned',"
             " serverlessv2_scaling_configuration={'min_capacity': 0.5, 'max_capacity': 2})\n"]
    INVALID = [Example(
        "import pulumi_aws as aws\n\ncluster = aws.rds.Cluster(\n    'db',\n    engine='aurora-postgresql',\n"
        "    engine_mode='serverless',  # v2\n    serverlessv2_scaling_configuration={'min_capacity': 0.5, 'max_capacity': 2},\n)\n"
        "node = aws.rds.ClusterInstance('db-1', cluster_identifier=cluster.id, instance_class='db.r6g.large',"
        " engine='aurora-postgresql')\n",
        "import pulumi_aws as aws\n\ncluster = aws.rds.Cluster(\n    'db',\n    engine='aurora-postgresql',\n"
        "    engine_mode='provisioned',  # v2\n    serverlessv2_scaling_configuration={'min_capacity': 0.5, 'max_capacity': 2},\n)\n"
        "node = aws.rds.ClusterInstance('db-1', cluster_identifier=cluster.id, instance_class=\"db.serverless\","
        " engine='aurora-postgresql')\n")]

    @classmethod
    def applies(cls, ctx):
        v2 = _v2_clusters(ctx)
        return any(SCALING in c.keywords and c.const("engine_mode") == "serverless" for c in ctx.facts.calls_to(CLUSTER)) \
            or any(_instance_cluster(c.keywords) in v2 and c.const("instance_class") != "db.serverless"
                   for c in ctx.facts.calls_to(INSTANCE))

    def visit_Call(self, node):
        import libcst as cst
        qual = self.resolve(node.func)
        if qual == CLUSTER and keyword_arg(node, SCALING):
            arg = keyword_arg(node, "engine_mode")
            if arg is not None and literal_string(arg.value) == "serverless":
                self.report(arg, "Aurora Serverless v2 needs engine_mode \"provisioned\" (\"serverless\" is v1)",
                            replace=lambda u: u.with_changes(value=_same_quotes(u.value, "provisioned")))
        elif qual == INSTANCE:
            cluster = keyword_arg(node, "cluster_identifier")
            target = cst_dotted(cluster.value.value) if cluster and isinstance(cluster.value, cst.Attribute) else None
            arg = keyword_arg(node, "instance_class")
            if target in _v2_clusters(self.ctx) and arg is not None and literal_string(arg.value) != "db.serverless" \
                    and literal_string(arg.value) is not None:
                self.report(arg, "instances of a serverless v2 cluster need instance_class \"db.serverless\"",
                            replace=lambda u: u.with_changes(value=cst.SimpleString('"db.serverless"')))


def _same_quotes(string_node, value: str):
    quote = string_node.quote if hasattr(string_node, "quote") else '"'
    return string_node.with_changes(value=f"{string_node.prefix}{quote}{value}{quote}")
