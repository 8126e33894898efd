"""Keywords the provider renamed between majors (or spells in the plural), on resource classes, ``*Args`` input
classes and the dict literals that stand for ``*ArgsDict`` inputs; the value's shape follows the new keyword."""
import ast

from ..api_history import is_list_shape, element_class, fields_of, keyword_answer, rank_keywords
from ..keywords import is_resource_option, moved_elsewhere, rename_for
from ..rule import CstRule, Example


def _dict_problems(index, owner, shape, value) -> bool:
    """Whether the ast dict literal(s) in ``value`` (typed ``shape`` on ``owner``) hold a key to repair."""
    cls = element_class(owner, shape)
    fields = fields_of(index, cls) if cls else None
    if not fields:
        return False
    items = value.elts if isinstance(value, ast.List) else [value]
    for item in items:
        if not isinstance(item, ast.Dict):
            continue
        for key, sub in zip(item.keys, item.values):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                if key.value not in fields or _dict_problems(index, cls, fields[key.value], sub):
                    return True
    return False


def _call_problems(ctx, qual, node) -> bool:
    fields = fields_of(ctx.index, qual)
    if not fields:
        return False
    for kw in node.keywords:
        if kw.arg is None:
            continue
        if kw.arg not in fields and kw.arg != "opts":
            if ctx.index.resource(qual) is None or keyword_answer(ctx.index, qual, kw.arg):
                return True
        elif kw.arg in fields and _dict_problems(ctx.index, qual, fields[kw.arg], kw.value):
            return True
    return False


def reshape(value, target_shape: str, was_single: bool):
    """``value`` in the shape ``target_shape`` needs, or None when that cannot be decided from the source."""
    import libcst as cst
    if is_list_shape(target_shape):
        if isinstance(value, (cst.List, cst.ListComp)) or not was_single:
            return value
        return cst.List([cst.Element(value)])
    if isinstance(value, cst.List):
        if len(value.elements) == 1 and not isinstance(value.elements[0], cst.StarredElement):
            return value.elements[0].value
        return None
    return value


class ProviderKeywordDrift(CstRule):
    NAME = "provider-keyword-drift"
    DESCRIPTION = ("a keyword renamed between pulumi-aws majors or spelled in the singular/plural, on a resource, an "
                   "`*Args` class or an `*ArgsDict` dict literal; the value is wrapped in or taken out of a list "
                   "as the new keyword needs")
    WHY = ("`TypeError: FileSystem._internal_init() got an unexpected keyword argument 'lifecycle_policy'` (resources, "
           "`*Args` classes), or a dict key the provider silently drops (`*ArgsDict`). The renames come from the "
           "provider's own API history (fixer/data/api_history.json.xz, diffed by type token across 5.x, 6.x and "
           "7.x) and from the bridge's plural naming of list blocks; one is applied only when the installed "
           "provider accepts exactly one answer, otherwise the finding lists ranked suggestions.")
    SAFETY = "safe/report"
    REFERENCES = ["https://www.pulumi.com/registry/packages/aws/how-to-guides/7-0-migration/",
                  "https://www.pulumi.com/registry/packages/aws/how-to-guides/6-0-migration/"]
    VALID = ["import pulumi_aws as aws\naws.efs.FileSystem('fs', lifecycle_policies=[{'transition_to_ia': 'AFTER_30_DAYS'}])\n",
             "import pulumi_aws as aws\nargs = aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(bucket_key_enabled=True)\n"]
    INVALID = [
        Example("import pulumi_aws as aws\nfs = aws.efs.FileSystem('fs', lifecycle_policy=aws.efs.FileSystemLifecyclePolicyArgs(\n"
                "    transition_to_ia='AFTER_30_DAYS'))\n",
                "import pulumi_aws as aws\nfs = aws.efs.FileSystem('fs', lifecycle_policies=[aws.efs.FileSystemLifecyclePolicyArgs(\n"
                "    transition_to_ia='AFTER_30_DAYS')])\n"),
        Example("import pulumi_aws as aws\nsse = aws.s3.BucketServerSideEncryptionConfigurationArgs(rules=[rule])\n",
                "import pulumi_aws as aws\nsse = aws.s3.BucketServerSideEncryptionConfigurationArgs(rule=rule)\n"),
        Example("import pulumi_aws as aws\nfs = aws.efs.FileSystem('fs', lifecycle_policies=[{'transition_to_ias': 'AFTER_30_DAYS'}])\n",
                "import pulumi_aws as aws\nfs = aws.efs.FileSystem('fs', lifecycle_policies=[{'transition_to_ia': 'AFTER_30_DAYS'}])\n"),
        Example("import pulumi_aws as aws\nsse = aws.s3.BucketServerSideEncryptionConfigurationArgs(rules=[a, b])\n", None),
    ]

    @classmethod
    def applies(cls, ctx):
        for call in ctx.facts.calls:
            if call.kind in ("resource", "name") and _call_problems(ctx, call.qualname, call.node):
                return True
        return False

    def visit_Call(self, node):
        qual = self.resolve(node.func)
        if not qual or self.kind_of(node.func) not in ("resource", "name"):
            return
        fields = fields_of(self.ctx.index, qual)
        if not fields:
            return
        is_resource = self.ctx.index.resource(qual) is not None
        for arg in node.args:
            kw = arg.keyword.value if arg.keyword else None
            if kw is None or kw == "opts":
                continue
            if kw in fields:
                self._check_dicts(qual, fields[kw], arg.value)
                continue
            if is_resource and (rename_for(self.ctx.index, qual, kw) or is_resource_option(self.ctx.index, qual, kw)
                                or moved_elsewhere(self.ctx.index, qual, kw)):
                continue  # the catalog's table, resource options and moved keywords have their own rules
            answer = keyword_answer(self.ctx.index, qual, kw)
            if answer:
                self._rename(arg, qual, kw, answer, keyword=True)
            elif not is_resource:  # provider-keyword-unknown reports unknown resource keywords
                self._unknown(arg, qual, kw, fields, node)

    # -- dict literals standing for *ArgsDict inputs ----------------------------------------------------
    def _check_dicts(self, owner, shape, value):
        import libcst as cst
        cls = element_class(owner, shape)
        fields = fields_of(self.ctx.index, cls) if cls else None
        if not fields:
            return
        items = [e.value for e in value.elements] if isinstance(value, cst.List) else [value]
        for item in items:
            if not isinstance(item, cst.Dict):
                continue
            for element in item.elements:
                if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
                    continue
                key = element.key.evaluated_value
                if key in fields:
                    self._check_dicts(cls, fields[key], element.value)
                    continue
                answer = keyword_answer(self.ctx.index, cls, key)
                if answer:
                    self._rename(element, cls, key, answer, keyword=False)
                else:
                    self._unknown(element, cls, key, fields, None)

    # -- reporting -------------------------------------------------------------------------------------
    def _rename(self, node, owner, old, answer, keyword: bool):
        import libcst as cst
        new, shape = answer["to"], answer["shape"]
        value = reshape(node.value, shape, answer["was_single"])
        short = owner.rpartition(".")[2]
        what = "keyword" if keyword else "key"
        if value is None:
            self.report(node, f"{short} has no {what} `{old}`; the installed provider calls it `{new}`, which takes "
                              "a single value: pick one")
            return

        def replace(updated):
            fixed = reshape(updated.value, shape, answer["was_single"])
            if keyword:
                return updated.with_changes(keyword=cst.Name(new), value=fixed)
            quote = updated.key.quote if isinstance(updated.key, cst.SimpleString) else "'"
            return updated.with_changes(key=cst.SimpleString(f"{quote}{new}{quote}"), value=fixed)
        changed = " (now a list)" if is_list_shape(shape) and value is not node.value else (
            " (now a single value)" if value is not node.value else "")
        self.report(node, f"{short} has no {what} `{old}`; the installed provider calls it `{new}`{changed}",
                    replace=replace, fix="safe")

    def _unknown(self, node, owner, key, fields, call):
        import libcst as cst
        siblings = []
        if call is not None:
            siblings = [a.value.evaluated_value for a in call.args
                        if isinstance(a.value, cst.SimpleString) and isinstance(a.value.evaluated_value, str)]
        near = rank_keywords(self.ctx.index, owner, key, fields, siblings)
        hint = f"; nearest: {', '.join(near)}" if near else ""
        self.report(node, f"{owner.rpartition('.')[2]} does not accept `{key}` in the installed provider{hint}")

