import re

from ..names import ast_dotted, classify
from ..rule import CstRule, Example, SAFE


def _normal(name: str) -> str:
    """Spelling-insensitive form: the provider writes '.' as 'D' (PYTHON3D11) and splits words with '_'."""
    return re.sub(r"[_D]", "", name.upper())


def _match(members, wrong: str):
    found = [m for m in members if _normal(m) == _normal(wrong)]
    return found[0] if len(found) == 1 else None


class ProviderEnumMember(CstRule):
    NAME = "provider-enum-member"
    DESCRIPTION = "an enum member spelled the way the provider does not (`lambda_.Runtime.PYTHON3_11` -> `PYTHON3D11`)"
    WHY = "`AttributeError: PYTHON3_11` (enum members encode '.' as 'D'), raised while the program is constructed."
    SAFETY = SAFE
    REFERENCES = ["https://www.pulumi.com/registry/packages/aws/api-docs/lambda/function/#runtime"]
    VALID = ["import pulumi_aws as aws\nr = aws.lambda_.Runtime.PYTHON3D12\n"]
    INVALID = [Example("import pulumi_aws as aws\nr = aws.lambda_.Runtime.PYTHON3_12\n",
                       "import pulumi_aws as aws\nr = aws.lambda_.Runtime.PYTHON3D12\n")]

    @classmethod
    def applies(cls, ctx):
        for a in ctx.facts.attributes:
            qual = ctx.names.resolve(ast_dotted(a.value))
            if classify(ctx.index, qual) == "enum" and a.attr not in ctx.index.enum(qual):
                return True
        return False

    def visit_Attribute(self, node):
        if self.kind_of(node.value) != "enum":
            return
        qual = self.resolve(node.value)
        members = self.ctx.index.enum(qual)
        wrong = node.attr.value
        if wrong in members:
            return
        right = _match(members, wrong)
        if right is None:
            self.report(node, f"{qual.split('.')[-1]} has no member {wrong}")
            return

        def replace(updated):
            import libcst as cst
            return updated.with_changes(attr=cst.Name(right))
        self.report(node, f"{qual.split('.')[-1]} has no member {wrong}; the provider spells it {right}",
                    replace=replace)
