from ..data_tables import fixer_table
from ..names import ast_dotted, classify
from ..rule import CstRule, Example, SAFE


def replacement(index, qualname: str, next_attr: str | None = None) -> str | None:
    """The one real qualified name for a missing pulumi_aws module or class, or None."""
    module, _, name = qualname.rpartition(".")
    table = fixer_table("module_renames.json")
    entry = table.get("modules", {}).get(name) if "." not in module else None
    if entry and index.has_module(f"{module}.{entry['to']}"):
        return f"{module}.{entry['to']}"
    if index.has_module(module) and not (next_attr and "." not in module):  # a missing class in a real module
        entry = table.get("classes", {}).get(qualname)
        candidates = [entry["to"]] if entry else []
        candidates += [name[:-2]] if name.endswith("V2") else [name + "V2"]
        real = [c for c in candidates if index.resource(f"{module}.{c}")]
        return f"{module}.{real[0]}" if real else None
    if "." in module:  # a missing sub-module: no single answer
        return None
    if next_attr:
        homes = index.find_class(next_attr, module)
        if len(homes) == 1:
            return homes[0]
    return None


def repaired_class(index, qualname: str) -> str | None:
    """The real resource class a call to the missing ``qualname`` becomes once fixed (``pulumi_aws.logs.LogGroup``
    -> ``pulumi_aws.cloudwatch.LogGroup``, ``aws.secretsmanager.RandomPassword`` -> ``pulumi_random.RandomPassword``),
    so that what it is assigned to is known before the fix is applied; None when there is no single answer."""
    if qualname.startswith("pulumi_aws.") and _skip(qualname):
        real = "pulumi_random.RandomPassword"
        return real if index.resource(real) else None
    module, _, name = qualname.rpartition(".")
    real = replacement(index, qualname) if index.has_module(module) else None
    if real is None and not index.has_module(module):
        home = replacement(index, module, name)
        real = f"{home}.{name}" if home and index.has_module(home) else home
    return real if real and index.resource(real) else None


def _skip(qualname: str) -> bool:
    return qualname.endswith(".RandomPassword")  # random-password-module maps it


class ProviderModuleUnknown(CstRule):
    NAME = "provider-module-unknown"
    DESCRIPTION = ("a pulumi_aws module or class missing from the installed version, where exactly one real one "
                   "matches (`logs` -> `cloudwatch`, `codedeploy.App` -> `Application`, `BucketVersioningV2` <-> "
                   "`BucketVersioning` by major version)")
    WHY = ("`ImportError: cannot import name 'logs' from 'pulumi_aws'` or `AttributeError: module 'pulumi_aws' has "
           "no attribute 'logs'` ends the program before any resource is registered.")
    SAFETY = SAFE
    REFERENCES = ["https://www.pulumi.com/registry/packages/aws/api-docs/cloudwatch/loggroup/"]
    VALID = ["from pulumi_aws import cloudwatch\ncloudwatch.LogGroup('l')\n",
             # a parameter or local variable shadows the imported module inside its function
             "from pulumi_aws import kms, sqs\n\n\ndef queue(name, kms):\n    return sqs.Queue(name, kms_master_key_id=kms.arn)\n"
             "\n\ndef handler(event, context):\n    sqs = make_client('sqs')\n    sqs.send_message(QueueUrl='u')\n",
             # ... and a module-level binding makes the imported name ambiguous
             "import pulumi_aws as aws\nfor aws in ['a']:\n    print(aws.upper())\n"]
    INVALID = [
        Example("from pulumi_aws import ec2, logs, iam\n\ngroup = logs.LogGroup('app', retention_in_days=30)\n",
                "from pulumi_aws import ec2, cloudwatch as logs, iam\n\ngroup = logs.LogGroup('app', retention_in_days=30)\n"),
        Example("import pulumi_aws as aws\ngroup = aws.logs.LogGroup('app')\napp = aws.codedeploy.App('a')\n",
                "import pulumi_aws as aws\ngroup = aws.cloudwatch.LogGroup('app')\napp = aws.codedeploy.Application('a')\n"),
    ]

    @classmethod
    def applies(cls, ctx):
        for rec in ctx.names.imports:
            if rec.module.split(".")[0] == "pulumi_aws" and classify(ctx.index, rec.qualified) == "missing":
                return True
        return any(classify(ctx.index, ctx.names.resolve(ast_dotted(a))) == "missing" for a in ctx.facts.attributes)

    def visit_ImportFrom(self, node):
        import libcst as cst
        from ..names import cst_dotted
        module = cst_dotted(node.module) if node.module else None
        if not module or module.split(".")[0] != "pulumi_aws" or isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            name = cst_dotted(alias.name)
            qual = f"{module}.{name}"
            if classify(self.ctx.index, qual) != "missing" or _skip(qual):
                continue
            real = replacement(self.ctx.index, qual)
            if real is None:
                self.report(alias, f"{qual} does not exist in the installed pulumi-aws")
                continue
            new_name = real.rpartition(".")[2]

            def replace(updated, alias_name=name, new_name=new_name):
                new_names = []
                for a in updated.names:
                    if cst_dotted(a.name) == alias_name:
                        a = a.with_changes(name=cst.Name(new_name), asname=a.asname or cst.AsName(cst.Name(alias_name)))
                    new_names.append(a)
                return updated.with_changes(names=new_names)
            self.report(alias, f"{qual} does not exist in the installed pulumi-aws; use {real}", replace=replace,
                        target=node)

    def visit_Attribute(self, node):
        qual = self.resolve(node)
        if not qual or self.kind_of(node) != "missing" or _skip(qual) or self.kind_of(node.value) != "module":
            return
        import libcst as cst
        parent = self.parent_of(node)
        next_attr = parent.attr.value if isinstance(parent, cst.Attribute) and parent.value is node else None
        real = replacement(self.ctx.index, qual, next_attr)
        if real is None:
            self.report(node, f"{qual} does not exist in the installed pulumi-aws")
            return
        new = real.rpartition(".")[2]
        self.report(node, f"{qual} does not exist in the installed pulumi-aws; use {real}",
                    replace=lambda updated: updated.with_changes(attr=cst.Name(new)))
