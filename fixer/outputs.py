"""Which expressions are Pulumi Outputs, and where an Output may go: shared by the Output rules.

An expression is an Output when it is (through the shared name resolution of ``fixer/names.py``):
- an output property of a provider resource (``bucket.arn``, ``self.key.arn``, ``db.id``), checked against
  the installed provider index, or any attribute of an ``*_output()`` function's result;
- an ``*_output()`` provider call, a ``pulumi.Output.*`` constructor (``all``, ``concat``, ``format``, ...),
  ``x.apply(...)`` of an Output, or an attribute / item of an Output (Outputs lift both);
- a name assigned only Outputs in the file, or annotated ``pulumi.Output[...]`` (flow-insensitive, like
  the rest of the resolution: a name also assigned something else is not an Output).

The decisions are taken on the ``ast`` tree (the rules' pre-filters use them directly); libcst rules ask
about a libcst node by re-parsing its code with ``ast`` (:func:`cst_is_output`, :func:`cst_holds_output`),
so the pre-filter and the rewrite always agree.

"An Input context" is where a value may be an Output without changing what the program does: the keyword
argument of a provider resource, ``*Args`` class or ``*_output()`` function (their keywords are
``pulumi.Input``, and nested Outputs are resolved when the arguments are serialized), possibly inside
list/dict literals there, or an argument of ``pulumi.Output.json_dumps/format/concat/all`` in such a place.
"""
from __future__ import annotations

import ast

from .names import ast_dotted, classify, is_provider

OUTPUT_CONSTRUCTORS = frozenset({"all", "concat", "format", "json_dumps", "json_loads", "from_input", "secret",
                                 "unsecret"})
_RESOURCE_ATTRIBUTES = frozenset({"id", "urn"})
JSON_DUMPS_KEYWORDS = frozenset({"skipkeys", "ensure_ascii", "check_circular", "allow_nan", "cls", "indent",
                                 "separators", "default", "sort_keys"})


def _is_output_annotation(facts, node) -> bool:
    target = node.value if isinstance(node, ast.Subscript) else node
    return facts.names.resolve(ast_dotted(target)) == "pulumi.Output"


def output_names(facts) -> set:
    """Dotted names bound only to Outputs anywhere in the file (assignments chained up to three deep)."""
    annotated = {t for t, _, ann in facts.assignments if ann is not None and _is_output_annotation(facts, ann)}
    found: set = set(annotated)
    for _ in range(3):
        outputs, plain = set(annotated), set()
        for target, value, _ in facts.assignments:
            if value is None:
                continue
            (outputs if is_output(facts, value, found) else plain).add(target)
        new = outputs - (plain - annotated)
        if new == found:
            break
        found = new
    return found


def is_output(facts, node, names: set | None = None) -> bool:
    """Whether the ``ast`` expression ``node`` evaluates to a ``pulumi.Output``."""
    names = facts.output_names() if names is None else names
    if isinstance(node, (ast.Name, ast.Attribute)) and ast_dotted(node) in names:
        return True
    if isinstance(node, ast.Attribute):
        if node.attr == "apply":
            return False  # the bound method, not a value
        bound = facts.names.binding(ast_dotted(node.value))
        if bound:
            kind, qual = bound
            if kind == "resource":
                entry = facts.index.resource(qual) if facts.index else None
                outputs = set(entry["outputs"]) if entry else set()
                return node.attr in outputs or node.attr in _RESOURCE_ATTRIBUTES
            return kind == "function" and qual.endswith("_output")
        return is_output(facts, node.value, names)
    if isinstance(node, ast.Subscript):
        return is_output(facts, node.value, names)
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "apply":
            return is_output(facts, func.value, names)
        qual = facts.names.resolve(ast_dotted(func))
        if qual is None:
            return False
        if is_provider(qual):
            return qual.endswith("_output") and classify(facts.index, qual) == "function"
        module, _, name = qual.rpartition(".")
        return module == "pulumi.Output" and name in OUTPUT_CONSTRUCTORS
    return False


def holds_output(facts, node) -> bool:
    """Whether ``node`` is or contains an Output (not looking into lambda bodies: ``apply`` callbacks receive
    plain values)."""
    if is_output(facts, node):
        return True
    if isinstance(node, ast.Lambda):
        return False
    return any(holds_output(facts, child) for child in ast.iter_child_nodes(node)
               if isinstance(child, ast.expr) or isinstance(child, (ast.keyword, ast.comprehension,
                                                                     ast.FormattedValue)))


def formatted_outputs(facts, node: ast.JoinedStr) -> bool:
    """Whether an f-string interpolates an Output directly (``f"{bucket.arn}/*"``)."""
    return any(isinstance(v, ast.FormattedValue) and is_output(facts, v.value) for v in node.values)


def string_op_outputs(facts, node) -> bool:
    """``str(output)``, ``"...".format(output)`` or ``"literal" + output`` (the ast pre-filter)."""
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Name):
            return node.func.id == "str" and len(node.args) == 1 and is_output(facts, node.args[0])
        if isinstance(node.func.value, (ast.Constant, ast.JoinedStr)):
            return any(is_output(facts, a) for a in node.args) or \
                any(is_output(facts, k.value) for k in node.keywords)
        return False
    operands = add_operands(node)
    return any(_is_str_literal(o) for o in operands) and any(is_output(facts, o) for o in operands)


def add_operands(node) -> list:
    """The operands of a chain ``a + (b + c)`` (string concatenation is associative)."""
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return add_operands(node.left) + add_operands(node.right)
    return [node]


def _is_str_literal(node) -> bool:
    return isinstance(node, ast.JoinedStr) or (isinstance(node, ast.Constant) and isinstance(node.value, str))


# -- libcst side ---------------------------------------------------------------------------------------
def _as_ast(cst_node):
    import libcst as cst
    code = cst.Module([]).code_for_node(cst_node)
    try:
        return ast.parse(f"(\n{code}\n)", mode="eval").body
    except SyntaxError:
        return None


def cst_is_output(ctx, cst_node) -> bool:
    node = _as_ast(cst_node)
    return node is not None and is_output(ctx.facts, node)


def cst_holds_output(ctx, cst_node) -> bool:
    node = _as_ast(cst_node)
    return node is not None and holds_output(ctx.facts, node)


def output_reference(ctx) -> tuple[str, tuple]:
    """How fixed code names ``pulumi.Output`` (``Output`` after ``from pulumi import Output``) and the import
    it needs."""
    from .imports import module_reference
    local = ctx.names.local_name_for("pulumi.Output")
    if local:
        return local, ()
    ref, imports = module_reference(ctx, "pulumi")
    return f"{ref}.Output", imports


def json_dumps_convertible(call) -> bool:
    """``json.dumps(obj, indent=2, ...)``: one positional argument and keywords ``Output.json_dumps`` takes."""
    positional = [a for a in call.args if a.keyword is None]
    if len(positional) != 1 or positional[0].star:
        return False
    return all(a.keyword.value in JSON_DUMPS_KEYWORDS for a in call.args if a.keyword is not None)


def in_input_context(rule, node) -> bool:
    """Whether ``node`` (a libcst expression) is a value an Output may replace without changing the program:
    see the module docstring."""
    import libcst as cst
    child, parent = node, rule.parent_of(node)
    while isinstance(parent, (cst.Element, cst.DictElement, cst.List, cst.Tuple, cst.Dict)):
        if isinstance(parent, cst.DictElement) and parent.key is child:
            return False  # keys must be plain strings
        child, parent = parent, rule.parent_of(parent)
    if isinstance(parent, cst.Assign):  # ``policy = json.dumps(...)`` whose every use is an Input
        return len(parent.targets) == 1 and isinstance(parent.targets[0].target, cst.Name) and \
            name_used_only_as_input(rule.ctx.facts, parent.targets[0].target.value)
    if not isinstance(parent, cst.Arg) or parent.star:
        return False
    call = rule.parent_of(parent)
    if not isinstance(call, cst.Call):
        return False
    if _is_register_outputs(rule, call):  # ComponentResource.register_outputs({...}) takes Inputs
        return parent.keyword is None and call.args[0] is parent
    qual = rule.resolve(call.func)
    if qual is None:
        return False
    module, _, name = qual.rpartition(".")
    if module == "pulumi.Output" and name in ("json_dumps", "format", "concat", "all"):
        return in_input_context(rule, call)
    if qual == "json.dumps" and parent.keyword is None and json_dumps_convertible(call):
        return in_input_context(rule, call)  # output-json-dumps makes it an Output.json_dumps
    if qual == "pulumi.export":  # export(name, value): the value is an Input
        return parent is _export_value(call)
    if parent.keyword is None or parent.keyword.value == "opts":
        return False
    kind = classify(rule.ctx.index, qual)
    return kind == "resource" or (kind == "name" and name.endswith("Args")) or \
        (kind == "function" and name.endswith("_output"))


def _export_value(call):
    """The ``value`` argument of ``pulumi.export(name, value)``."""
    for i, arg in enumerate(call.args):
        if (arg.keyword is None and i == 1) or (arg.keyword is not None and arg.keyword.value == "value"):
            return arg
    return None


def _is_register_outputs(rule, call) -> bool:
    """``self.register_outputs(...)`` inside a class deriving from ``pulumi.ComponentResource``."""
    import libcst as cst
    func = call.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "register_outputs"
            and isinstance(func.value, cst.Name) and func.value.value == "self" and call.args):
        return False
    node = rule.parent_of(call)
    while node is not None and not isinstance(node, cst.ClassDef):
        node = rule.parent_of(node)
    return node is not None and any(rule.resolve(base.value) == "pulumi.ComponentResource" for base in node.bases)


def name_used_only_as_input(facts, name: str) -> bool:
    """Whether the plain name ``name`` is assigned once in the file and every read of it is a keyword argument
    of a provider resource, ``*Args`` class or ``*_output()`` function (possibly inside list/dict literals), or
    the value of ``pulumi.export``: then giving it an Output instead of a str changes nothing else."""
    if sum(1 for target, _, _ in facts.assignments if target == name) != 1:
        return False
    parents = {}
    for node in ast.walk(facts.tree):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = node
    loads = [n for n in ast.walk(facts.tree) if isinstance(n, ast.Name) and n.id == name]
    stores = [n for n in loads if not isinstance(n.ctx, ast.Load)]
    reads = [n for n in loads if isinstance(n.ctx, ast.Load)]
    return len(stores) == 1 and bool(reads) and all(_ast_input_context(facts, n, parents) for n in reads)


def _ast_input_context(facts, node, parents) -> bool:
    child, parent = node, parents.get(id(node))
    while isinstance(parent, (ast.List, ast.Tuple, ast.Dict)):
        if isinstance(parent, ast.Dict) and any(k is child for k in parent.keys):
            return False
        child, parent = parent, parents.get(id(parent))
    if isinstance(parent, ast.keyword):
        keyword, call = parent, parents.get(id(parent))
        if keyword.arg in (None, "opts") or not isinstance(call, ast.Call):
            return False
        qual = facts.names.resolve(ast_dotted(call.func))
        kind = classify(facts.index, qual)
        name = (qual or "").rpartition(".")[2]
        return kind == "resource" or (kind == "name" and name.endswith("Args")) or \
            (kind == "function" and name.endswith("_output"))
    if isinstance(parent, ast.Call) and facts.names.resolve(ast_dotted(parent.func)) == "pulumi.export":
        return len(parent.args) == 2 and parent.args[1] is child
    return False
