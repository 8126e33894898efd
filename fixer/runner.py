"""Run the rules over files: one ``ast`` parse (facts, pre-filters, ast rules), at most one libcst parse per
round for the files that need it, fixes applied in one transform, atomic writes, a process pool over files.

Guarantees: a file that does not decode or parse is an error (exit 2) and is never written; a fix whose
result does not parse is dropped; a file without applied fixes is left byte-identical; fixing repeats until
nothing fixable remains (at most ``MAX_ROUNDS``), so a second ``fixer apply`` changes nothing.
"""
from __future__ import annotations

import ast
import difflib
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from . import data_tables
from .facts import analyse
from .positions import AstPositions, kind_of
from .rule import FileContext, ProjectRule
from .rules import all_rules, split_kinds
from .suppressions import filter_findings, parse_suppressions, unused

MAX_ROUNDS = 4


class FileError(Exception):
    def __init__(self, path: str, line: int, message: str):
        super().__init__(f"{path}:{line}: {message}")
        self.path, self.line, self.message = path, line, message


@dataclass
class Options:
    rule_names: tuple  # names of selected rules
    apply: bool = False
    unsafe: bool = False
    region: str | None = None
    diff: bool = False


@dataclass
class FileResult:
    path: str
    findings: list = field(default_factory=list)  # remaining (check: all) findings
    fixed: list = field(default_factory=list)  # findings whose fix was applied
    changed: bool = False
    diff: str = ""
    error: str | None = None


# -- reading -----------------------------------------------------------------------------------------
def read_source(path: str) -> str:
    with open(path, "rb") as fh:
        raw = fh.read()
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FileError(path, line, f"not valid UTF-8 ({exc.reason} at byte {exc.start})") from None


def parse_ast(path: str, source: str) -> ast.Module:
    try:
        return ast.parse(source, filename=path)
    except SyntaxError as exc:
        raise FileError(path, exc.lineno or 1, f"syntax error: {exc.msg}") from None
    except ValueError as exc:  # e.g. null bytes
        raise FileError(path, 1, str(exc)) from None


# -- one round of analysis ---------------------------------------------------------------------------
def _analyse_round(path: str, source: str, rules, index, region):
    """Findings and planned fixes of one version of the source, plus the libcst tree if one was parsed."""
    tree = parse_ast(path, source)
    ctx = FileContext(path=path, source=source, facts=analyse(tree, index), index=index, region=region,
                      data=data_tables)
    ast_rules, cst_rules, _ = split_kinds(rules)
    for rule in ast_rules:
        if rule.applies(ctx):
            rule(ctx).check()
    active = [rule(ctx) for rule in cst_rules if rule.applies(ctx)]
    module = _run_cst(path, source, active, tree) if active else None
    return ctx, module


def _run_cst(path: str, source: str, rules, tree=None):
    """Parse with libcst and run the rules' visitors in one traversal. Parents are recorded during that
    traversal (a node's ancestors are always visited first, which is all ``parent_of`` callers need), and
    positions are computed only when a rule reports: both metadata passes cost more than the parse."""
    import libcst as cst
    from libcst.metadata import MetadataWrapper, PositionProvider

    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as exc:
        raise FileError(path, exc.raw_line, f"syntax error: {exc.message}") from None
    parents: dict = {}
    positions = []
    ordinals: dict = {}  # id(node) -> (kind, n): the n-th node of its kind in traversal order
    counts: dict = {}
    from_ast = AstPositions(tree, source) if tree is not None else None

    pending: list = []  # (finding, node) reported during the traversal, placed once it has ended

    def position_of(node):
        known = ordinals.get(id(node))
        if known is not None and from_ast is not None and not getattr(node, "lpar", None):
            found = from_ast.position(known[0], known[1], counts[known[0]])
            if found is not None:
                return found
        if not positions:
            positions.append(MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider))
        start = positions[0][node].start
        return start.line, start.column + 1

    def place(finding, node):
        # The n-th-of-its-kind correspondence needs the final counts, known when the traversal ends.
        if traversed:
            finding.line, finding.column = position_of(node)
        else:
            pending.append((finding, node))
    traversed = False

    def parent_of(node):
        return parents.get(id(node))

    visits, leaves = {}, {}
    for rule in rules:
        rule.place, rule.parent_of = place, parent_of
        for attr in dir(rule):
            if attr.startswith("visit_"):
                visits.setdefault(attr[6:], []).append(getattr(rule, attr))
            elif attr.startswith("leave_"):
                leaves.setdefault(attr[6:], []).append(getattr(rule, attr))
    stack: list = []

    class Dispatch(cst.CSTVisitor):
        def on_visit(self, node):
            if stack:
                parents[id(node)] = stack[-1]
            stack.append(node)
            kind = kind_of(node)
            if kind is not None:
                ordinals[id(node)] = (kind, counts.get(kind, 0))
                counts[kind] = counts.get(kind, 0) + 1
            for method in visits.get(type(node).__name__, ()):
                method(node)
            return True

        def on_leave(self, node):
            stack.pop()
            for method in leaves.get(type(node).__name__, ()):
                method(node)

    module.visit(Dispatch())
    traversed = True
    for finding, node in pending:
        finding.line, finding.column = position_of(node)
    return module, parents


# -- applying fixes ----------------------------------------------------------------------------------
def _apply_fixes(parsed, fixes) -> str:
    """One transform over the tree; it only descends into the fixed nodes and their ancestors."""
    import libcst as cst
    from .imports import add_imports

    module, parents = parsed
    by_node: dict[int, list] = {}
    for fix in fixes:
        by_node.setdefault(id(fix.node), []).append(fix.replace)
    on_path = set()
    for fix in fixes:
        node = fix.node
        while node is not None and id(node) not in on_path:
            on_path.add(id(node))
            node = parents.get(id(node))

    class Apply(cst.CSTTransformer):
        def on_visit(self, node):
            return id(node) in on_path

        def on_leave(self, original, updated):
            result = updated
            for replace in by_node.get(id(original), ()):
                if isinstance(result, cst.RemovalSentinel):
                    break
                result = replace(result)
            return result

    new_module = module.visit(Apply())
    new_module = add_imports(new_module, [imp for fix in fixes for imp in fix.imports])
    return new_module.code


def _wanted(finding, options: Options) -> bool:
    return finding.fix == "safe" or (finding.fix == "unsafe" and options.unsafe)


# -- one file ----------------------------------------------------------------------------------------
def process_source(path: str, source: str, options: Options, index) -> tuple[FileResult, str]:
    """Analyse (and with ``options.apply`` fix) one file's source; returns the result and the new source."""
    by_name = {r.NAME: r for r in all_rules()}
    rules = [r for r in all_rules() if r.NAME in options.rule_names and not issubclass(r, ProjectRule)]
    result = FileResult(path)
    current = source
    for _ in range(MAX_ROUNDS):
        ctx, module = _analyse_round(path, current, rules, index, options.region)
        suppressions = parse_suppressions(current)
        findings = filter_findings(ctx.findings, suppressions)
        kept = {id(f) for f in findings}
        todo = [(f, fix) for f, fix in ctx.fixes if id(f) in kept and _wanted(f, options)] if options.apply else []
        if not todo:
            ran = {r.NAME for r in rules}
            findings += unused(path, suppressions, ran, set(by_name) | {"unused-suppression"})
            result.findings = sorted(findings, key=lambda f: (f.line, f.column, f.rule))
            break
        new = _apply_fixes(module, [fix for _, fix in todo])
        try:
            ast.parse(new)
        except SyntaxError as exc:  # a rule bug must never corrupt a file: keep the last good version
            result.error = f"{path}:{exc.lineno}: fixes produced invalid code; not written"
            result.findings = sorted(findings, key=lambda f: (f.line, f.column, f.rule))
            break
        result.fixed += list({id(f): f for f, _ in todo}.values())  # a finding may carry several edits
        if new == current:
            result.findings = findings
            break
        current = new
    result.changed = current != source
    if result.changed and options.diff:
        result.diff = "".join(difflib.unified_diff(source.splitlines(True), current.splitlines(True),
                                                   f"a/{path}", f"b/{path}"))
    return result, current


def write_atomically(path: str, text: str) -> None:
    """Temp file in the same directory, then ``os.replace``: readers see the old or the new file, never half."""
    directory = os.path.dirname(os.path.abspath(path))
    mode = os.stat(path).st_mode & 0o7777
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".fixer-", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def process_file(path: str, options: Options, region: str | None, index) -> FileResult:
    try:
        source = read_source(path)
        opts = Options(options.rule_names, options.apply, options.unsafe, region, options.diff)
        result, new = process_source(path, source, opts, index)
    except FileError as exc:
        return FileResult(path, error=str(exc))
    if options.apply and result.changed and result.error is None:
        write_atomically(path, new)
    return result


# -- many files --------------------------------------------------------------------------------------
_WORKER_INDEX = None


def _init_worker(python: str | None) -> None:
    global _WORKER_INDEX
    if _WORKER_INDEX is None:  # forked workers inherit the parent's index; spawned ones load it
        from .provider_index import load_index
        _WORKER_INDEX = load_index(python)


def _work(job) -> FileResult:
    path, options, region = job
    return process_file(path, options, region, _WORKER_INDEX)


def run(jobs: list, options: Options, index, python: str | None = None, workers: int | None = None) -> list:
    """``jobs``: (path, region) pairs. Small batches run in-process (a pool costs ~0.2 s to start)."""
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(jobs) < 16:
        return [process_file(path, options, region, index) for path, region in jobs]
    chunk = max(1, min(32, len(jobs) // (workers * 4)))
    global _WORKER_INDEX
    _WORKER_INDEX = index
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(python,)) as pool:
        return list(pool.map(_work, [(p, options, r) for p, r in jobs], chunksize=chunk))
