"""What a rule is: metadata, examples (its tests and its docs), a pre-filter and a detector.

Three kinds, one base:
- ``CstRule``: visits the libcst tree (``visit_Call(self, node)`` ...) and may rewrite; runs only when its
  ``applies(ctx)`` pre-filter, evaluated on the cheap ``ast`` facts, says the file may need it.
- ``AstRule``: report-only rules that decide everything from the ``ast`` facts (``check(ctx)``).
- ``ProjectRule``: acts on the project directory (``fixer/project.py`` drives them).

Rule modules import libcst inside methods, not at the top: ``fixer check`` on a clean file never pays
libcst's import time (~0.3 s).
"""
from __future__ import annotations

from dataclasses import dataclass, field

SAFE, UNSAFE, REPORT = "safe", "unsafe", "report"
FIX_KINDS = {SAFE: "safe", UNSAFE: "unsafe", REPORT: "none"}


@dataclass
class Example:
    """``before`` is a program; ``after`` the program once fixed (``None``: reported, not rewritten).
    ``unsafe``: the fix is applied only with --unsafe. ``files``: extra project files (project rules)."""

    before: str
    after: str | None = None
    region: str | None = None
    unsafe: bool = False
    files: dict | None = None
    files_after: dict | None = None


@dataclass
class Finding:
    rule: str
    file: str
    line: int
    column: int
    message: str
    fix: str  # "safe", "unsafe" or "none"

    def as_dict(self) -> dict:
        return {"rule": self.rule, "file": self.file, "line": self.line, "column": self.column,
                "message": self.message, "fix": self.fix}


@dataclass
class Fix:
    """A planned edit: ``replace`` maps the original node's updated form to its new form (or returns
    ``libcst.RemovalSentinel.REMOVE``); ``imports`` are ``(module, name_or_None)`` to add."""

    node: object
    replace: object
    imports: tuple = ()


@dataclass
class FileContext:
    path: str
    source: str
    facts: object  # fixer.facts.FileFacts
    index: object  # fixer.provider_index.ProviderIndex
    region: str | None = None
    data: object = None  # fixer.data_tables
    findings: list = field(default_factory=list)
    fixes: list = field(default_factory=list)  # (Finding, Fix)

    @property
    def names(self):
        return self.facts.names


class Rule:
    NAME = ""
    DESCRIPTION = ""  # one line: what it repairs
    WHY = ""  # the error it prevents
    SAFETY = SAFE  # SAFE, UNSAFE, REPORT or "safe/report" (per finding)
    REFERENCES: list = []
    VALID: list = []  # sources that must not be reported
    INVALID: list = []  # Example

    def __init__(self, ctx: FileContext):
        self.ctx = ctx

    @classmethod
    def applies(cls, ctx: FileContext) -> bool:
        return True

    @property
    def default_fix(self) -> str:
        return FIX_KINDS.get(self.SAFETY, "safe")


class AstRule(Rule):
    SAFETY = REPORT

    def check(self) -> None:
        raise NotImplementedError

    def report_at(self, node, message: str) -> None:
        self.ctx.findings.append(Finding(self.NAME, self.ctx.path, node.lineno, node.col_offset + 1, message,
                                         "none"))


class CstRule(Rule):
    place = None  # set by the runner: (finding, node) -> fills in the finding's line and column
    parent_of = None  # set by the runner: node -> parent node

    def report(self, node, message: str, replace=None, imports=(), fix: str | None = None, target=None) -> None:
        """Report at ``node``; ``replace`` rewrites ``target`` (default ``node``) when the fix is applied."""
        kind = "none" if replace is None else (fix or self.default_fix)
        finding = Finding(self.NAME, self.ctx.path, 0, 0, message, kind)
        self.place(finding, node)
        self.ctx.findings.append(finding)
        if replace is not None:
            self.ctx.fixes.append((finding, Fix(target if target is not None else node, replace, tuple(imports))))

    def resolve(self, node) -> str | None:
        from .names import cst_dotted
        dotted = cst_dotted(node)
        if dotted and self._shadowed(node, dotted.partition(".")[0]):
            return None
        return self.ctx.names.resolve(dotted)

    def _shadowed(self, node, head: str) -> bool:
        """Whether an enclosing function or lambda binds ``head`` locally (see ``fixer.names.local_names``)."""
        if head not in self.ctx.names.aliases or self.parent_of is None:
            return False
        import libcst as cst
        from .names import cst_local_names
        cache = self.ctx.__dict__.setdefault("_scope_locals", {})
        scope = self.parent_of(node)
        while scope is not None:
            if isinstance(scope, (cst.FunctionDef, cst.Lambda)):
                if id(scope) not in cache:
                    cache[id(scope)] = cst_local_names(scope)
                if head in cache[id(scope)]:
                    return True
            scope = self.parent_of(scope)
        return False

    def kind_of(self, node) -> str | None:
        from .names import classify
        return classify(self.ctx.index, self.resolve(node))


class ProjectRule(Rule):
    """Checks/fixes a project directory; see fixer/project.py."""


def keyword_arg(call, name: str):
    """The libcst Arg of ``call`` with keyword ``name``, or None."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def same_expression(a, b) -> bool:
    """Whether two libcst expressions mean the same (layout and quote style aside)."""
    import ast
    import libcst as cst
    try:
        return ast.dump(ast.parse(f"({cst.Module([]).code_for_node(a)})", mode="eval")) == \
            ast.dump(ast.parse(f"({cst.Module([]).code_for_node(b)})", mode="eval"))
    except (SyntaxError, ValueError):
        return False


def literal_string(node) -> str | None:
    """The value of a plain (non-f, non-concatenated) libcst string literal."""
    import libcst as cst
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def drop_arg_layout(kept_args: list, removed) -> list:
    """Remove ``removed`` (an Arg that followed ``kept_args[-1]``) keeping the layout: the previous argument
    keeps its own trailing comment but takes the removed argument's line break/indentation, so a removed
    last argument leaves the closing parenthesis where it was."""
    import libcst as cst
    if not kept_args:
        return kept_args
    prev = kept_args[-1]
    prev_comma, removed_comma = prev.comma, removed.comma
    if isinstance(removed_comma, cst.MaybeSentinel):  # removed was last without a trailing comma
        new_prev = prev.with_changes(comma=cst.MaybeSentinel.DEFAULT,
                                     whitespace_after_arg=removed.whitespace_after_arg)
    elif isinstance(prev_comma, cst.Comma) and isinstance(prev_comma.whitespace_after, cst.ParenthesizedWhitespace) \
            and isinstance(removed_comma.whitespace_after, cst.ParenthesizedWhitespace):
        ws = prev_comma.whitespace_after.with_changes(
            empty_lines=prev_comma.whitespace_after.empty_lines,
            indent=removed_comma.whitespace_after.indent,
            last_line=removed_comma.whitespace_after.last_line)
        new_prev = prev.with_changes(comma=prev_comma.with_changes(whitespace_after=ws))
    else:
        new_prev = prev.with_changes(comma=removed_comma)
    return [*kept_args[:-1], new_prev]


def rebuild_args(args, mapper) -> list:
    """``mapper(arg) -> list of args`` (empty to remove it); removals keep the call's layout."""
    out: list = []
    for arg in args:
        produced = mapper(arg)
        if produced:
            out.extend(produced)
        elif out:
            out = drop_arg_layout(out, arg)
    return out
