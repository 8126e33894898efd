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
