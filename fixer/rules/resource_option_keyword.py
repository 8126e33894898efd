from ..imports import module_reference
from ..keywords import candidate_calls, is_resource_option
from ..rule import CstRule, Example, SAFE, keyword_arg, rebuild_args


class ResourceOptionKeyword(CstRule):
    NAME = "resource-option-keyword"
    DESCRIPTION = "a resource option passed as a constructor keyword (`depends_on=`, `parent=`, ...) -> moved into `opts=pulumi.ResourceOptions(...)`"
    WHY = ("Resource options are not constructor keywords: `TypeError: Bucket._internal_init() got an unexpected "
           "keyword argument 'depends_on'`.")
    SAFETY = SAFE
    REFERENCES = ["https://www.pulumi.com/docs/iac/concepts/options/"]
    VALID = ["import pulumi\nimport pulumi_aws as aws\naws.s3.Bucket('b', opts=pulumi.ResourceOptions(protect=True))\n"]
    INVALID = [
        Example("import pulumi_aws as aws\nb = aws.s3.Bucket('b', protect=True)\n",
                "import pulumi_aws as aws\nimport pulumi\n\nb = aws.s3.Bucket('b', opts=pulumi.ResourceOptions(protect=True))\n"),
        Example("import pulumi\nimport pulumi_aws as aws\nb = aws.s3.Bucket(\n    'b',\n    depends_on=[vpc],\n"
                "    opts=pulumi.ResourceOptions(parent=self),\n)\n",
                "import pulumi\nimport pulumi_aws as aws\nb = aws.s3.Bucket(\n    'b',\n"
                "    opts=pulumi.ResourceOptions(parent=self, depends_on=[vpc]),\n)\n"),
    ]

    @classmethod
    def applies(cls, ctx):
        return any(is_resource_option(ctx.index, c.qualname, k) for c, bad in candidate_calls(ctx) for k in bad)

    def visit_Call(self, node):
        if self.kind_of(node.func) != "resource":
            return
        qual = self.resolve(node.func)
        for arg in node.args:
            if arg.keyword and is_resource_option(self.ctx.index, qual, arg.keyword.value):
                ref, imports = module_reference(self.ctx, "pulumi")
                self.report(arg, f"`{arg.keyword.value}` is a resource option, not a keyword of "
                                 f"{qual.split('.')[-1]}; it belongs in opts=ResourceOptions(...)",
                            replace=_mover(arg.keyword.value, ref), target=node,
                            imports=imports if keyword_arg(node, "opts") is None else ())


def _mover(keyword, pulumi_ref):
    def replace(updated):
        import libcst as cst
        moved = keyword_arg(updated, keyword)
        if moved is None:
            return updated
        option = cst.Arg(moved.value, keyword=cst.Name(keyword),
                         equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
        args = rebuild_args(updated.args, lambda a: [] if a is moved else [a])
        opts = next((a for a in args if a.keyword and a.keyword.value == "opts"), None)
        if opts is None:
            new_opts = cst.parse_expression(f"{pulumi_ref}.ResourceOptions()").with_changes(args=[option])
            last = args[-1]
            args = [*args[:-1], last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))] \
                if isinstance(last.comma, cst.MaybeSentinel) else args
            return updated.with_changes(args=[*args, cst.Arg(new_opts, keyword=cst.Name("opts"), equal=option.equal,
                                                             comma=moved.comma if not isinstance(
                                                                 moved.comma, cst.MaybeSentinel) else cst.MaybeSentinel.DEFAULT)])
        value = opts.value
        if isinstance(value, cst.Call) and (getattr(value.func, "attr", None) or value.func).value == "ResourceOptions":
            inner = list(value.args)
            if inner:
                inner[-1] = inner[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            new_value = value.with_changes(args=[*inner, option])
        else:
            new_value = cst.parse_expression(f"{pulumi_ref}.ResourceOptions.merge(x, {pulumi_ref}.ResourceOptions())")
            new_value = new_value.with_changes(args=[cst.Arg(value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                                                     new_value.args[1].with_changes(value=new_value.args[1].value.with_changes(args=[option]))])
        return updated.with_changes(args=[a.with_changes(value=new_value) if a is opts else a for a in args])
    return replace
