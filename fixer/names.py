"""Name resolution shared by every rule: which provider module, class or function an expression means.

Receivers are resolved through the program's imports and assignments, never by matching text:
``import pulumi_aws as aws``, ``from pulumi_aws import elasticache``, ``from pulumi_aws.rds import Instance``
all make the corresponding dotted expression resolve to ``pulumi_aws.rds.Instance``; ``self.db =
aws.rds.Instance(...)`` makes ``self.db`` an instance of that class. The tables are built once per file from
the ``ast`` tree (cheap) and used by both the ``ast`` pre-filter and the libcst rules, so both always agree.
Resolution is flow-insensitive: a name bound to two different things resolves to nothing.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field

PROVIDER_PACKAGES = ("pulumi_aws", "pulumi_random")
_AMBIGUOUS = object()


def ast_dotted(node: ast.AST) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def cst_dotted(node) -> str | None:
    """``a.b.c`` for a libcst Name/Attribute chain, else None."""
    import libcst as cst
    parts = []
    while isinstance(node, cst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if isinstance(node, cst.Name):
        parts.append(node.value)
        return ".".join(reversed(parts))
    return None


@dataclass
class ImportRecord:
    module: str  # "pulumi_aws" for both "import pulumi_aws" and "from pulumi_aws import rds"
    name: str | None  # the imported member for "from" imports
    alias: str | None
    line: int
    col: int
    in_function: bool

    @property
    def local(self) -> str:
        if self.alias:
            return self.alias
        return self.name if self.name else self.module.split(".")[0]

    @property
    def qualified(self) -> str:
        if self.name is None:
            return self.module if self.alias else self.module.split(".")[0]
        return f"{self.module}.{self.name}"


@dataclass
class Names:
    """Import aliases and assignment bindings of one file."""

    imports: list[ImportRecord] = field(default_factory=list)
    aliases: dict = field(default_factory=dict)  # local name -> qualified name
    bindings: dict = field(default_factory=dict)  # dotted target -> (kind, qualified callee)

    def add_import(self, rec: ImportRecord) -> None:
        self.imports.append(rec)
        if rec.name == "*":
            return
        self._put(self.aliases, rec.local, rec.qualified)

    def bind(self, target: str, kind: str, qualname: str) -> None:
        self._put(self.bindings, target, (kind, qualname))

    @staticmethod
    def _put(table: dict, key: str, value) -> None:
        old = table.get(key)
        table[key] = value if old is None or old == value else _AMBIGUOUS

    def resolve(self, dotted: str | None) -> str | None:
        """Qualified name of a dotted expression through the imports (``aws.rds.Instance`` ->
        ``pulumi_aws.rds.Instance``); None when its head is not an imported name."""
        if not dotted:
            return None
        head, _, rest = dotted.partition(".")
        qual = self.aliases.get(head)
        if qual is None or qual is _AMBIGUOUS:
            return None
        return f"{qual}.{rest}" if rest else qual

    def binding(self, dotted: str | None) -> tuple[str, str] | None:
        """``("resource", "pulumi_aws.rds.Instance")`` when ``dotted`` was assigned a provider call's result."""
        value = self.bindings.get(dotted) if dotted else None
        return None if value is None or value is _AMBIGUOUS else value

    def local_name_for(self, module: str) -> str | None:
        """The local name under which ``module`` itself is imported (``aws`` for pulumi_aws), if any."""
        for local, qual in self.aliases.items():
            if qual == module:
                return local
        return None


_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


def local_names(scope: ast.AST) -> frozenset:
    """Names a function or lambda binds locally (parameters, assignment/loop/``with``/``except`` targets, nested
    definitions; not imports, whose bindings ``Names`` tracks, nor ``global``/``nonlocal`` names): inside it
    they shadow a module-level import of the same name (``def make(kms): kms.arn`` is not ``pulumi_aws.kms``)."""
    args = scope.args
    names = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    names |= {a.arg for a in (args.vararg, args.kwarg) if a is not None}
    declared: set = set()
    stack = [scope.body] if isinstance(scope, ast.Lambda) else list(scope.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            declared.update(node.names)
        elif isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load):
                names.add(node.id)
            continue
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            continue  # its body is its own scope
        elif isinstance(node, ast.Lambda):
            continue
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
        stack.extend(ast.iter_child_nodes(node))
    return frozenset(names - declared)


def cst_local_names(scope) -> frozenset:
    """:func:`local_names` of a libcst FunctionDef or Lambda (re-parsed with ``ast``, so both trees agree)."""
    import libcst as cst
    code = cst.Module([]).code_for_node(scope)
    try:
        tree = ast.parse(f"(\n{code}\n)", mode="eval").body if isinstance(scope, cst.Lambda) else ast.parse(code).body[0]
    except SyntaxError:
        return frozenset()
    return local_names(tree) if isinstance(tree, _SCOPES) else frozenset()


def is_provider(qualname: str | None) -> bool:
    return bool(qualname) and qualname.split(".")[0] in PROVIDER_PACKAGES


def classify(index, qualname: str | None) -> str | None:
    """What a provider qualified name denotes in the installed index: "module", "resource", "function",
    "enum", "name" (another exported name, e.g. an Args class), "missing", or None (not a provider name)."""
    if not is_provider(qualname) or index is None:
        return None
    if index.has_module(qualname):
        return "module"
    module, _, name = qualname.rpartition(".")
    if not index.has_module(module):
        return "missing" if index.has_module(module.split(".")[0]) else None
    if index.resource(qualname):
        return "resource"
    if index.function(qualname):
        return "function"
    if index.enum(qualname) is not None:
        return "enum"
    if name in index.exports(module):
        return "name"
    return "missing"
