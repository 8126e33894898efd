"""A value whose list-ness disagrees with the keyword's type in the installed provider (the bridge turns a
Terraform block with at most one item into a single value, and the other way round, between majors)."""
import ast

from ..api_history import is_list_shape, element_class, fields_of
from ..rule import CstRule, Example

# Shapes that say nothing about list-ness: untyped, Any, maps.
_OPAQUE = ("", "Any", "{", "object")


def _wants(shape: str | None, is_list_literal: bool, is_single_literal: bool) -> str | None:
    if shape is None or shape.lstrip("[") in _OPAQUE:
        return None
    if is_list_shape(shape) and is_single_literal:
        return "wrap"
    if not is_list_shape(shape) and is_list_literal:
        return "unwrap"
    return None


def _ast_single(node) -> bool:
    return isinstance(node, (ast.Dict, ast.Constant)) and not (isinstance(node, ast.Constant) and node.value is None)


def _ast_problems(index, owner, fields, pairs) -> bool:
    for key, value in pairs:
        shape = fields.get(key)
        if shape is None:
            continue
        if _wants(shape, isinstance(value, ast.List) and len(value.elts) == 1, _ast_single(value)):
            return True
        cls = element_class(owner, shape)
        sub = fields_of(index, cls) if cls else None
        for item in (value.elts if isinstance(value, ast.List) else [value]):
            if sub and isinstance(item, ast.Dict):
                keyed = [(k.value, v) for k, v in zip(item.keys, item.values)
                         if isinstance(k, ast.Constant) and isinstance(k.value, str)]
                if _ast_problems(index, cls, sub, keyed):
                    return True
    return False


class ProviderValueShape(CstRule):
    NAME = "provider-value-shape"
    DESCRIPTION = ("a one-item list literal where the installed provider takes a single value (`types=[\"EDGE\"]` -> "
                   "`types=\"EDGE\"`), or a single literal where it takes a list, on resources, `*Args` classes and "
                   "`*ArgsDict` dict literals")
    WHY = ("The provider rejects the value at preview: `expected string, got list` (pulumi-aws 7 made "
           "`RestApi.endpoint_configuration.types` a single string), or `expected a list` the other way round.")
    SAFETY = "safe"
    REFERENCES = ["https://www.pulumi.com/registry/packages/aws/how-to-guides/7-0-migration/"]
    VALID = ["import pulumi_aws as aws\napi = aws.apigateway.RestApi('a', endpoint_configuration={'types': 'EDGE'})\n",
             "import pulumi_aws as aws\nfs = aws.efs.FileSystem('fs', lifecycle_policies=policies)\n"]
    INVALID = [
        Example("import pulumi_aws as aws\napi = aws.apigateway.RestApi('a', endpoint_configuration={'types': ['EDGE']})\n",
                "import pulumi_aws as aws\napi = aws.apigateway.RestApi('a', endpoint_configuration={'types': 'EDGE'})\n"),
        Example("import pulumi_aws as aws\ncfg = aws.apigateway.RestApiEndpointConfigurationArgs(types=['REGIONAL'])\n",
                "import pulumi_aws as aws\ncfg = aws.apigateway.RestApiEndpointConfigurationArgs(types='REGIONAL')\n"),
        Example("import pulumi_aws as aws\nfs = aws.efs.FileSystem('fs', lifecycle_policies={'transition_to_ia': 'AFTER_7_DAYS'})\n",
                "import pulumi_aws as aws\nfs = aws.efs.FileSystem('fs', lifecycle_policies=[{'transition_to_ia': 'AFTER_7_DAYS'}])\n"),
    ]

    @classmethod
    def applies(cls, ctx):
        for call in ctx.facts.calls:
            if call.kind in ("resource", "name"):
                fields = fields_of(ctx.index, call.qualname)
                if fields and _ast_problems(ctx.index, call.qualname, fields,
                                            [(k.arg, k.value) for k in call.node.keywords if k.arg]):
                    return True
        return False

    def visit_Call(self, node):
        qual = self.resolve(node.func)
        if not qual or self.kind_of(node.func) not in ("resource", "name"):
            return
        fields = fields_of(self.ctx.index, qual)
        if fields:
            for arg in node.args:
                if arg.keyword is not None:
                    self._check(qual, fields, arg.keyword.value, arg)

    def _check(self, owner, fields, key, holder):
        """``holder`` is a libcst Arg or DictElement whose ``value`` is given for ``key`` of ``owner``."""
        import libcst as cst
        shape = fields.get(key)
        if shape is None:
            return
        value = holder.value
        one_item = isinstance(value, cst.List) and len(value.elements) == 1 \
            and not isinstance(value.elements[0], cst.StarredElement)
        single = isinstance(value, (cst.Dict, cst.SimpleString, cst.Integer, cst.Float)) or (
            isinstance(value, cst.Name) and value.value in ("True", "False"))
        wants = _wants(shape, one_item, single)
        short = owner.rpartition(".")[2]
        if wants == "unwrap":
            self.report(holder, f"`{key}` of {short} takes a single value in the installed provider, not a list",
                        replace=lambda updated: updated.with_changes(value=updated.value.elements[0].value))
            return
        if wants == "wrap":
            self.report(holder, f"`{key}` of {short} takes a list in the installed provider",
                        replace=lambda updated: updated.with_changes(value=cst.List([cst.Element(updated.value)])))
            return
        cls = element_class(owner, shape)
        sub = fields_of(self.ctx.index, cls) if cls else None
        if not sub:
            return
        for item in ([e.value for e in value.elements] if isinstance(value, cst.List) else [value]):
            if isinstance(item, cst.Dict):
                for element in item.elements:
                    if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
                        self._check(cls, sub, element.key.evaluated_value, element)
