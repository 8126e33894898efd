"""One cheap ``ast`` pass per file: the facts every rule's pre-filter and the ast-level rules read.

A file whose facts show nothing to fix is never parsed by libcst (which costs ~20x more than ``ast``).
"""
from __future__ import annotations

import ast
from dataclasses import dataclass, field

from .names import _AMBIGUOUS, ImportRecord, Names, ast_dotted, classify, is_provider

_SCOPE_NODES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)


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
    function_locals_by_id: dict = field(default_factory=dict)  # id(function or lambda) -> names it binds locally
    _outputs: object = None

    def function_locals(self, function: ast.AST) -> frozenset:
        """What ``fixer.names.local_names`` says of a function or lambda of this file."""
        return self.function_locals_by_id[id(function)]

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


def _parameters(function) -> set:
    args = function.args
    names = {a.arg for a in args.posonlyargs + args.args + args.kwonlyargs}
    return names | {a.arg for a in (args.vararg, args.kwarg) if a is not None}


def analyse(tree: ast.Module, index) -> FileFacts:
    """One traversal collects imports, assignments, the nodes the rules look at and what each scope binds;
    provider calls are then resolved (imports anywhere in the file count: resolution is flow-insensitive). A
    name a function binds locally shadows an import there (its calls and attributes are not provider
    references), and a module-level binding other than an import makes the imported name ambiguous, i.e.
    unresolved.

    What a scope binds is what ``fixer.names.local_names`` finds (the module: the same without
    ``global``/``nonlocal``), gathered during this traversal instead of a walk of each function's body and one
    of the module's: a node is reached by its *owner*'s walk when no definition, class or lambda lies between
    them (a function owns its body, a lambda its expression; a class and the decorators, defaults and
    annotations of a definition belong to no walk)."""
    names = Names()
    facts = FileFacts(tree=tree, names=names, index=index)
    targets: dict[int, str] = {}
    calls = []
    Call, Attribute, Constant, JoinedStr, BinOp = ast.Call, ast.Attribute, ast.Constant, ast.JoinedStr, ast.BinOp
    Name, Load = ast.Name, ast.Load
    bound: dict[int, set] = {id(tree): set()}  # id(owner) -> names its walk binds
    declared: dict[int, set] = {}  # id(function) -> its global/nonlocal names
    enclosing: dict[int, object] = {}  # id(call or attribute, or function) -> innermost enclosing function
    functions = []
    stack = [(tree, False, None, tree)]  # (node, inside a function, innermost enclosing function, owner)
    while stack:
        node, in_function, function, owner = stack.pop()
        kind = type(node)
        if kind is Call:
            calls.append(node)
            if function is not None:
                enclosing[id(node)] = function
        elif kind is Attribute:
            facts.attributes.append(node)
            if function is not None:
                enclosing[id(node)] = function
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
        elif kind is Name:
            if owner is not None and type(node.ctx) is not Load:
                bound[id(owner)].add(node.id)
            continue
        elif kind is ast.Load or kind is ast.Store:
            continue
        elif kind is ast.Global or kind is ast.Nonlocal:
            if owner is not None and owner is not tree:
                declared.setdefault(id(owner), set()).update(node.names)
        elif kind is ast.ExceptHandler:
            if owner is not None and node.name:
                bound[id(owner)].add(node.name)
        children = ast.iter_child_nodes(node)
        if isinstance(node, _SCOPE_NODES):
            if owner is not None and kind is not ast.Lambda:
                bound[id(owner)].add(node.name)
            if kind is ast.ClassDef:
                stack.extend((child, in_function, function, None) for child in children)
                continue
            functions.append(node)
            bound[id(node)] = set()
            if function is not None:
                enclosing[id(node)] = function
            body = {id(node.body)} if kind is ast.Lambda else {id(statement) for statement in node.body}
            stack.extend((child, True, node, node if id(child) in body else None) for child in children)
            continue
        stack.extend((child, in_function, function, owner) for child in children)
    locals_of = facts.function_locals_by_id
    for function in functions:
        key = id(function)
        locals_of[key] = frozenset((_parameters(function) | bound[key]) - declared.get(key, set()))
    for name in bound[id(tree)] & set(names.aliases):  # ``aws = ...`` beside ``import pulumi_aws as aws``
        names.aliases[name] = _AMBIGUOUS
    if enclosing:
        scopes: dict[int, frozenset] = {}

        def scope_of(function) -> frozenset:
            """The names local to ``function`` or to any function around it."""
            key = id(function)
            scope = scopes.get(key)
            if scope is None:
                outer = enclosing.get(key)
                scope = locals_of[key] | scope_of(outer) if outer is not None else locals_of[key]
                scopes[key] = scope
            return scope

        def shadowed(node) -> bool:
            function = enclosing.get(id(node))
            if function is None:
                return False
            local = scope_of(function)
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
