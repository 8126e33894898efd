"""One cheap ``ast`` pass per file: the facts every rule's pre-filter and the ast-level rules read.

A file whose facts show nothing to fix is never parsed by libcst (which costs ~20x more than ``ast``).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field

from .names import ImportRecord, Names, ast_dotted, classify, is_provider

_FUNCTION_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


@dataclass
class ProviderCall:
    qualname: str
    kind: str  # "resource", "function", "missing", ...
    node: ast.Call
    target: str | None  # the dotted name it is assigned to, if any

    @property
    def keywords(self) -> dict:
        return {k.arg: k.value for k in self.node.keywords if k.arg}

    def const(self, keyword: str):
        value = self.keywords.get(keyword)
        return value.value if isinstance(value, ast.Constant) else None


@dataclass
class FileFacts:
    tree: ast.Module
    names: Names
    calls: list = field(default_factory=list)  # ProviderCall, every call to a provider name
    attributes: list = field(default_factory=list)  # (ast.Attribute, dotted base or None)
    strings: list = field(default_factory=list)  # ast.Constant holding str
    other_calls: list = field(default_factory=list)  # (qualified name, ast.Call) for non-provider imports
    interpolations: list = field(default_factory=list)  # ast.JoinedStr

    def calls_to(self, *qualnames: str) -> list:
        return [c for c in self.calls if c.qualname in qualnames]

    def is_output_expr(self, node: ast.AST) -> bool:
        """Whether ``node`` contains a resource's output property or an ``*_output()`` call's result."""
        for sub in ast.walk(node):
            if isinstance(sub, ast.Attribute):
                bound = self.names.binding(ast_dotted(sub.value))
                if bound and bound[0] == "resource":
                    return True
            elif isinstance(sub, ast.Call):
                qual = self.names.resolve(ast_dotted(sub.func))
                if qual and is_provider(qual) and qual.endswith("_output"):
                    return True
        return False


def _collect_imports(tree: ast.Module, names: Names) -> None:
    stack = [(tree, False)]
    while stack:
        node, in_function = stack.pop()
        if isinstance(node, ast.Import):
            for a in node.names:
                names.add_import(ImportRecord(a.name, None, a.asname, node.lineno, node.col_offset, in_function))
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for a in node.names:
                names.add_import(ImportRecord(node.module, a.name, a.asname, node.lineno, node.col_offset,
                                              in_function))
        inner = in_function or isinstance(node, _FUNCTION_NODES)
        stack.extend((child, inner) for child in ast.iter_child_nodes(node))


def analyse(tree: ast.Module, index) -> FileFacts:
    names = Names()
    _collect_imports(tree, names)
    facts = FileFacts(tree=tree, names=names)
    targets: dict[int, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Call):
            tlist = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in tlist:
                dotted = ast_dotted(t)
                if dotted:
                    targets[id(node.value)] = dotted
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            qual = names.resolve(ast_dotted(node.func))
            if qual is None:
                continue
            if is_provider(qual):
                kind = classify(index, qual) or "unknown"
                target = targets.get(id(node))
                facts.calls.append(ProviderCall(qual, kind, node, target))
                if target and (kind in ("resource", "function") or qual.endswith(".RandomPassword")):
                    names.bind(target, kind, qual)
            else:
                facts.other_calls.append((qual, node))
        elif isinstance(node, ast.Attribute):
            facts.attributes.append(node)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            facts.strings.append(node)
        elif isinstance(node, ast.JoinedStr):
            facts.interpolations.append(node)
    return facts
