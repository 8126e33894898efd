from ..keywords import rename_for
from ..rule import CstRule, Example, UNSAFE, keyword_arg, literal_string

USER_KEYWORD = {"pulumi_aws.rds.Instance": "username", "pulumi_aws.rds.Cluster": "master_username"}
SECRET_KEYS = ("username", "master_username", "user")


class RdsMasterUsernameReserved(CstRule):
    NAME = "rds-master-username-reserved"
    DESCRIPTION = ("a reserved master username literal (`admin` for PostgreSQL) -> `dbadmin`, and the same literal "
                   "in the secret that stores it in the same file")
    WHY = "AWS rejects the database: `MasterUsername admin cannot be used as it is a reserved word used by the engine`."
    SAFETY = UNSAFE
    REFERENCES = ["https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.MasterAccounts.html",
                  "policypack/data/rds_credentials.json"]
    VALID = ["import pulumi_aws as aws\naws.rds.Cluster('c', engine='aurora-postgresql', master_username='dbadmin')\n",
             "import pulumi_aws as aws\naws.rds.Instance('m', engine='mysql', username='admin')\n"]
    INVALID = [Example(
        "import json\nimport pulumi_aws as aws\n\ncluster = aws.rds.Cluster('c', engine='aurora-postgresql', "
        "master_username='admin')\nsecret = json.dumps({'username': 'admin', 'engine': 'postgres'})\n",
        "import json\nimport pulumi_aws as aws\n\ncluster = aws.rds.Cluster('c', engine='aurora-postgresql', "
        "master_username='dbadmin')\nsecret = json.dumps({'username': 'dbadmin', 'engine': 'postgres'})\n",
        unsafe=True),
        # the rds.Instance keyword under its rds.Cluster spelling (provider-keyword-renamed renames it)
        Example("import pulumi_aws as aws\ndb = aws.rds.Instance('db', engine='postgres', master_username='admin')\n",
                "import pulumi_aws as aws\ndb = aws.rds.Instance('db', engine='postgres', master_username='dbadmin')\n",
                unsafe=True)]

    @classmethod
    def applies(cls, ctx):
        return bool(_reserved_literals(ctx))

    def visit_Call(self, node):
        qual = self.resolve(node.func)
        arg = next((a for a in node.args if a.keyword and _is_user_keyword(self.ctx.index, qual, a.keyword.value)),
                   None)
        engine = keyword_arg(node, "engine")
        if arg is None or engine is None:
            return
        name = literal_string(arg.value)
        if name is not None and name.lower() in self.ctx.data.reserved_usernames(literal_string(engine.value) or ""):
            self._replace(arg, f"master username {name!r} is reserved by the {literal_string(engine.value)} engine")

    def visit_DictElement(self, node):
        key = literal_string(node.key)
        value = literal_string(node.value)
        if key in SECRET_KEYS and value is not None and value in _reserved_literals(self.ctx):
            self._replace(node, f"the secret stores the reserved master username {value!r}; keep it in step")

    def _replace(self, node, message):
        new = self.ctx.data.username_replacement()

        def replace(updated):
            v = updated.value
            return updated.with_changes(value=v.with_changes(value=f"{v.prefix}{v.quote}{new}{v.quote}"))
        self.report(node, f"{message}: use {new!r}", replace=replace)


def _is_user_keyword(index, qual: str, keyword: str) -> bool:
    """The master-username keyword of ``qual``, or a spelling provider-keyword-renamed turns into it
    (``master_username`` on rds.Instance)."""
    kw = USER_KEYWORD.get(qual)
    if not kw:
        return False
    rename = rename_for(index, qual, keyword) if keyword != kw else None
    return keyword == kw or (rename is not None and rename["to"] == kw)


def _reserved_literals(ctx) -> set:
    found = set()
    for call in ctx.facts.calls:
        kw = next((k for k in call.keywords if _is_user_keyword(ctx.index, call.qualname, k)), None)
        name, engine = (call.const(kw), call.const("engine")) if kw else (None, None)
        if isinstance(name, str) and isinstance(engine, str) and name.lower() in ctx.data.reserved_usernames(engine):
            found.add(name)
    return found
