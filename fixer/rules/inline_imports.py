from ..rule import CstRule, Example, Fix, SAFE


class InlineImports(CstRule):
    NAME = "inline-imports"
    DESCRIPTION = "imports inside functions or methods hoisted to the module top"
    WHY = ("An import buried in `__init__` hides a dependency (a missing `pulumi_random` then fails late, inside "
           "the stack constructor) and rebinds the name on every call. Only unconditional imports at the top "
           "level of a function body move; imports inside try/if stay (they are often optional).")
    SAFETY = SAFE
    REFERENCES = ["https://peps.python.org/pep-0008/#imports"]
    VALID = ["import json\n\ndef f():\n    try:\n        import yaml\n    except ImportError:\n        yaml = None\n"
             "    return json\n"]
    INVALID = [Example(
        "import pulumi\n\n\nclass Stack:\n    def __init__(self):\n        import json\n"
        "        import pulumi_random as random\n        self.pw = random.RandomPassword('pw', length=20)\n"
        "        self.doc = json.dumps({})\n",
        "import pulumi\nimport json\nimport pulumi_random as random\n\n\nclass Stack:\n    def __init__(self):\n"
        "        self.pw = random.RandomPassword('pw', length=20)\n        self.doc = json.dumps({})\n")]

    @classmethod
    def applies(cls, ctx):
        return any(rec.in_function for rec in ctx.names.imports)

    def visit_Module(self, node):
        self.module = node
        self.top_level = {s.body[0].__class__.__name__ + repr(_items(s.body[0]))
                          for s in node.body if _is_import_line(s)}

    def visit_FunctionDef(self, node):
        import libcst as cst
        for stmt in node.body.body:
            if not (isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1
                    and isinstance(stmt.body[0], (cst.Import, cst.ImportFrom))):
                continue
            imp = stmt.body[0]
            items = _items(imp)
            if items is None:
                continue
            if any(self.ctx.names.aliases.get(local) is not None and
                   not isinstance(self.ctx.names.aliases.get(local), str) for _, _, _, local in items):
                self.report(stmt, "import inside a function; its name is bound differently elsewhere, move it by hand")
                continue
            self.report(stmt, "import inside a function: move it to the top of the module",
                        replace=_remover(stmt), target=node)
            key = stmt.body[0].__class__.__name__ + repr(items)
            if key not in self.top_level:  # the statement itself moves, with its comments
                self.top_level.add(key)
                self.ctx.fixes.append((self.ctx.findings[-1], Fix(self.module, _inserter(stmt))))


def _is_import_line(stmt) -> bool:
    import libcst as cst
    return isinstance(stmt, cst.SimpleStatementLine) and len(stmt.body) == 1 and \
        isinstance(stmt.body[0], (cst.Import, cst.ImportFrom))


def _inserter(stmt):
    """Insert ``stmt`` after the module's leading imports (docstring and __future__ stay first)."""
    def replace(module):
        body = list(module.body)
        at = 0
        for i, s in enumerate(body):
            if _is_import_line(s) or (i == 0 and _is_docstring(s)):
                at = i + 1
            else:
                break
        moved = stmt.with_changes(leading_lines=[l for l in stmt.leading_lines if l.comment is not None])
        return module.with_changes(body=[*body[:at], moved, *body[at:]])
    return replace


def _is_docstring(stmt) -> bool:
    import libcst as cst
    return isinstance(stmt, cst.SimpleStatementLine) and isinstance(stmt.body[0], cst.Expr) and \
        isinstance(stmt.body[0].value, (cst.SimpleString, cst.ConcatenatedString))


def _items(imp):
    """(module, name, alias, local) per imported name; None for relative/star/__future__ imports."""
    import libcst as cst
    from ..names import cst_dotted
    if isinstance(imp, cst.ImportFrom):
        if imp.relative or isinstance(imp.names, cst.ImportStar) or imp.module is None:
            return None
        module = cst_dotted(imp.module)
        if module == "__future__":
            return None
        return [(module, cst_dotted(a.name), a.asname.name.value if a.asname else None,
                 a.asname.name.value if a.asname else cst_dotted(a.name)) for a in imp.names]
    return [(cst_dotted(a.name), None, a.asname.name.value if a.asname else None,
             a.asname.name.value if a.asname else cst_dotted(a.name).split(".")[0]) for a in imp.names]


def _remover(stmt):
    def replace(updated):
        import libcst as cst
        body = [s for s in updated.body.body if not s.deep_equals(stmt)]
        if not body:
            body = [cst.SimpleStatementLine([cst.Pass()])]
        return updated.with_changes(body=updated.body.with_changes(body=body))
    return replace
