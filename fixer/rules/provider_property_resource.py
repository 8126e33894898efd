"""A property that is a resource of its own in the installed provider (fixer/data/property_moves.json): the
keyword leaves the constructor and a new resource, linked to the old one, takes its value."""
import re

from ..data_tables import fixer_table
from ..imports import module_reference
from ..keywords import accepted
from ..names import cst_dotted
from ..rule import CstRule, Example, UNSAFE, rebuild_args
from .apigateway_deployment_stage import _free_name, _shareable_opts, _suffixed, _trailing_comments


def moves_for(index, qualname: str) -> dict:
    """keyword -> move entry, for the moves the installed provider confirms (the class lacks the keyword; the
    new resource accepts its link and what it is given)."""
    have = accepted(index, qualname)
    out = {}
    for move in fixer_table("property_moves.json").get("moves", []):
        if move["class"] != qualname or not have or move["keyword"] in have:
            continue
        takes = accepted(index, move["resource"])
        needed = set(move["link"]) | ({move["as"]} if move.get("as") else set()) | set(move.get("with", {}).values())
        if takes and needed <= takes:
            out[move["keyword"]] = move
    return out


def _spread(index, move, value) -> list | None:
    """``[(keyword, value source)]`` of a dict literal / ``*Args`` call value spread into the new resource."""
    import libcst as cst
    code = cst.Module([]).code_for_node
    takes = accepted(index, move["resource"])
    pairs = []
    if isinstance(value, cst.Dict):
        for element in value.elements:
            if not isinstance(element, cst.DictElement) or not isinstance(element.key, cst.SimpleString):
                return None
            pairs.append((element.key.evaluated_value, element.value))
    elif isinstance(value, cst.Call) and all(a.keyword is not None for a in value.args) \
            and (cst_dotted(value.func) or "").endswith("Args"):
        pairs = [(a.keyword.value, a.value) for a in value.args]
    else:
        return None
    out = []
    for key, sub in pairs:
        name = move.get("fields", {}).get(key, key)
        if name is None:
            continue  # a flag the new resource expresses by existing (``enable``)
        if name not in takes:
            return None
        out.append((name, code(sub)))
    return out


class ProviderPropertyResource(CstRule):
    NAME = "provider-property-resource"
    DESCRIPTION = ("a property that is a separate resource in the installed provider (`Secret(rotation_rules=...)`, "
                   "`redshift.Cluster(logging=...)`, `Bucket(public_access_block=...)`) -> that resource, linked to "
                   "the original")
    WHY = ("`TypeError: Secret._internal_init() got an unexpected keyword argument 'rotation_rules'`: the upgrade "
           "guides moved these settings to resources of their own (fixer/data/property_moves.json, each with its "
           "source). Unsafe: a new resource appears in the program, so review its name.")
    SAFETY = UNSAFE
    REFERENCES = ["https://www.pulumi.com/registry/packages/aws/how-to-guides/7-0-migration/",
                  "https://www.pulumi.com/registry/packages/aws/how-to-guides/5-0-migration/"]
    VALID = ["import pulumi_aws as aws\nsecret = aws.secretsmanager.Secret('s')\n"
             "aws.secretsmanager.SecretRotation('r', secret_id=secret.id, rotation_rules={'automatically_after_days': 30})\n"]
    INVALID = [
        Example("import pulumi_aws as aws\nsecret = aws.secretsmanager.Secret('db-secret', rotation_lambda_arn=fn.arn,\n"
                "    rotation_rules={'automatically_after_days': 30})\n",
                "import pulumi_aws as aws\nsecret = aws.secretsmanager.Secret('db-secret')\n"
                "secret_rotation = aws.secretsmanager.SecretRotation('db-secret-rotation', secret_id=secret.id, "
                "rotation_lambda_arn=fn.arn, rotation_rules={'automatically_after_days': 30})\n", unsafe=True),
        Example("import pulumi_aws as aws\n\n\nclass Storage:\n    def __init__(self, name):\n"
                "        self.bucket = aws.s3.Bucket(f'{name}-data', public_access_block={'block_public_acls': True,\n"
                "                                    'block_public_policy': True})\n",
                "import pulumi_aws as aws\n\n\nclass Storage:\n    def __init__(self, name):\n"
                "        self.bucket = aws.s3.Bucket(f'{name}-data')\n"
                "        self.bucket_public_access_block = aws.s3.BucketPublicAccessBlock(f'{name}-data-public-access-block', "
                "bucket=self.bucket.id, block_public_acls=True, block_public_policy=True)\n", unsafe=True),
        Example("import pulumi_aws as aws\naws.s3.Bucket('b', public_access_block=settings)\n", None),
        Example("import pulumi_aws as aws\n\n\ndef warehouse(name):\n"
                "    return aws.redshift.Cluster(name, node_type='ra3.xlplus', logging={'enable': True, 'bucket_name': 'logs'})\n",
                "import pulumi_aws as aws\n\n\ndef warehouse(name):\n"
                "    cluster = aws.redshift.Cluster(name, node_type='ra3.xlplus')\n"
                "    cluster_logging = aws.redshift.Logging(name + '-logging', cluster_identifier=cluster.id, bucket_name='logs')\n"
                "    return cluster\n", unsafe=True),
    ]

    @classmethod
    def applies(cls, ctx):
        return any(set(c.keywords) & set(moves_for(ctx.index, c.qualname))
                   for c in ctx.facts.calls if c.kind == "resource")

    def visit_SimpleStatementLine(self, node):
        import libcst as cst
        stmt = node.body[0] if len(node.body) == 1 else None
        if isinstance(stmt, cst.Assign) and len(stmt.targets) == 1 and isinstance(stmt.value, cst.Call):
            target = cst_dotted(stmt.targets[0].target)
            qual = self.resolve(stmt.value.func)
            if target and qual and self.kind_of(stmt.value.func) == "resource":
                self._fix(node, stmt.value, qual, target)
        elif isinstance(stmt, cst.Return) and isinstance(stmt.value, cst.Call):
            # ``return aws.redshift.Cluster(...)``: the resource gets a name so the new one can link to it
            qual = self.resolve(stmt.value.func)
            if qual and self.kind_of(stmt.value.func) == "resource" and moves_for(self.ctx.index, qual):
                local = _free_name(self.ctx, re.sub(r"(?<!^)(?=[A-Z])", "_", qual.rpartition(".")[2]).lower())
                if local:
                    self._fix(node, stmt.value, qual, local, returned=True)

    def visit_Call(self, node):
        import libcst as cst
        parent = self.parent_of(node)
        statement = self.parent_of(parent) if isinstance(parent, cst.Assign) else None
        if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1 \
                and cst_dotted(parent.targets[0].target):
            return  # handled at its statement
        if isinstance(parent, cst.Return) and isinstance(self.parent_of(parent), cst.SimpleStatementLine):
            return  # handled at its statement
        qual = self.resolve(node.func)
        if not qual or self.kind_of(node.func) != "resource":
            return
        moves = moves_for(self.ctx.index, qual)
        for arg in node.args:
            if arg.keyword and arg.keyword.value in moves:
                self._report_only(arg, qual, moves[arg.keyword.value], "assign the resource to a name to get it fixed")

    def _report_only(self, arg, qual, move, why):
        self.report(arg, f"{qual.rpartition('.')[2]} has no `{arg.keyword.value}`: it is the separate resource "
                         f"{move['resource'].rpartition('.')[2]} ({why})")

    def _fix(self, statement, call, qual, target, returned=False):
        import libcst as cst
        moves = moves_for(self.ctx.index, qual)
        primary = [a for a in call.args if a.keyword and a.keyword.value in moves]
        if not primary:
            return
        move = moves[primary[0].keyword.value]
        moving = {primary[0].keyword.value} | {a.keyword.value for a in call.args
                                               if a.keyword and a.keyword.value in move.get("with", {})}
        name = next((a for a in call.args if a.keyword is None), None)
        new_target = _free_name(self.ctx, f"{target}_{move['suffix'].replace('-', '_')}")
        code = cst.Module([]).code_for_node
        values = []
        for arg in call.args:
            if arg.keyword and arg.keyword.value in moving:
                key = arg.keyword.value
                if key == move["keyword"] and move.get("expand"):
                    spread = _spread(self.ctx.index, move, arg.value)
                    if spread is None:
                        values = None
                        break
                    values += spread
                else:
                    values.append((move["as"] if key == move["keyword"] else move["with"][key], code(arg.value)))
        if values is None or name is None or name.star or new_target is None:
            for arg in primary:
                self._report_only(arg, qual, move, "its value is not a literal the fixer can spread"
                                  if values is None else "the resource needs a plain name and a free variable")
            return
        func, imports = self._reference(call.func, move["resource"])
        link = [f"{k}={target}.{attr}" for k, attr in move["link"].items()]
        shared = _shareable_opts(next((a for a in call.args if a.keyword and a.keyword.value == "opts"), None))

        def replace(updated):
            stmt = updated.body[0]
            old_call = stmt.value
            kept = rebuild_args(old_call.args, lambda a: [] if a.keyword and a.keyword.value in moving else [a])
            if returned:  # name the resource, then return that name after the new resource
                fixed = updated.with_changes(body=[cst.Assign(targets=[cst.AssignTarget(cst.Name(target))],
                                                              value=old_call.with_changes(args=kept))])
            else:
                fixed = updated.with_changes(body=[stmt.with_changes(value=old_call.with_changes(args=kept))])
            first = next(a for a in old_call.args if a.keyword is None)
            args = [_suffixed(first.value, "-" + move["suffix"])] + link + [f"{k}={v}" for k, v in values]
            args += [f"opts={code(shared)}"] if shared is not None else []
            comments = [c for a in old_call.args if a.keyword and a.keyword.value in moving for c in _trailing_comments(a)]
            comment = "  " + " ".join(comments) if comments else ""
            created = cst.parse_statement(f"{new_target} = {func}({', '.join(args)}){comment}\n")
            tail = [updated.with_changes(body=[stmt.with_changes(value=cst.Name(target))])] if returned else []
            return cst.FlattenSentinel([fixed, created, *tail])
        self.report(primary[0], f"{qual.rpartition('.')[2]} has no `{primary[0].keyword.value}` in the installed "
                                f"provider: moved to a new {move['resource'].rpartition('.')[2]} `{new_target}`",
                    replace=replace, target=statement, imports=imports)

    def _reference(self, func, resource: str) -> tuple:
        """How new code names ``resource``: beside the old class's module reference when they share it."""
        import libcst as cst
        module, _, name = resource.rpartition(".")
        if isinstance(func, cst.Attribute) and self.resolve(func.value) == module:
            return cst.Module([]).code_for_node(func.value) + "." + name, ()
        local, imports = module_reference(self.ctx, module)
        return f"{local}.{name}", imports
