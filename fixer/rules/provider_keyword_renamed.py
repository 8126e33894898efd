from ..keywords import candidate_calls, rename_for
from ..rule import CstRule, Example, SAFE, keyword_arg, rebuild_args, same_expression


class ProviderKeywordRenamed(CstRule):
    NAME = "provider-keyword-renamed"
    DESCRIPTION = "a keyword the installed provider renamed (e.g. `replication_group_description` -> `description`)"
    WHY = ("The resource's constructor rejects the old spelling: `TypeError: ReplicationGroup._internal_init() got "
           "an unexpected keyword argument 'replication_group_description'`. The renames live in "
           "fixer/data/keyword_renames.json (each with a source) and each is applied only when the installed "
           "class lacks the old keyword and has the new one.")
    SAFETY = SAFE
    REFERENCES = ["https://www.pulumi.com/registry/packages/aws/how-to-guides/7-0-migration/",
                  "https://www.pulumi.com/registry/packages/aws/api-docs/elasticache/replicationgroup/"]
    VALID = ["import pulumi_aws as aws\naws.elasticache.ReplicationGroup('r', description='cache')\n"]
    INVALID = [
        Example("from pulumi_aws import elasticache\n\nrg = elasticache.ReplicationGroup(\n    'redis',\n"
                "    replication_group_description='sessions',  # shown in the console\n    number_cache_clusters=2,\n)\n",
                "from pulumi_aws import elasticache\n\nrg = elasticache.ReplicationGroup(\n    'redis',\n"
                "    description='sessions',  # shown in the console\n    num_cache_clusters=2,\n)\n"),
        Example("import pulumi_aws as aws\neip = aws.ec2.Eip('nat', vpc=True)\n",
                "import pulumi_aws as aws\neip = aws.ec2.Eip('nat', domain=\"vpc\")\n"),
        Example("import pulumi_aws as aws\naws.codepipeline.Pipeline('p', artifact_store=store)\n",
                "import pulumi_aws as aws\naws.codepipeline.Pipeline('p', artifact_stores=[store])\n"),
        # the new spelling is already there: the old one is dropped when it says the same, else reported
        Example("import pulumi_aws as aws\ndb = aws.rds.Instance('db', name='app', db_name=\"app\", engine='postgres')\n",
                "import pulumi_aws as aws\ndb = aws.rds.Instance('db', db_name=\"app\", engine='postgres')\n"),
        Example("import pulumi_aws as aws\ndb = aws.rds.Instance('db', name='x', db_name='y')\n", None),
    ]

    @classmethod
    def applies(cls, ctx):
        return any(rename_for(ctx.index, c.qualname, k) for c, bad in candidate_calls(ctx) for k in bad)

    def visit_Call(self, node):
        qual = self.resolve(node.func)
        if self.kind_of(node.func) != "resource":
            return
        for arg in node.args:
            entry = rename_for(self.ctx.index, qual, arg.keyword.value) if arg.keyword else None
            if entry:
                present = keyword_arg(node, entry["to"])
                if present is not None:
                    self._merge(node, arg, present, entry, qual)
                else:
                    self._fix(arg, entry, qual)

    def _merge(self, call, arg, present, entry, qual):
        """The new spelling is already there: a rename would repeat the keyword. The old one is dropped when
        it says the same; otherwise only a person knows which value is meant."""
        renamed = _renamed_value(arg.value, entry)
        if renamed is not None and same_expression(renamed, present.value):
            self.report(arg, f"{qual.split('.')[-1]} has no keyword `{entry['from']}`; it repeats `{entry['to']}=` "
                             "with the same value, so it is removed",
                        replace=_remover(arg), target=call)
        else:
            self.report(arg, f"{qual.split('.')[-1]} has no keyword `{entry['from']}` (the installed provider calls it "
                             f"`{entry['to']}`), and `{entry['to']}=` is already given with another value: keep one")

    def _fix(self, arg, entry, qual):
        import libcst as cst
        values = entry.get("values")
        if values is not None:
            code = cst.Module([]).code_for_node(arg.value)
            if code not in values:
                self.report(arg, f"`{entry['from']}` is `{entry['to']}` in {qual} but this value has no known mapping")
                return

        def replace(updated):
            new_value = updated.value
            if values is not None:
                new_value = cst.parse_expression(values[cst.Module([]).code_for_node(updated.value)])
            elif entry.get("wrap_list") and not isinstance(updated.value, cst.List):
                new_value = cst.List([cst.Element(updated.value)])
            return updated.with_changes(keyword=cst.Name(entry["to"]), value=new_value)
        self.report(arg, f"{qual.split('.')[-1]} has no keyword `{entry['from']}`; the installed provider calls it "
                         f"`{entry['to']}`", replace=replace)


def _renamed_value(value, entry):
    """``value`` as the renamed keyword takes it (None when the table has no mapping for it)."""
    import libcst as cst
    values = entry.get("values")
    if values is not None:
        code = cst.Module([]).code_for_node(value)
        return cst.parse_expression(values[code]) if code in values else None
    if entry.get("wrap_list") and not isinstance(value, cst.List):
        return cst.List([cst.Element(value)])
    return value


def _remover(arg):
    keyword = arg.keyword.value

    def replace(updated):
        return updated.with_changes(args=rebuild_args(
            updated.args, lambda a: [] if a.keyword and a.keyword.value == keyword else [a]))
    return replace
