from ..imports import module_reference
from ..rule import CstRule, Example, SAFE

# Characters pulumi_random uses for special=True when override_special is not given.
RANDOM_DEFAULT_SPECIAL = "!@#$%&*()-_=+[]{}<>:?"
# secretsmanager.get_random_password spelling -> pulumi_random keyword and value when the flag is True.
_FLAG_MAP = {"exclude_punctuation": ("special", False), "exclude_uppercase": ("upper", False),
             "exclude_lowercase": ("lower", False), "exclude_numbers": ("numeric", False)}


class RandomPasswordModule(CstRule):
    NAME = "random-password-module"
    DESCRIPTION = "`aws.secretsmanager.RandomPassword(...)` -> `pulumi_random.RandomPassword(...)` with its arguments mapped"
    WHY = ("pulumi_aws has no RandomPassword resource: the program dies with `AttributeError: module "
           "'pulumi_aws.secretsmanager' has no attribute 'RandomPassword'` before anything is deployed.")
    SAFETY = SAFE
    REFERENCES = ["https://www.pulumi.com/registry/packages/random/api-docs/randompassword/"]
    VALID = ["import pulumi_random as random\npw = random.RandomPassword('pw', length=32, special=False)\n",
             "import pulumi_aws as aws\npw = aws.secretsmanager.get_random_password(password_length=32)\n"]
    INVALID = [
        Example("import pulumi_aws as aws\n\npw = aws.secretsmanager.RandomPassword(\n    'pw',\n    length=32,\n"
                "    exclude_characters='\"@/\\\\',  # RDS forbids these\n    exclude_punctuation=False,\n)\n",
                "import pulumi_aws as aws\nimport pulumi_random\n\npw = pulumi_random.RandomPassword(\n    'pw',\n"
                "    length=32,\n    special=True, override_special='!#$%&*()-_=+[]{}<>:?',  # RDS forbids these\n)\n"),
        Example("import pulumi_aws as aws\nimport pulumi_random as random\n"
                "pw = aws.secretsmanager.RandomPassword('pw', password_length=20, exclude_punctuation=True)\n",
                "import pulumi_aws as aws\nimport pulumi_random as random\n"
                "pw = random.RandomPassword('pw', length=20, special=False)\n"),
    ]

    @classmethod
    def applies(cls, ctx):
        return any(c.qualname.endswith(".RandomPassword") and c.kind == "missing" for c in ctx.facts.calls)

    def visit_Call(self, node):
        qual = self.resolve(node.func)
        if not qual or not qual.startswith("pulumi_aws.") or not qual.endswith(".RandomPassword") \
                or self.kind_of(node.func) != "missing":
            return
        args, ok = _map_arguments(node.args)
        message = f"{qual.replace('pulumi_aws', 'aws')} does not exist: RandomPassword is in pulumi_random"
        if not ok:
            self.report(node, message + " (arguments need manual mapping)")
            return
        ref, imports = module_reference(self.ctx, "pulumi_random")

        def replace(updated):
            import libcst as cst
            return updated.with_changes(func=cst.parse_expression(f"{ref}.RandomPassword"),
                                        args=_map_arguments(updated.args)[0])
        self.report(node, message, replace=replace, imports=imports)


def _map_arguments(args):
    """Arguments in pulumi_random's spelling; ``ok`` is False when a value cannot be mapped faithfully."""
    import libcst as cst
    from ..rule import literal_string, rebuild_args
    state = {"ok": True}

    def mapper(arg):
        kw = arg.keyword.value if arg.keyword else None
        value = arg.value
        if kw == "password_length":
            return [arg.with_changes(keyword=cst.Name("length"))]
        if kw == "exclude_characters":
            excluded = literal_string(value)
            if excluded is None:
                state["ok"] = False
                return [arg]
            allowed = "".join(c for c in RANDOM_DEFAULT_SPECIAL if c not in excluded)
            return [arg.with_changes(keyword=cst.Name("special"), value=cst.Name("True"),
                                     comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                    arg.with_changes(keyword=cst.Name("override_special"), value=cst.SimpleString(repr(allowed)))]
        if kw in _FLAG_MAP or kw in ("include_space", "require_each_included_type"):
            if isinstance(value, cst.Name) and value.value == "False":
                return []  # restates pulumi_random's default
            if kw in _FLAG_MAP and isinstance(value, cst.Name) and value.value == "True":
                name, new = _FLAG_MAP[kw]
                return [arg.with_changes(keyword=cst.Name(name), value=cst.Name(str(new)))]
            state["ok"] = False
        return [arg]

    out = rebuild_args(args, mapper)
    return out, state["ok"]
