"""Output properties and function results the provider renamed between majors."""
from ..api_history import candidates
from ..names import ast_dotted
from ..provider_index import OUTPUT_METHODS, RESOURCE_BASE_ATTRIBUTES
from ..rule import CstRule, Example, SAFE


def valid_attributes(index, kind: str, qual: str) -> set:
    if kind == "resource":
        return set(index.resource(qual)["outputs"]) | RESOURCE_BASE_ATTRIBUTES
    entry = index.function(qual)
    return set(entry["result"]) | (OUTPUT_METHODS if entry["output"] else set())


def renamed_attribute(index, kind: str, qual: str, attr: str) -> str | None:
    """The one valid new name of output/result ``attr`` of ``qual`` in the installed index, per the history."""
    if kind not in ("resource", "function") or (index.resource(qual) if kind == "resource" else index.function(qual)) is None:
        return None
    valid = valid_attributes(index, kind, qual)
    if attr in valid:
        return None
    owner = qual[: -len("_output")] if kind == "function" and qual.endswith("_output") else qual
    answers = {e["to"] for e in candidates("output" if kind == "resource" else "result", owner, attr)
               if e["to"] and e["to"] in valid}
    return answers.pop() if len(answers) == 1 else None


def linked_holder(ctx, receiver: str, attr: str) -> str | None:
    """The one variable assigned a resource that links to ``receiver`` (a keyword given ``receiver.id`` or
    ``receiver``) and has output ``attr``: where an output moved when a property became a resource of its own
    (``deployment.invoke_url`` -> ``deployment_stage.invoke_url``)."""
    import ast
    found = set()
    for target, value, _ in ctx.facts.assignments:
        if not isinstance(value, ast.Call):
            continue
        bound = ctx.names.binding(target)
        if not bound or bound[0] != "resource" or attr not in (ctx.index.resource(bound[1]) or {}).get("outputs", ()):
            continue
        if any(ast_dotted(k.value) in (receiver, f"{receiver}.id") for k in value.keywords):
            found.add(target)
    return found.pop() if len(found) == 1 else None


def _moved_output(ctx, receiver: str, attr: str) -> str | None:
    bound = ctx.names.binding(receiver)
    if not bound or bound[0] != "resource" or ctx.index.resource(bound[1]) is None:
        return None
    if attr in valid_attributes(ctx.index, "resource", bound[1]):
        return None
    return linked_holder(ctx, receiver, attr)


class ProviderOutputRenamed(CstRule):
    NAME = "provider-output-renamed"
    DESCRIPTION = ("an output property or function result renamed between pulumi-aws majors, where the history gives one "
                   "answer; or an output that moved to the one resource of the file that links to this one "
                   "(`deployment.invoke_url` -> `deployment_stage.invoke_url`)")
    WHY = ("`AttributeError: 'Cluster' object has no attribute 'cluster_resource_id'`-style failures while the program is "
           "constructed, after an upgrade renamed the output (fixer/data/api_history.json.xz, diffed by type token).")
    SAFETY = SAFE
    REFERENCES = ["https://www.pulumi.com/registry/packages/aws/how-to-guides/7-0-migration/"]
    VALID = ["import pulumi_aws as aws\nb = aws.s3.Bucket('b')\nx = b.bucket_domain_name\n"]
    INVALID = [Example("import pulumi_aws as aws\nfs = aws.efs.get_file_system(file_system_id='fs-1')\n"
                       "policies = fs.lifecycle_policy\n",
                       "import pulumi_aws as aws\nfs = aws.efs.get_file_system(file_system_id='fs-1')\n"
                       "policies = fs.lifecycle_policies\n"),
               Example("import pulumi_aws as aws\ndep = aws.apigateway.Deployment('d', rest_api=api.id)\n"
                       "stage = aws.apigateway.Stage('s', deployment=dep.id, rest_api=api.id, stage_name='v1')\n"
                       "url = dep.invoke_url\n",
                       "import pulumi_aws as aws\ndep = aws.apigateway.Deployment('d', rest_api=api.id)\n"
                       "stage = aws.apigateway.Stage('s', deployment=dep.id, rest_api=api.id, stage_name='v1')\n"
                       "url = stage.invoke_url\n")]

    @classmethod
    def applies(cls, ctx):
        for node in ctx.facts.attributes:
            bound = ctx.names.binding(ast_dotted(node.value))
            if bound and (renamed_attribute(ctx.index, bound[0], bound[1], node.attr)
                          or _moved_output(ctx, ast_dotted(node.value), node.attr)):
                return True
        return False

    def visit_Attribute(self, node):
        import libcst as cst
        from ..names import cst_dotted
        receiver = cst_dotted(node.value)
        bound = self.ctx.names.binding(receiver)
        if not bound:
            return
        holder = _moved_output(self.ctx, receiver, node.attr.value)
        if holder:
            self.report(node, f"{bound[1].rpartition('.')[2]} has no attribute `{node.attr.value}` in the installed "
                              f"provider; `{holder}`, which links to it, has",
                        replace=lambda updated: updated.with_changes(value=cst.parse_expression(holder)))
            return
        new = renamed_attribute(self.ctx.index, bound[0], bound[1], node.attr.value)
        if new:
            self.report(node, f"{bound[1].rpartition('.')[2]} has no attribute `{node.attr.value}` in the installed "
                              f"provider; it is `{new}` now", replace=lambda updated: updated.with_changes(attr=cst.Name(new)))
