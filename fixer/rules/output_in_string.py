from ..outputs import (cst_is_output, formatted_outputs, in_input_context, output_reference,
                       string_op_outputs)
from ..rule import CstRule, Example

_MESSAGE = "an Output in a string renders as \"Calling __str__ on an Output[T] is not supported\""


class OutputInString(CstRule):
    NAME = "output-in-string"
    DESCRIPTION = ("an f-string, `str()`, `.format()` or `+` of an Output -> `pulumi.Output.format(...)`, "
                   "`output.apply(str)` or `pulumi.Output.concat(...)`")
    WHY = ("An Output is not a string: `f\"{bucket.arn}/*\"` deploys the text \"Calling __str__ on an Output[T] is not "
           "supported...\" (an IAM policy with a garbage Resource, a wrong tag), and `\"arn:\" + bucket.arn` raises "
           "`TypeError` while the program is constructed. `pulumi.Output.format` / `Output.concat` wait for the "
           "value and return an `Output[str]`, which a resource argument accepts.")
    SAFETY = "safe/report"
    REFERENCES = ["https://www.pulumi.com/docs/iac/concepts/inputs-outputs/apply/#outputs-and-strings",
                  "https://www.pulumi.com/docs/reference/pkg/python/pulumi/#pulumi.Output.format"]
    VALID = [
        "import pulumi_aws as aws\nenv = 'dev'\nb = aws.s3.Bucket(f'logs-{env}', tags={'Name': f'logs-{env}'})\n",
        "import pulumi\nimport pulumi_aws as aws\nb = aws.s3.Bucket('b')\n"
        "aws.s3.BucketPolicy('p', bucket=b.id, policy=pulumi.Output.format('{0}/*', b.arn))\n",
        "import pulumi_aws as aws\nb = aws.s3.Bucket('b')\nname = b.bucket.apply(lambda n: f'{n}-replica')\n",
        "import pulumi\nenv = 'dev'\npulumi.export('name', f'app-{env}')\n",
        "import pulumi\nimport pulumi_aws as aws\n\n\nclass Stack(pulumi.ComponentResource):\n"
        "    def __init__(self):\n        self.db = aws.rds.Instance('db')\n"
        "        self.register_outputs({'url': self.db.endpoint.apply(lambda e: 'postgres://' + e)})\n",
    ]
    INVALID = [
        Example("import pulumi_aws as aws\n\nbucket = aws.s3.Bucket('logs')\nenv = 'dev'\n"
                "aws.iam.Policy('read', policy=aws.iam.get_policy_document_output(statements=[{\n"
                "    'actions': ['s3:GetObject'],\n    'resources': [f\"{bucket.arn}/{env}/*\"],  # objects only\n}]).json)\n",
                "import pulumi_aws as aws\nimport pulumi\n\nbucket = aws.s3.Bucket('logs')\nenv = 'dev'\n"
                "aws.iam.Policy('read', policy=aws.iam.get_policy_document_output(statements=[{\n"
                "    'actions': ['s3:GetObject'],\n    'resources': [pulumi.Output.format(\"{0}/{1}/*\", bucket.arn, env)],"
                "  # objects only\n}]).json)\n"),
        Example("import pulumi\nimport pulumi_aws as aws\n\ntopic = aws.sns.Topic('t')\nqueue = aws.sqs.Queue('q')\n"
                "aws.ssm.Parameter('p', type='String', value='arn ' + topic.arn + ' via ' + str(queue.id),\n"
                "                  description='queue {}'.format(queue.name))\n",
                "import pulumi\nimport pulumi_aws as aws\n\ntopic = aws.sns.Topic('t')\nqueue = aws.sqs.Queue('q')\n"
                "aws.ssm.Parameter('p', type='String', value=pulumi.Output.concat('arn ', topic.arn, ' via ', "
                "queue.id.apply(str)),\n                  description=pulumi.Output.format('queue {}', queue.name))\n"),
        Example("import pulumi\nimport pulumi_aws as aws\n\nvpc = aws.ec2.Vpc('v', cidr_block='10.0.0.0/16')\n"
                "pulumi.log.info(f'created {vpc.id}')\n", None),
        # pulumi.export and ComponentResource.register_outputs take Inputs
        Example("import pulumi\nimport pulumi_aws as aws\n\n\nclass Stack(pulumi.ComponentResource):\n"
                "    def __init__(self):\n        self.db = aws.rds.Instance('db')\n"
                "        self.register_outputs({'url': 'postgres://' + self.db.endpoint})\n"
                "        pulumi.export('db', f'db at {self.db.address}')\n",
                "import pulumi\nimport pulumi_aws as aws\n\n\nclass Stack(pulumi.ComponentResource):\n"
                "    def __init__(self):\n        self.db = aws.rds.Instance('db')\n"
                "        self.register_outputs({'url': pulumi.Output.concat('postgres://', self.db.endpoint)})\n"
                "        pulumi.export('db', pulumi.Output.format('db at {0}', self.db.address))\n"),
        # a resource of a missing module (provider-module-unknown repairs it) is known by its real class
        Example("import pulumi_aws as aws\n\ngroup = aws.logs.LogGroup('g')\n"
                "aws.ssm.Parameter('p', type='String', value=f'{group.arn}:*')\n",
                "import pulumi_aws as aws\nimport pulumi\n\ngroup = aws.logs.LogGroup('g')\n"
                "aws.ssm.Parameter('p', type='String', value=pulumi.Output.format('{0}:*', group.arn))\n"),
    ]

    @classmethod
    def applies(cls, ctx):
        facts = ctx.facts
        return any(formatted_outputs(facts, n) for n in facts.interpolations) or \
            any(string_op_outputs(facts, n) for n in facts.string_ops)

    # -- f-strings ---------------------------------------------------------------------------------
    def visit_FormattedString(self, node):
        import libcst as cst
        parts = [p for p in node.parts if isinstance(p, cst.FormattedStringExpression)]
        if not any(cst_is_output(self.ctx, p.expression) for p in parts):
            return
        if _template(node) is None or isinstance(self.parent_of(node), cst.ConcatenatedString):
            self.report(node, f"{_MESSAGE}; this f-string (implicitly concatenated, or with `=` or nested format "
                              "specs) is not rewritten: use pulumi.Output.format")
            return
        if not in_input_context(self, node):
            self._report_only(node, "f-string")
            return
        ref, imports = output_reference(self.ctx)

        def replace(updated):
            exprs = [p.expression for p in updated.parts if isinstance(p, cst.FormattedStringExpression)]
            return _call(f"{ref}.format", [cst.SimpleString(_template(updated)), *exprs], updated)
        self.report(node, f"{_MESSAGE}; use pulumi.Output.format", replace=replace, imports=imports)

    # -- str(output) and "...".format(output) ---------------------------------------------------------
    def visit_Call(self, node):
        import libcst as cst
        func = node.func
        if isinstance(func, cst.Name) and func.value == "str" and len(node.args) == 1 and \
                node.args[0].keyword is None and not node.args[0].star and cst_is_output(self.ctx, node.args[0].value):
            if not in_input_context(self, node):
                self._report_only(node, "str()")
                return

            def to_apply(updated):
                value = updated.args[0].value
                return cst.Call(cst.Attribute(value, cst.Name("apply")), [cst.Arg(cst.Name("str"))],
                                lpar=updated.lpar, rpar=updated.rpar)
            self.report(node, f"{_MESSAGE}; use output.apply(str)", replace=to_apply)
        elif isinstance(func, cst.Attribute) and func.attr.value == "format" and \
                isinstance(func.value, (cst.SimpleString, cst.ConcatenatedString)) and \
                any(cst_is_output(self.ctx, a.value) for a in node.args):
            if any(a.star for a in node.args) or not in_input_context(self, node):
                self._report_only(node, "str.format()")
                return
            ref, imports = output_reference(self.ctx)

            def to_format(updated):
                receiver = updated.func.value.with_changes(lpar=[], rpar=[])
                return _call(f"{ref}.format", [receiver], updated, list(updated.args))
            self.report(node, f"{_MESSAGE}; use pulumi.Output.format", replace=to_format, imports=imports)

    # -- "literal" + output --------------------------------------------------------------------------
    def visit_BinaryOperation(self, node):
        import libcst as cst
        if not isinstance(node.operator, cst.Add) or _is_add(self.parent_of(node)):
            return  # the outermost ``+`` of a chain handles it
        operands = _cst_operands(node)
        if not any(isinstance(o, (cst.SimpleString, cst.FormattedString, cst.ConcatenatedString)) for o in operands) \
                or not any(cst_is_output(self.ctx, o) for o in operands):
            return
        if not in_input_context(self, node):
            self._report_only(node, "string concatenation")
            return
        ref, imports = output_reference(self.ctx)

        def replace(updated):
            return _call(f"{ref}.concat", _cst_operands(updated), updated)
        self.report(node, "an Output cannot be added to a string (TypeError); use pulumi.Output.concat",
                    replace=replace, imports=imports)

    def _report_only(self, node, what):
        self.report(node, f"{_MESSAGE}: this {what} of an Output is not passed straight to a resource argument; "
                          "build it with pulumi.Output.format/concat where an Input is taken, or inside .apply(...)")


def _is_add(node) -> bool:
    import libcst as cst
    return isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.Add)


def _cst_operands(node) -> list:
    """Operands of a chain of ``+`` (parenthesized sub-chains included: string concatenation is associative)."""
    if _is_add(node):
        return _cst_operands(node.left) + _cst_operands(node.right)
    return [node]


def _template(node) -> str | None:
    """The ``str.format`` template of an f-string (``f"{a}-{b!r:>4}"`` -> ``"{0}-{1!r:>4}"``), or None when it
    cannot be expressed (``=`` debug specifiers, nested replacement fields in a format spec)."""
    import libcst as cst
    prefix = node.start[:-len(node.end)].replace("f", "").replace("F", "")
    out, i = [], 0
    for part in node.parts:
        if isinstance(part, cst.FormattedStringText):
            out.append(part.value)
            continue
        if part.equal is not None:
            return None
        field = str(i)
        i += 1
        if part.conversion:
            field += f"!{part.conversion}"
        if part.format_spec is not None:
            if any(not isinstance(s, cst.FormattedStringText) for s in part.format_spec):
                return None
            field += ":" + "".join(s.value for s in part.format_spec)
        out.append("{" + field + "}")
    return f"{prefix}{node.end}{''.join(out)}{node.end}"


def _call(func: str, values: list, original, args: list | None = None):
    """``func(values..., args...)`` with ``original``'s parentheses."""
    import libcst as cst
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    built = [cst.Arg(v) for v in values] + [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in (args or [])]
    built = [a.with_changes(comma=comma) for a in built[:-1]] + built[-1:]
    return cst.Call(cst.parse_expression(func), built, lpar=original.lpar, rpar=original.rpar)
