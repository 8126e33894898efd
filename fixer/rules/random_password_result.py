from ..names import cst_dotted
from ..rule import CstRule, Example, SAFE


class RandomPasswordResult(CstRule):
    NAME = "random-password-result"
    DESCRIPTION = "`.random_password` on a RandomPassword resource -> `.result`"
    WHY = ("`pulumi_random.RandomPassword` exposes the password as `result`; `.random_password` raises "
           "AttributeError while the program is constructed (it is only valid on "
           "`aws.secretsmanager.get_random_password(...)`).")
    SAFETY = SAFE
    REFERENCES = ["https://www.pulumi.com/registry/packages/random/api-docs/randompassword/#outputs"]
    VALID = ["import pulumi_aws as aws\npw = aws.secretsmanager.get_random_password(password_length=20)\n"
             "value = pw.random_password\n"]
    INVALID = [Example(
        "import pulumi_random as random\n\nclass Stack:\n    def __init__(self):\n"
        "        self.pw = random.RandomPassword('pw', length=24)\n        self.secret = self.pw.random_password\n",
        "import pulumi_random as random\n\nclass Stack:\n    def __init__(self):\n"
        "        self.pw = random.RandomPassword('pw', length=24)\n        self.secret = self.pw.result\n")]

    @classmethod
    def applies(cls, ctx):
        return any(a.attr == "random_password" for a in ctx.facts.attributes)

    def visit_Attribute(self, node):
        if node.attr.value != "random_password":
            return
        bound = self.ctx.names.binding(cst_dotted(node.value))
        if not bound or bound[0] == "function" or not bound[1].endswith(".RandomPassword"):
            return

        def replace(updated):
            import libcst as cst
            return updated.with_changes(attr=cst.Name("result"))
        self.report(node, "RandomPassword has no `random_password` output; its value is `result`", replace=replace)
