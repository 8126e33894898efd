from ..api_history import candidates as history_candidates
from ..data_tables import fixer_table
from ..names import ast_dotted, classify
from ..rule import CstRule, Example, SAFE


def replacement(index, qualname: str, next_attr: str | None = None, keywords=None) -> str | None:
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
        if real:
            return f"{module}.{real[0]}"
        # Another language's name for a function's result type: ``GetSecretOutput`` is ``GetSecretResult`` in
        # Python (``get_secret_output()`` returns ``Output[GetSecretResult]``).
        if name.endswith("Output") and _exists(index, f"{module}.{name[:-len('Output')]}Result"):
            return f"{module}.{name[:-len('Output')]}Result"
        # The provider's history: the same type token under another name or module (5.x/6.x -> installed).
        moved = {e["to"] for e in history_candidates("class", "", qualname) if _exists(index, e["to"])}
        if len(moved) == 1:
            return moved.pop()
        # A class of that name in exactly one other module of the package (ec2.InstanceProfile -> iam).
        homes = [f"{m}.{name}" for m in index.find_class(name, module.split(".")[0]) if m != module]
        if len(homes) > 1 and keywords:  # the call's keywords tell the resources apart (iam's takes `role`)
            homes = [h for h in homes if set(keywords) <= set(index.resource(h)["kwargs"]) | {"opts"}]
        return homes[0] if len(homes) == 1 else None
    if "." in module:  # a missing sub-module: no single answer
        return None
    if next_attr:
        homes = index.find_class(next_attr, module)
        if len(homes) == 1:
            return homes[0]
    return None


def _exists(index, qualname: str) -> bool:
    return classify(index, qualname) not in (None, "missing", "module")


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
                   "matches (the provider's API history by type token, or the one module whose class takes the "
                   "call's keywords): `logs` -> `cloudwatch`, `codedeploy.App` -> `Application`, `BucketVersioningV2` <-> "
                   "`BucketVersioning` by major version")
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
        # the call's keywords pick the one class of that name that takes them (iam, not dms or devicefarm)
        Example("import pulumi_aws as aws\nprofile = aws.ec2.InstanceProfile('p', role=role.name)\n",
                "import pulumi_aws as aws\nprofile = aws.iam.InstanceProfile('p', role=role.name)\n"),
        # ... imported by name from its old module: the import moves, the local name stays
        Example("from pulumi_aws.workspaces import WebBrowserSettings\nw = WebBrowserSettings('w', browser_policy='{}')\n",
                "from pulumi_aws.workspacesweb import BrowserSettings as WebBrowserSettings\n"
                "w = WebBrowserSettings('w', browser_policy='{}')\n"),
        # a function's result type named the way another language's SDK names it
        Example("import pulumi_aws as aws\n\n\ndef password_of(secret: aws.secretsmanager.GetSecretOutput):\n"
                "    return secret.arn\n",
                "import pulumi_aws as aws\n\n\ndef password_of(secret: aws.secretsmanager.GetSecretResult):\n"
                "    return secret.arn\n"),
        # the provider's history: the same type token under a new name / in a new module (6.x -> 7.x)
        Example("import pulumi_aws as aws\nc = aws.chime.VoiceConnectorOrganization('c', voice_connector_id=v.id)\n"
                "w = aws.workspaces.WebBrowserSettings('w', browser_policy='{}')\n",
                "import pulumi_aws as aws\nc = aws.chime.VoiceConnectorOrigination('c', voice_connector_id=v.id)\n"
                "w = aws.workspacesweb.BrowserSettings('w', browser_policy='{}')\n"),
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
            new_module, _, new_name = real.rpartition(".")
            if new_module != module:
                if len(node.names) != 1:
                    self.report(alias, f"{qual} does not exist in the installed pulumi-aws; use {real}")
                    continue

                def move(updated, alias_name=name, new_module=new_module, new_name=new_name):
                    first = updated.names[0]
                    return updated.with_changes(
                        module=cst.parse_expression(new_module),
                        names=[first.with_changes(name=cst.Name(new_name),
                                                  asname=first.asname or (cst.AsName(cst.Name(alias_name))
                                                                          if new_name != alias_name else None))])
                self.report(alias, f"{qual} does not exist in the installed pulumi-aws; use {real}", replace=move,
                            target=node)
                continue

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
        call = parent if isinstance(parent, cst.Call) and parent.func is node else None
        keywords = [a.keyword.value for a in call.args if a.keyword] if call is not None else None
        real = replacement(self.ctx.index, qual, next_attr, keywords)
        if real is None:
            self.report(node, f"{qual} does not exist in the installed pulumi-aws")
            return
        new_module, _, new = real.rpartition(".")
        if new_module != qual.rpartition(".")[0]:
            # Another module: rewrite ``aws.ec2`` to ``aws.iam`` too, where the module is spelled as an attribute
            # of the package; an imported module name (``ec2.X``) has no single rewrite.
            base = node.value
            if not (isinstance(base, cst.Attribute) and self.resolve(base.value) == new_module.rpartition(".")[0]):
                self.report(node, f"{qual} does not exist in the installed pulumi-aws; use {real}")
                return
            module_attr = new_module.rpartition(".")[2]
            self.report(node, f"{qual} does not exist in the installed pulumi-aws; use {real}",
                        replace=lambda updated: updated.with_changes(
                            value=updated.value.with_changes(attr=cst.Name(module_attr)), attr=cst.Name(new)))
            return
        self.report(node, f"{qual} does not exist in the installed pulumi-aws; use {real}",
                    replace=lambda updated: updated.with_changes(attr=cst.Name(new)))
