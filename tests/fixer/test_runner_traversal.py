"""The runner's read-only traversals give exactly what the slower general ones give: ``walk_tree`` meets the
nodes of a libcst tree in the order of libcst's own ``visit`` (rules' visits, parents and the n-th-of-a-kind
positions depend on that order), and the function-local names the ``ast`` facts collect in their single pass
equal ``fixer.names.local_names`` of each function."""
import ast
import random
import sys
from pathlib import Path

import libcst as cst
import pytest

from fixer.facts import analyse
from fixer.names import local_names
from fixer.rules import all_rules
from fixer.runner import walk_tree

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parents[1] / "bench"))
import fixer_bench  # noqa: E402  (the benchmark's program generator: long files in the generated style)

SHAPES = [
    "s = f\"{a!r:>{width}} {b=} {c:{d}.{e}f}\"\nt = f'{f\"{x.y()}\"}' 'plain' f'{z}'\n",
    "from m import *\nfrom . import (a as b, c)\nimport d.e as f, g\n",
    "@deco(a.b)\nasync def f(x, /, y=g(h=1), *args, k: int = 2, **kw) -> R:\n"
    "    global G\n    async with ctx() as (p, q):\n        async for i in it():\n            await i\n"
    "    return [j async for j in k if (n := j)]\n",
    "match cmd:\n    case [\"go\", *rest] if rest:\n        pass\n    case {\"k\": v, **others}:\n        pass\n"
    "    case Point(x=0) | None as p:\n        pass\n    case _:\n        pass\n",
    "try:\n    x = (yield)\nexcept* (A, B) as e:\n    del e\nelse:\n    pass\nfinally:\n    lambda a, *b, c=1: a\n",
    "class C(B, metaclass=M):\n    x: int = 1\n    def m(self):\n        nonlocal_ = self.x[1:2, ::3]\n"
    "        return not -a ** b if c else d or e and f in g is not h\n",
    "def outer(p, *a, q=(d := 1), **k):\n    global G\n    nonlocal_ = G = 1\n    class C:\n        hidden = 1\n"
    "    @deco(w := 2)\n    def inner(r=(e := 3)):\n        s = 4\n    f = lambda t, u=(v := 5): (t, (y := 6))\n"
    "    try:\n        pass\n    except E as err:\n        del p\n    [c for c in range(3)]\n    for (i, j) in k: pass\n"
    "    with m() as (n, o): import mod\n",
    "x = [*a, *b]; y = {**c, 'k': 1}; z = {1, 2}; w = (1,)\nwhile x: x -= 1\nelse: assert x, 'm'\n"
    "for i, j in k: continue\nraise E from F\n",
]


def _sources():
    for rule in all_rules():
        for i, source in enumerate(getattr(rule, "VALID", [])):
            yield pytest.param(source if isinstance(source, str) else source.before, id=f"{rule.NAME}-valid-{i}")
        for i, example in enumerate(getattr(rule, "INVALID", [])):
            if isinstance(example.before, str):
                yield pytest.param(example.before, id=f"{rule.NAME}-invalid-{i}")
    for i, shape in enumerate(SHAPES):
        yield pytest.param(shape, id=f"shape-{i}")
    rng = random.Random(11)
    for defect in [None, *range(len(fixer_bench.DEFECTS))]:
        yield pytest.param(fixer_bench.make_program(rng, defect), id=f"generated-{defect}")


@pytest.mark.parametrize("source", list(_sources()))
def test_walk_tree_meets_nodes_in_libcst_visit_order(source):
    module = cst.parse_module(source)
    expected = []

    class Record(cst.CSTVisitor):
        def on_visit(self, node):
            expected.append(("visit", id(node)))
            return True

        def on_leave(self, node):
            expected.append(("leave", id(node)))

    module.visit(Record())
    walked = []
    walk_tree(module, lambda node: walked.append(("visit", id(node))), lambda node: walked.append(("leave", id(node))))
    assert len(walked) > 2
    assert walked == expected


def _functions(tree) -> list:
    return [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))]


@pytest.mark.parametrize("source", [s for s in _sources() if _functions(ast.parse(s.values[0]))])
def test_facts_function_locals_equal_local_names(source, index):
    tree = ast.parse(source)
    facts = analyse(tree, index)
    functions = _functions(tree)
    for function in functions:
        assert facts.function_locals(function) == local_names(function), ast.dump(function)[:200]


def test_bindings_in_the_facts_pass_shadow_and_blur_imports(index):
    """A function's own binding shadows an import inside it only; a module-level binding of an imported name
    makes it ambiguous everywhere; bindings in a class body, a nested definition's defaults or a lambda's
    defaults belong to neither."""
    source = (
        "import pulumi_aws as aws\nfrom pulumi_aws import kms, s3\n"
        "class Holder:\n    s3 = None\n"
        "def make(kms, name):\n    kms.Key(name)\n    s3.Bucket(name)\n"
        "    def later(x=(s3 := None)):\n        return x\n"
        "kms.Key('module-level')\n"
        "aws = object()\naws.sqs.Queue('q')\n"
    )
    facts = analyse(ast.parse(source), index)
    calls = [(c.qualname, c.node.lineno) for c in facts.calls]
    assert calls == [("pulumi_aws.s3.Bucket", 7), ("pulumi_aws.kms.Key", 10)]


@pytest.mark.parametrize("source", [s for s in _sources() if "f\"" in s.values[0] or "f'" in s.values[0]][:12])
def test_libcst_positions_equal_metadata_wrapper(source):
    from libcst.metadata import MetadataWrapper, PositionProvider

    from fixer.runner import libcst_positions
    module = cst.parse_module(source)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    got = libcst_positions(module)
    assert len(expected) > 10
    assert {id(node): rng for node, rng in got.items()} == {id(node): rng for node, rng in expected.items()}


def all_nodes(module) -> int:
    """All nodes of the tree (each visit and leave counted once): the skipping walk meets fewer."""
    count = [0]
    walk_tree(module, lambda node: count.__setitem__(0, count[0] + 1), lambda node: None)
    return count[0]


@pytest.mark.parametrize("source", list(_sources())[::5])
def test_walk_tree_skips_only_tokens_and_whitespace_not_wanted(source):
    module = cst.parse_module(source)
    expected = []
    skipped_depth = [0]

    class Record(cst.CSTVisitor):
        def on_visit(self, node):
            inert = type(node).__module__ in ("libcst._nodes.op", "libcst._nodes.whitespace") \
                and type(node).__name__ != "Comma"
            if skipped_depth[0] or inert:
                skipped_depth[0] += 1
            else:
                expected.append(("visit", id(node)))
            return True

        def on_leave(self, node):
            if skipped_depth[0]:
                skipped_depth[0] -= 1
            else:
                expected.append(("leave", id(node)))

    module.visit(Record())
    walked = []
    walk_tree(module, lambda node: walked.append(("visit", id(node))), lambda node: walked.append(("leave", id(node))),
              wanted_tokens={"Comma", "Call"})
    assert walked == expected
    assert 0 < len(walked) < 2 * all_nodes(module)


def test_without_libcsts_private_traversal_the_walk_falls_back_to_the_public_one(monkeypatch):
    import libcst as cst

    from fixer.runner import walk_tree

    module = cst.parse_module("import pulumi_aws as aws\naws.s3.Bucket('b', tags={'a': f'{x}'})\n")
    expected = []
    walk_tree(module, lambda n: expected.append(("v", type(n).__name__)), lambda n: expected.append(("l", type(n).__name__)))
    monkeypatch.delattr(cst.CSTNode, "_visit_and_replace_children")
    seen = []
    walk_tree(module, lambda n: seen.append(("v", type(n).__name__)), lambda n: seen.append(("l", type(n).__name__)))
    assert seen == expected
