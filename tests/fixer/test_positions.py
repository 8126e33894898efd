"""Positions read from the `ast` tree (fixer/positions.py) equal libcst's PositionProvider for every node they
answer for, over every rule example, the red-team and seed programs, and hand-picked awkward shapes."""
import ast
from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from fixer.positions import AstPositions, kind_of
from fixer.rules import all_rules

HERE = Path(__file__).parent
AWKWARD = [
    "f()()\n(g)(1)\n(h(2))\nx = (a.b).c(d[1](k=2, **kw))\n",
    "call(k=1, *args)\nfoo(a, *b, c=d, **e)\n",
    "s = f\"{a.b(c)} and {d[e](f=g)}\"\nt = f\"{f'{x.y()}'}\"\n",
    "# é\nnom = 'é'; appel = fonction(clé='é', x=é.attr)\n",
    "@deco(a.b)\nclass C(Base, metaclass=M):\n    @prop\n    def m(self, x=y.z()):\n        return [i.j() for i in k(l=1)]\n",
    "import a.b as c, d\nfrom .e import (f, g as h)\nfrom . import i\n",
    "lambda q: q.r(s=t)\nx = {k: v.w() for k, v in items(d=1)}\n",
    "aws.rds.Instance(\n    'db',\n    # comment\n    name='x',  # trailing\n    opts=pulumi.ResourceOptions(parent=self),\n)\n",
    # characters str.splitlines breaks at but Python does not, before a non-ASCII line
    "s = 'a\u2028b'\nnom = 'é'; appel = f(clé='é')\n",
    "x = 1\x0c\nnom = 'é'; appel = f(clé='é')\n",
    "s = 'a\x85b'\r\nnom = 'é'; appel = f(clé='é')\r\n",
    "class C:\r\n\tdef m(self):\r\n\t\treturn 'é' + g(a=1)\r\n",
]


def _sources():
    for rule in all_rules():
        for i, source in enumerate(getattr(rule, "VALID", [])):
            yield pytest.param(source if isinstance(source, str) else source.before, id=f"{rule.NAME}-valid-{i}")
        for i, example in enumerate(getattr(rule, "INVALID", [])):
            before = getattr(example, "before", None) or getattr(example, "source", None)
            if isinstance(before, str):
                yield pytest.param(before, id=f"{rule.NAME}-invalid-{i}")
    for path in sorted(HERE.glob("**/programs/**/*.py")):
        yield pytest.param(path.read_text(encoding="utf-8"), id=str(path.relative_to(HERE)))
    for i, source in enumerate(AWKWARD):
        yield pytest.param(source, id=f"awkward-{i}")


class _Collect(cst.CSTVisitor):
    def __init__(self):
        self.nodes = []

    def on_visit(self, node):
        if kind_of(node) is not None:
            self.nodes.append(node)
        return True


@pytest.mark.parametrize("source", list(_sources()))
def test_ast_positions_match_libcst(source):
    try:
        tree = ast.parse(source)
    except SyntaxError:
        pytest.fail("every example must parse")
    module = cst.parse_module(source)
    collect = _Collect()
    module.visit(collect)
    counts, ordinal = {}, {}
    for node in collect.nodes:
        kind = kind_of(node)
        ordinal[id(node)] = counts.get(kind, 0)
        counts[kind] = counts.get(kind, 0) + 1
    truth = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    fast = AstPositions(tree, source)
    answered = 0
    for node in collect.nodes:
        if getattr(node, "lpar", None):
            continue  # the runner asks libcst for parenthesized nodes
        found = fast.position(kind_of(node), ordinal[id(node)], counts[kind_of(node)])
        if found is None:
            continue  # counts differ: the runner falls back to libcst
        start = truth[node].start
        assert found == (start.line, start.column + 1), f"{type(node).__name__} {cst.Module([]).code_for_node(node)!r}"
        answered += 1
    assert answered or not collect.nodes or source in AWKWARD[:1]
