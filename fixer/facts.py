"""One cheap ``ast`` pass per file: the facts every rule's pre-filter and the ast-level rules read.

A file whose facts show nothing to fix is never parsed by libcst (which costs ~20x more than ``ast``).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field

from .names import _AMBIGUOUS, ImportRecord, Names, ast_dotted, classify, is_provider, local_names

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
    string_ops: list = field(default_factory=list)  # str(...) / .format(...) calls and ``+`` operations
    assignments: list = field(default_factory=list)  # (dotted target, value or None, annotation or None)
    index: object = None
    _outputs: object = None

    def calls_to(self, *qualnames: str) -> list:
        return [c for c in self.calls if c.qualname in qualnames]

    def output_names(self) -> set:
        """Dotted names that hold Outputs (see fixer/outputs.py); computed on first use."""
        if self._outputs is None:
            from .outputs import output_names
            self._outputs = output_names(self)
        return self._outputs

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


def _module_bindings(tree: ast.Module) -> set:
    """Names the module's own code binds (assignments, loops, definitions; not imports), outside functions and
    class bodies."""
    out: set = set()
    stack = list(tree.body)
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            out.add(node.name)
            continue
        if isinstance(node, ast.Lambda):
            continue
        if isinstance(node, ast.Name):
            if not isinstance(node.ctx, ast.Load):
                out.add(node.id)
            continue
        if isinstance(node, ast.ExceptHandler) and node.name:
            out.add(node.name)
        stack.extend(ast.iter_child_nodes(node))
    return out


def analyse(tree: ast.Module, index) -> FileFacts:
    """One traversal collects imports, assignments and the nodes the rules look at; provider calls are then
    resolved (imports anywhere in the file count: resolution is flow-insensitive). A name a function binds
    locally shadows an import there (its calls and attributes are not provider references), and a module-level
    binding other than an import makes the imported name ambiguous, i.e. unresolved."""
    names = Names()
    facts = FileFacts(tree=tree, names=names, index=index)
    targets: dict[int, str] = {}
    calls = []
    Call, Attribute, Constant, JoinedStr, BinOp = ast.Call, ast.Attribute, ast.Constant, ast.JoinedStr, ast.BinOp
    scope_of: dict[int, frozenset] = {}  # id(call or attribute) -> names local to its enclosing functions
    stack = [(tree, False, frozenset())]
    while stack:
        node, in_function, scope = stack.pop()
        kind = type(node)
        if kind is Call:
            calls.append(node)
            if scope:
                scope_of[id(node)] = scope
        elif kind is Attribute:
            facts.attributes.append(node)
            if scope:
                scope_of[id(node)] = scope
        elif kind is Constant:
            if isinstance(node.value, str):
                facts.strings.append(node)
            continue  # no children
        elif kind is JoinedStr:
            facts.interpolations.append(node)
        elif kind is BinOp:
            if isinstance(node.op, ast.Add):
                facts.string_ops.append(node)
        elif kind is ast.Assign or kind is ast.AnnAssign:
            for t in (node.targets if kind is ast.Assign else [node.target]):
                dotted = ast_dotted(t)
                if dotted:
                    facts.assignments.append((dotted, node.value, getattr(node, "annotation", None)))
                    if type(node.value) is Call:
                        targets[id(node.value)] = dotted
        elif kind is ast.arg:
            if node.annotation is not None:
                facts.assignments.append((node.arg, None, node.annotation))
        elif kind is ast.Import:
            for a in node.names:
                names.add_import(ImportRecord(a.name, None, a.asname, node.lineno, node.col_offset, in_function))
        elif kind is ast.ImportFrom:
            if node.level == 0 and node.module:
                for a in node.names:
                    names.add_import(ImportRecord(node.module, a.name, a.asname, node.lineno, node.col_offset,
                                                  in_function))
        elif kind is ast.Name or kind is ast.Load or kind is ast.Store:
            continue
        inner = in_function
        if isinstance(node, _FUNCTION_NODES):
            inner, scope = True, scope | local_names(node)
        stack.extend((child, inner, scope) for child in ast.iter_child_nodes(node))
    for name in _module_bindings(tree) & set(names.aliases):  # ``aws = ...`` beside ``import pulumi_aws as aws``
        names.aliases[name] = _AMBIGUOUS
    if scope_of:
        def shadowed(node) -> bool:
            local = scope_of.get(id(node))
            if not local:
                return False
            while isinstance(node, (Attribute, Call)):
                node = node.value if type(node) is Attribute else node.func
            return type(node) is ast.Name and node.id in local and node.id in names.aliases
        calls = [c for c in calls if not shadowed(c)]
        facts.attributes = [a for a in facts.attributes if not shadowed(a)]
    calls.sort(key=lambda c: (c.lineno, c.col_offset))  # source order for the rules that report per call
    for node in calls:
        func = node.func
        if (type(func) is ast.Name and func.id == "str") or (type(func) is Attribute and func.attr == "format"):
            facts.string_ops.append(node)
        qual = names.resolve(ast_dotted(func))
        if qual is None:
            continue
        if is_provider(qual):
            kind = classify(index, qual) or "unknown"
            target = targets.get(id(node))
            facts.calls.append(ProviderCall(qual, kind, node, target))
            if target and kind == "missing":  # bound as what provider-module-unknown repairs it to
                from .rules.provider_module_unknown import repaired_class
                real = repaired_class(index, qual)
                if real:
                    kind, qual = "resource", real
            if target and (kind in ("resource", "function") or qual.endswith(".RandomPassword")):
                names.bind(target, kind, qual)
        else:
            facts.other_calls.append((qual, node))
    return facts
