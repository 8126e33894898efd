from ..imports import module_reference
from ..keywords import candidate_calls, is_resource_option
from ..rule import CstRule, Example, SAFE, keyword_arg, rebuild_args, same_expression


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
        # no opts yet: the option becomes opts= in its place (layout and comment kept), named as imported
        Example("import pulumi_aws as aws\nfrom pulumi import ResourceOptions\n\nb = aws.s3.Bucket(\n    'b',\n"
                "    tags=tags,\n    parent=self,  # the component\n)\n",
                "import pulumi_aws as aws\nfrom pulumi import ResourceOptions\n\nb = aws.s3.Bucket(\n    'b',\n"
                "    tags=tags,\n    opts=ResourceOptions(parent=self),  # the component\n)\n"),
        # a one-per-line ResourceOptions(...) keeps one option per line
        Example("import pulumi_aws as aws\nfrom pulumi import ResourceOptions\n\nb = aws.s3.Bucket('b', depends_on=[k], "
                "opts=ResourceOptions(\n    parent=self,  # c\n))\n",
                "import pulumi_aws as aws\nfrom pulumi import ResourceOptions\n\nb = aws.s3.Bucket('b', "
                "opts=ResourceOptions(\n    parent=self,  # c\n    depends_on=[k],\n))\n"),
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
                given = _given_option(node, arg.keyword.value)
                if given is not None:
                    self._merge(node, arg, given, qual)
                    continue
                ref, imports = _options_reference(self.ctx)
                self.report(arg, f"`{arg.keyword.value}` is a resource option, not a keyword of "
                                 f"{qual.split('.')[-1]}; it belongs in opts=ResourceOptions(...)",
                            replace=_mover(arg.keyword.value, ref), target=node,
                            imports=imports if keyword_arg(node, "opts") is None else ())


    def _merge(self, call, arg, given, qual):
        """``opts=ResourceOptions(...)`` already sets this option: moving it would repeat the keyword. The
        constructor keyword is dropped when it says the same; otherwise only a person knows which is meant."""
        keyword = arg.keyword.value
        if same_expression(arg.value, given.value):
            self.report(arg, f"`{keyword}` is a resource option, not a keyword of {qual.split('.')[-1]}, and "
                             f"opts=ResourceOptions(...) already sets it to the same value, so it is removed",
                        replace=_dropper(keyword), target=call)
        else:
            self.report(arg, f"`{keyword}` is a resource option, not a keyword of {qual.split('.')[-1]}, and "
                             f"opts=ResourceOptions(...) already sets `{keyword}` to another value: keep one")


def _given_option(call, keyword):
    """The ``keyword=`` argument of the call's literal ``opts=ResourceOptions(...)``, if it has one."""
    import libcst as cst
    opts = keyword_arg(call, "opts")
    value = opts.value if opts is not None else None
    if isinstance(value, cst.Call) and (getattr(value.func, "attr", None) or value.func).value == "ResourceOptions":
        return keyword_arg(value, keyword)
    return None


def _dropper(keyword):
    def replace(updated):
        return updated.with_changes(args=rebuild_args(
            updated.args, lambda a: [] if a.keyword and a.keyword.value == keyword else [a]))
    return replace


def _options_reference(ctx):
    """``ResourceOptions`` after ``from pulumi import ResourceOptions``, else ``pulumi.ResourceOptions``."""
    local = ctx.names.local_name_for("pulumi.ResourceOptions")
    if local:
        return local, ()
    ref, imports = module_reference(ctx, "pulumi")
    return f"{ref}.ResourceOptions", imports


def _mover(keyword, options_ref):
    def replace(updated):
        import libcst as cst
        moved = keyword_arg(updated, keyword)
        if moved is None:
            return updated
        option = cst.Arg(moved.value, keyword=cst.Name(keyword),
                         equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
        if keyword_arg(updated, "opts") is None:  # the option becomes ``opts=`` in its place: layout kept
            new_opts = cst.parse_expression(f"{options_ref}()").with_changes(args=[option])
            return updated.with_changes(args=[
                a.with_changes(keyword=cst.Name("opts"), value=new_opts) if a is moved else a for a in updated.args])
        args = rebuild_args(updated.args, lambda a: [] if a is moved else [a])
        opts = next((a for a in args if a.keyword and a.keyword.value == "opts"), None)
        value = opts.value
        if isinstance(value, cst.Call) and (getattr(value.func, "attr", None) or value.func).value == "ResourceOptions":
            new_value = value.with_changes(args=_appended(value, option))
        else:
            new_value = cst.parse_expression(f"{options_ref}.merge(x, {options_ref}())")
            new_value = new_value.with_changes(args=[cst.Arg(value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                                                     new_value.args[1].with_changes(value=new_value.args[1].value.with_changes(args=[option]))])
        return updated.with_changes(args=[a.with_changes(value=new_value) if a is opts else a for a in args])
    return replace


def _appended(call, arg) -> list:
    """``call``'s arguments with ``arg`` appended in their layout: one per line when they are one per line
    (``arg`` takes over the trailing comma and closing line; the comment after the last one stays there)."""
    import libcst as cst
    inner = list(call.args)
    if not inner:
        return [arg]
    last = inner[-1]
    tail = last.comma.whitespace_after if isinstance(last.comma, cst.Comma) else None
    head = call.whitespace_before_args
    if isinstance(tail, cst.ParenthesizedWhitespace) and isinstance(head, cst.ParenthesizedWhitespace):
        sep = cst.Comma(whitespace_after=tail.with_changes(last_line=head.last_line, indent=head.indent))
        end = last.comma.with_changes(whitespace_after=tail.with_changes(
            first_line=cst.TrailingWhitespace(), empty_lines=[]))
        return [*inner[:-1], last.with_changes(comma=sep), arg.with_changes(comma=end)]
    return [*inner[:-1], last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
            arg.with_changes(comma=last.comma)]
