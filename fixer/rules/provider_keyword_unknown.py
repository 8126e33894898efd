from ..api_history import keyword_answer, rank_keywords
from ..keywords import accepted, candidate_calls, is_resource_option, moved_elsewhere, rename_for, restated_default
from ..rule import CstRule, Example, rebuild_args


class ProviderKeywordUnknown(CstRule):
    NAME = "provider-keyword-unknown"
    DESCRIPTION = ("a keyword the installed provider does not accept: removed where it only restates a default "
                   "(`auth_token_enabled=False`), otherwise reported with the nearest valid keywords")
    WHY = ("`TypeError: ReplicationGroup._internal_init() got an unexpected keyword argument "
           "'auth_token_enabled'` stops the program before any resource is registered.")
    SAFETY = "safe/report"
    REFERENCES = ["https://www.pulumi.com/registry/packages/aws/api-docs/elasticache/replicationgroup/#inputs"]
    VALID = ["import pulumi_aws as aws\naws.elasticache.ReplicationGroup('r', description='d', "
             "transit_encryption_enabled=True)\n",
             "import pulumi_aws as aws\n\n\ndef make(aws):  # not the provider here\n"
             "    return aws.rds.Instance('db', storage_encrypt=True)\n"]
    INVALID = [
        Example("import pulumi_aws as aws\n\nrg = aws.elasticache.ReplicationGroup(\n    'redis',\n"
                "    description='d',\n    auth_token_enabled=False,\n    port=6379,\n)\n",
                "import pulumi_aws as aws\n\nrg = aws.elasticache.ReplicationGroup(\n    'redis',\n"
                "    description='d',\n    port=6379,\n)\n"),
        Example("import pulumi_aws as aws\naws.rds.Instance('db', storage_encrypt=True)\n", None),
        Example("import pulumi_aws as aws\naws.elasticache.ReplicationGroup('r', description='d', auth_token=token,\n"
                "                                 auth_token_enabled=True)\n",
                "import pulumi_aws as aws\naws.elasticache.ReplicationGroup('r', description='d', auth_token=token)\n"),
        Example("import pulumi_aws as aws\naws.elasticache.ReplicationGroup('r', description='d', auth_token_enabled=True)\n",
                None),
    ]

    @classmethod
    def applies(cls, ctx):
        return any(not rename_for(ctx.index, c.qualname, k) and not is_resource_option(ctx.index, c.qualname, k)
                   and not moved_elsewhere(ctx.index, c.qualname, k) and not keyword_answer(ctx.index, c.qualname, k)
                   for c, bad in candidate_calls(ctx) for k in bad)

    def visit_Call(self, node):
        if self.kind_of(node.func) != "resource":
            return
        qual = self.resolve(node.func)
        ok = accepted(self.ctx.index, qual)
        removable = set()
        for arg in node.args:
            kw = arg.keyword.value if arg.keyword else None
            if not kw or kw in ok or kw == "opts" or rename_for(self.ctx.index, qual, kw) \
                    or is_resource_option(self.ctx.index, qual, kw) or moved_elsewhere(self.ctx.index, qual, kw) \
                    or keyword_answer(self.ctx.index, qual, kw):  # provider-keyword-drift renames it
                continue
            literal = _literal(arg.value)
            present = {a.keyword.value for a in node.args if a.keyword}
            if literal is not _NO and restated_default(qual, kw, literal, present):
                removable.add(kw)
                continue
            siblings = [a.value.evaluated_value for a in node.args
                        if _literal(a.value) is not _NO and isinstance(_literal(a.value), str)]
            near = rank_keywords(self.ctx.index, qual, kw, ok, siblings)
            hint = f"; nearest: {', '.join(near)}" if near else ""
            self.report(arg, f"{qual.split('.')[-1]} does not accept `{kw}` in the installed provider{hint}")
        for arg in node.args:
            if arg.keyword and arg.keyword.value in removable:
                self.report(arg, f"{qual.split('.')[-1]} does not accept `{arg.keyword.value}`; the value only "
                                 "restates the default, so it is removed",
                            replace=_remover(arg.keyword.value), target=node, fix="safe")


def _remover(keyword):
    def replace(updated):
        return updated.with_changes(args=rebuild_args(
            updated.args, lambda a: [] if a.keyword and a.keyword.value == keyword else [a]))
    return replace


_NO = object()


def _literal(node):
    import libcst as cst
    if isinstance(node, cst.Name) and node.value in ("True", "False", "None"):
        return {"True": True, "False": False, "None": None}[node.value]
    if isinstance(node, (cst.SimpleString, cst.Integer)):
        return node.evaluated_value
    return _NO
