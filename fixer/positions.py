"""Where a libcst node starts, read from the `ast` tree the runner already has.

libcst's PositionProvider regenerates the whole module's code to learn positions: on a file with findings
it costs more than the parse itself. But a reported node is nearly always a call, attribute, subscript,
keyword argument or import, and nodes of one such kind appear in the same order in both trees (source
order of their starts, outer before inner). So the n-th `Call` the traversal meets is the n-th `ast.Call`
sorted by start. Where that correspondence cannot be trusted (the counts of a kind differ, a node sits in
its own parentheses, a node the traversal never met), the caller falls back to PositionProvider.
"""
from __future__ import annotations

import ast
from typing import Optional

# libcst class name -> ast class(es) whose start is the same source position.
_KINDS = {
    "Call": (ast.Call,),
    "Attribute": (ast.Attribute,),
    "Subscript": (ast.Subscript,),
    "Import": (ast.Import,),
    "ImportFrom": (ast.ImportFrom,),
    "Arg": (ast.keyword,),  # keyword and `**` arguments only; see `kind_of`
}


def kind_of(node) -> Optional[str]:
    """The correspondence class of a libcst node, or None when its position must come from libcst."""
    name = type(node).__name__
    if name not in _KINDS:
        return None
    if name == "Arg":
        return name if node.keyword is not None or node.star == "**" else None
    return name


class AstPositions:
    """(line, 1-based character column) of the n-th node of a kind, from the `ast` tree."""

    def __init__(self, tree: ast.AST, source: str) -> None:
        self._tree = tree
        # Python's line breaks only: str.splitlines also breaks at \f, \x1c-\x1e, \x85, \u2028, \u2029, which
        # may sit inside a line (a string literal, a form feed between definitions).
        self._lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self._by_kind: dict[str, list[tuple[int, int]]] = {}

    def _starts(self, kind: str) -> list[tuple[int, int]]:
        starts = self._by_kind.get(kind)
        if starts is None:
            types = _KINDS[kind]
            nodes = [n for n in ast.walk(self._tree) if isinstance(n, types)]
            # Source order of starts; at one start the enclosing node (larger end) comes first, as in a
            # pre-order traversal: `f()()` is the outer call, then the inner one.
            nodes.sort(key=lambda n: (n.lineno, n.col_offset, -n.end_lineno, -n.end_col_offset))
            starts = [(n.lineno, self._column(n.lineno, n.col_offset)) for n in nodes]
            self._by_kind[kind] = starts
        return starts

    def _column(self, line: int, byte_offset: int) -> int:
        """ast columns count UTF-8 bytes; libcst (and editors) count characters."""
        text = self._lines[line - 1] if 0 < line <= len(self._lines) else ""
        return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore")) + 1

    def position(self, kind: str, ordinal: int, seen_of_kind: int) -> Optional[tuple[int, int]]:
        """The start of the `ordinal`-th node of `kind`, if both trees hold the same number of them."""
        starts = self._starts(kind)
        if len(starts) != seen_of_kind or not 0 <= ordinal < len(starts):
            return None
        return starts[ordinal]
