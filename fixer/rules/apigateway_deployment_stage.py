from ..keywords import accepted
from ..names import cst_dotted
from ..rule import CstRule, Example, UNSAFE, keyword_arg, rebuild_args

DEPLOYMENT, STAGE = "pulumi_aws.apigateway.Deployment", "pulumi_aws.apigateway.Stage"
# Deployment keyword -> Stage keyword, for the stage settings pulumi-aws 7 removed from Deployment.
MOVED = {"stage_name": "stage_name", "stage_description": "description"}


def moved_keywords(index) -> dict:
    """The entries of ``MOVED`` the installed provider confirms: Deployment lacks them, Stage has them."""
    on_deployment, on_stage = accepted(index, DEPLOYMENT), accepted(index, STAGE)
    if not on_deployment or not on_stage:
        return {}
    return {old: new for old, new in MOVED.items() if old not in on_deployment and new in on_stage}


class ApigatewayDeploymentStage(CstRule):
    NAME = "apigateway-deployment-stage"
    DESCRIPTION = ("`apigateway.Deployment(stage_name=...)` (removed in pulumi-aws 7) -> the stage settings moved to a "
                   "separate `apigateway.Stage(deployment=..., rest_api=..., stage_name=...)`")
    WHY = ("pulumi-aws 7 removed `stage_name` (and `stage_description`) from `apigateway.Deployment`: `TypeError: "
           "Deployment._internal_init() got an unexpected keyword argument 'stage_name'`. A stage is its own resource "
           "now. Applied only when the installed Deployment lacks the keyword and Stage has it.")
    SAFETY = UNSAFE
    REFERENCES = ["https://www.pulumi.com/registry/packages/aws/how-to-guides/7-0-migration/",
                  "https://www.pulumi.com/registry/packages/aws/api-docs/apigateway/stage/"]
    VALID = ["import pulumi_aws as aws\napi = aws.apigateway.RestApi('api')\n"
             "dep = aws.apigateway.Deployment('dep', rest_api=api.id)\n"
             "aws.apigateway.Stage('prod', deployment=dep.id, rest_api=api.id, stage_name='prod')\n"]
    INVALID = [
        Example("import pulumi_aws as aws\n\napi = aws.apigateway.RestApi('api')\n"
                "deployment = aws.apigateway.Deployment(\n    'api-deployment',\n    rest_api=api.id,\n"
                "    stage_name='prod',  # the public stage\n)\n"
                "pulumi_export = deployment.invoke_url\n",
                "import pulumi_aws as aws\n\napi = aws.apigateway.RestApi('api')\n"
                "deployment = aws.apigateway.Deployment(\n    'api-deployment',\n    rest_api=api.id,\n)\n"
                "deployment_stage = aws.apigateway.Stage('api-deployment-stage', deployment=deployment.id, "
                "rest_api=api.id, stage_name='prod')  # the public stage\n"
                "pulumi_export = deployment.invoke_url\n", unsafe=True),
        Example("from pulumi_aws import apigateway\n\n\nclass Api:\n    def __init__(self, name, api):\n"
                "        self.deployment = apigateway.Deployment(f'{name}-dep', rest_api=api.id, stage_name='v1',\n"
                "                                                stage_description='first')\n",
                "from pulumi_aws import apigateway\n\n\nclass Api:\n    def __init__(self, name, api):\n"
                "        self.deployment = apigateway.Deployment(f'{name}-dep', rest_api=api.id)\n"
                "        self.deployment_stage = apigateway.Stage(f'{name}-dep-stage', deployment=self.deployment.id, "
                "rest_api=api.id, stage_name='v1', description='first')\n", unsafe=True),
        Example("import pulumi_aws as aws\naws.apigateway.Deployment('d', rest_api='abc123', stage_name='prod')\n", None),
        # the classes imported by name: Stage is imported too; the Deployment's parent is shared
        Example("import pulumi\nfrom pulumi_aws.apigateway import Deployment, RestApi\n\napi = RestApi('api')\n"
                "dep = Deployment('dep', rest_api=api.id, stage_name='prod', opts=pulumi.ResourceOptions(parent=api))\n",
                "import pulumi\nfrom pulumi_aws.apigateway import Stage, Deployment, RestApi\n\napi = RestApi('api')\n"
                "dep = Deployment('dep', rest_api=api.id, opts=pulumi.ResourceOptions(parent=api))\n"
                "dep_stage = Stage('dep-stage', deployment=dep.id, rest_api=api.id, stage_name='prod', "
                "opts=pulumi.ResourceOptions(parent=api))\n", unsafe=True),
    ]

    @classmethod
    def applies(cls, ctx):
        moved = moved_keywords(ctx.index)
        return bool(moved) and any(set(c.keywords) & set(moved) for c in ctx.facts.calls_to(DEPLOYMENT))

    def visit_SimpleStatementLine(self, node):
        import libcst as cst
        stmt = node.body[0] if len(node.body) == 1 else None
        if isinstance(stmt, cst.Assign) and len(stmt.targets) == 1 and isinstance(stmt.value, cst.Call) and \
                self.resolve(stmt.value.func) == DEPLOYMENT and cst_dotted(stmt.targets[0].target):
            self._fix(node, stmt.value, cst_dotted(stmt.targets[0].target))

    def visit_Call(self, node):
        import libcst as cst
        parent = self.parent_of(node)
        if self.resolve(node.func) != DEPLOYMENT or (isinstance(parent, cst.Assign) and cst_dotted(
                parent.targets[0].target) and isinstance(self.parent_of(parent), cst.SimpleStatementLine)
                and len(self.parent_of(parent).body) == 1):
            return  # an assigned Deployment is handled at its statement
        for arg in self._moved_args(node):
            self.report(arg, f"apigateway.Deployment has no `{arg.keyword.value}` in pulumi-aws 7: create an "
                             "apigateway.Stage for this deployment (assign the Deployment to a name to get it "
                             "fixed)")

    def _moved_args(self, call):
        moved = moved_keywords(self.ctx.index)
        return [a for a in call.args if a.keyword and a.keyword.value in moved]

    def _fix(self, statement, call, target):
        import libcst as cst
        args = self._moved_args(call)
        if not args:
            return
        rest_api, name = keyword_arg(call, "rest_api"), next((a for a in call.args if a.keyword is None), None)
        stage_target = _free_name(self.ctx, f"{target}_stage")
        if rest_api is None or name is None or name.star or stage_target is None:
            for arg in args:
                self.report(arg, f"apigateway.Deployment has no `{arg.keyword.value}` in pulumi-aws 7: create an "
                                 "apigateway.Stage with deployment=..., rest_api=... and stage_name=...")
            return
        moved = moved_keywords(self.ctx.index)
        stage_func, imports = _stage_reference(self.ctx, call.func)
        shared_opts = _shareable_opts(keyword_arg(call, "opts"))

        def replace(updated):
            stmt = updated.body[0]
            dep = stmt.value
            kept = rebuild_args(dep.args, lambda a: [] if a.keyword and a.keyword.value in moved else [a])
            new_stmt = updated.with_changes(body=[stmt.with_changes(value=dep.with_changes(args=kept))])
            code = cst.Module([]).code_for_node
            name_arg = next(a for a in dep.args if a.keyword is None)
            stage_args = [f"{_suffixed(name_arg.value, '-stage')}", f"deployment={target}.id",
                          f"rest_api={code(keyword_arg(dep, 'rest_api').value)}"]
            stage_args += [f"{moved[a.keyword.value]}={code(a.value)}" for a in dep.args
                           if a.keyword and a.keyword.value in moved]
            stage_args += [f"opts={code(shared_opts)}"] if shared_opts is not None else []
            comments = [c for a in dep.args if a.keyword and a.keyword.value in moved for c in _trailing_comments(a)]
            comment = "  " + " ".join(comments) if comments else ""  # the moved keywords' comments go with them
            stage = cst.parse_statement(f"{stage_target} = {stage_func}({', '.join(stage_args)}){comment}\n")
            return cst.FlattenSentinel([new_stmt, stage])
        first = True
        for arg in args:
            self.report(arg, f"apigateway.Deployment has no `{arg.keyword.value}` in pulumi-aws 7: moved to a new "
                             f"apigateway.Stage `{stage_target}`",
                        replace=replace if first else (lambda u: u), target=statement,
                        imports=imports if first else ())
            first = False


def _trailing_comments(arg) -> list:
    """The end-of-line comments of an argument (after its comma, or after it when it is the last one)."""
    import libcst as cst
    found = []
    for ws in (getattr(arg.comma, "whitespace_after", None), arg.whitespace_after_arg):
        if isinstance(ws, cst.ParenthesizedWhitespace) and ws.first_line.comment is not None:
            found.append(ws.first_line.comment.value)
    return found


def _stage_reference(ctx, func) -> tuple:
    """How the new code names apigateway.Stage, and the import it needs: beside the Deployment's own module
    reference (``aws.apigateway.Deployment`` -> ``aws.apigateway.Stage``), else through the file's imports."""
    import libcst as cst
    if isinstance(func, cst.Attribute):
        return cst.Module([]).code_for_node(func.value) + ".Stage", ()
    for qual, suffix in ((STAGE, ""), ("pulumi_aws.apigateway", ".Stage"), ("pulumi_aws", ".apigateway.Stage")):
        local = ctx.names.local_name_for(qual)
        if local:
            return local + suffix, ()
    if "Stage" not in ctx.names.aliases and "Stage" not in {t for t, _, _ in ctx.facts.assignments}:
        return "Stage", (("pulumi_aws.apigateway", "Stage", None),)
    return "pulumi_aws.apigateway.Stage", (("pulumi_aws.apigateway", None, None),)


SHARED_OPTIONS = frozenset({"parent", "provider", "depends_on", "protect"})


def _shareable_opts(arg):
    """The Deployment's ``opts`` when the Stage can take the same (a name, or ResourceOptions with only parent /
    provider / depends_on / protect): the stage then lives under the same parent and provider."""
    import libcst as cst
    if arg is None:
        return None
    value = arg.value
    if isinstance(value, (cst.Name, cst.Attribute)):
        return value
    if isinstance(value, cst.Call) and cst_dotted(value.func) and cst_dotted(value.func).endswith("ResourceOptions") \
            and all(a.keyword is not None and a.keyword.value in SHARED_OPTIONS for a in value.args):
        return value
    return None


def _suffixed(name_node, suffix: str) -> str:
    """Source of the resource name ``name_node`` with ``suffix`` appended."""
    import libcst as cst
    code = cst.Module([]).code_for_node(name_node)
    if isinstance(name_node, (cst.SimpleString, cst.FormattedString)) and not name_node.lpar:
        quote = name_node.quote if isinstance(name_node, cst.SimpleString) else name_node.end
        return code[: -len(quote)] + suffix + quote
    return f"{code} + {suffix!r}"


def _free_name(ctx, dotted: str) -> str | None:
    """``dotted``, or with a number appended, if the file does not use it yet."""
    used = {t for t, _, _ in ctx.facts.assignments} | set(ctx.names.aliases)
    for candidate in [dotted] + [f"{dotted}{i}" for i in range(2, 10)]:
        if candidate not in used:
            return candidate
    return None
