import ast

from ..names import ast_dotted, cst_dotted
from ..rule import CstRule, Example, SAFE, keyword_arg, literal_string

ALLOWED_SPECIAL = "!&#$^<>-"
GROUP = "pulumi_aws.elasticache.ReplicationGroup"


def _token_passwords(ctx) -> set:
    """Dotted names of RandomPasswords whose ``.result`` feeds a ReplicationGroup's auth_token."""
    out = set()
    for call in ctx.facts.calls_to(GROUP):
        value = call.keywords.get("auth_token")
        if isinstance(value, ast.Attribute) and value.attr == "result":
            bound = ctx.names.binding(ast_dotted(value.value))
            if bound and bound[1] == "pulumi_random.RandomPassword":
                out.add(ast_dotted(value.value))
    return out


def _needs_fix(special, override) -> bool:
    if special is False:
        return False  # letters and digits only: valid
    return override is None or not isinstance(override, str) or any(c not in ALLOWED_SPECIAL for c in override)


class ElasticacheAuthTokenCharset(CstRule):
    NAME = "elasticache-auth-token-charset"
    DESCRIPTION = f"a RandomPassword used as an ElastiCache auth token -> `special=True`, `override_special=\"{ALLOWED_SPECIAL}\"`"
    WHY = ("ElastiCache accepts only the specials `!&#$^<>-` in an AUTH token: `InvalidParameterValue: Invalid "
           "AuthToken provided`. pulumi_random's default specials include others.")
    SAFETY = SAFE
    REFERENCES = ["https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html"]
    VALID = ["import pulumi_aws as aws\nimport pulumi_random as random\ntok = random.RandomPassword('t', length=32, "
             "special=False)\naws.elasticache.ReplicationGroup('r', description='d', auth_token=tok.result)\n"]
    INVALID = [Example(
        "import pulumi_aws as aws\nimport pulumi_random as random\n\ntok = random.RandomPassword('t', length=32)\n"
        "aws.elasticache.ReplicationGroup('r', description='d', auth_token=tok.result)\n",
        "import pulumi_aws as aws\nimport pulumi_random as random\n\ntok = random.RandomPassword('t', length=32, "
        "special=True, override_special=\"!&#$^<>-\")\naws.elasticache.ReplicationGroup('r', description='d', "
        "auth_token=tok.result)\n")]

    @classmethod
    def applies(cls, ctx):
        names = _token_passwords(ctx)
        return any(c.target in names and _needs_fix(c.const("special"), c.const("override_special"))
                   for c in ctx.facts.calls_to("pulumi_random.RandomPassword"))

    def visit_Assign(self, node):
        import libcst as cst
        if len(node.targets) != 1 or not isinstance(node.value, cst.Call):
            return
        call = node.value
        if cst_dotted(node.targets[0].target) not in _token_passwords(self.ctx) or \
                self.resolve(call.func) != "pulumi_random.RandomPassword":
            return
        special, override = keyword_arg(call, "special"), keyword_arg(call, "override_special")
        special_value = None if special is None else {"True": True, "False": False}.get(getattr(special.value, "value", ""), "?")
        if not _needs_fix(special_value, literal_string(override.value) if override else None):
            return

        def replace(updated):
            from ..rule import rebuild_args
            eq = cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))
            args = rebuild_args(updated.args, lambda a: [] if a.keyword and a.keyword.value in
                                ("special", "override_special") else [a])
            last = args[-1]
            multiline = isinstance(last.comma, cst.Comma) and \
                isinstance(last.comma.whitespace_after, cst.ParenthesizedWhitespace) and len(args) > 1
            sep = args[-2].comma if multiline else cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            end = last.comma
            args[-1] = last.with_changes(comma=sep)
            return updated.with_changes(args=[
                *args, cst.Arg(cst.Name("True"), keyword=cst.Name("special"), equal=eq, comma=sep),
                cst.Arg(cst.SimpleString(f'"{ALLOWED_SPECIAL}"'), keyword=cst.Name("override_special"), equal=eq,
                        comma=end)])
        self.report(call, "this RandomPassword is an ElastiCache auth token: restrict its specials to "
                          f"{ALLOWED_SPECIAL}", replace=replace)
