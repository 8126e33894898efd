"""Run the rules over files: one ``ast`` parse (facts, pre-filters, ast rules), at most one libcst parse per
round for the files that need it, fixes applied in one transform, atomic writes, a process pool over files.

Guarantees: a file that cannot be read, decoded or parsed is an error (exit 2) and is never written; fixing
repeats detect -> fix until nothing fixable remains (at most ``MAX_ROUNDS`` passes), so fixes compose (a
rename that exposes a misplaced option is fixed in the next pass) and a second ``fixer apply`` changes
nothing; a fix whose result ``compile()`` refuses is not applied (its finding stays, saying why), the others
are; a file without applied fixes is left byte-identical. Reading and writing: fixer/source.py.
"""
from __future__ import annotations

import difflib
import os
import signal
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from . import data_tables
from .facts import analyse
from .positions import AstPositions, kind_of
from .rule import FileContext, ProjectRule
from .rules import all_rules, split_kinds
from .source import SourceError, compile_error, parse, read_source, write_atomically
from .suppressions import filter_findings, parse_suppressions, unused

MAX_ROUNDS = 5  # passes of detect -> fix per file; real programs need at most 3 or 4


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


# -- one round of analysis ---------------------------------------------------------------------------
def _analyse_round(path: str, source: str, rules, index, region):
    """Findings and planned fixes of one version of the source, the libcst tree if one was parsed, and
    whether the source needed the newer-Python rewrite to parse here."""
    parsed = parse(path, source)
    tree = parsed.tree
    ctx = FileContext(path=path, source=source, facts=analyse(tree, index), index=index, region=region,
                      data=data_tables)
    ast_rules, cst_rules, _ = split_kinds(rules)
    for rule in ast_rules:
        if rule.applies(ctx):
            rule(ctx).check()
    active = [rule(ctx) for rule in cst_rules if rule.applies(ctx)]
    # positions come from the ast only when it is the source's own (a rewrite may shift columns)
    module = _run_cst(path, source, active, None if parsed.rewritten else tree, parsed.module) if active else None
    return ctx, module, parsed.rewritten


def _run_cst(path: str, source: str, rules, tree=None, module=None):
    """Parse with libcst (unless ``module`` is that parse) and run the rules' visitors in one traversal.
    Parents are recorded during that traversal (a node's ancestors are always visited first, which is all
    ``parent_of`` callers need), and positions are computed only when a rule reports: both metadata passes
    cost more than the parse."""
    import libcst as cst

    if module is None:
        try:
            module = cst.parse_module(source)
        except cst.ParserSyntaxError as exc:
            raise SourceError(path, exc.raw_line, f"syntax error: {exc.message}") from None
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
            positions.append(libcst_positions(module))
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

    def on_visit(node):
        if stack:
            parents[id(node)] = stack[-1]
        stack.append(node)
        kind = kind_of(node)
        if kind is not None:
            ordinals[id(node)] = (kind, counts.get(kind, 0))
            counts[kind] = counts.get(kind, 0) + 1
        for method in visits.get(type(node).__name__, ()):
            method(node)

    def on_leave(node):
        stack.pop()
        for method in leaves.get(type(node).__name__, ()):
            method(node)

    # Rules act on expressions and statements; token and whitespace nodes are met only if a rule visits them.
    walk_tree(module, on_visit, on_leave, wanted_tokens=set(visits) | set(leaves))
    traversed = True
    for finding, node in pending:
        finding.line, finding.column = position_of(node)
    return module, parents


# -- the read-only traversal -------------------------------------------------------------------------
_CHILD_FIELDS: dict = {}  # libcst node class -> its child fields, in the order libcst's own traversal visits them


def _child_fields(node_type, node) -> tuple:
    """The fields of ``node_type`` that may hold child nodes, in libcst's visiting (i.e. lexical) order.

    Learnt once per class from libcst itself: its ``_visit_and_replace_children`` announces every field it
    visits (``on_visit_attribute``, also for an absent optional one) in order; a visitor that declines to
    descend records that order at the cost of one shallow rebuild. Fields it did not announce (a field
    visited only when set, e.g. an f-string's ``format_spec``) follow in declaration order."""
    import dataclasses

    import libcst as cst

    class Record(cst.CSTVisitor):
        def __init__(self):
            self.order: list = []

        def on_visit(self, child):
            return False

        def on_leave(self, child):
            pass

        def on_visit_attribute(self, child, attribute):
            if attribute not in self.order:
                self.order.append(attribute)

        def on_leave_attribute(self, child, attribute):
            pass

    record = Record()
    node._visit_and_replace_children(record)
    order = record.order + [f.name for f in dataclasses.fields(node_type) if f.name not in record.order]
    _CHILD_FIELDS[node_type] = fields = tuple(order)
    return fields


def libcst_positions(module) -> dict:
    """libcst's PositionProvider mapping (node -> CodeRange) of ``module``. Computed by the provider's own
    position-tracking code generation alone: ``MetadataWrapper.resolve`` runs that and then one more full
    (node-rebuilding) traversal for batchable providers even when there are none, which doubles the cost.
    Where libcst's internals differ from what this expects, the public way is taken."""
    from libcst.metadata import MetadataWrapper, PositionProvider

    provider = PositionProvider()
    try:
        provider._gen_impl(module)
        return provider._computed
    except AttributeError:
        return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)


# libcst modules whose nodes are tokens and whitespace: they hold only whitespace, never an expression or a
# statement (libcst/_nodes/op.py: Comma, Dot, operators; whitespace.py: SimpleWhitespace, Comment, ...).
_TOKEN_MODULES = frozenset({"libcst._nodes.op", "libcst._nodes.whitespace"})


def walk_tree(module, on_visit, on_leave, wanted_tokens=None) -> None:
    """Call ``on_visit(node)`` and ``on_leave(node)`` for every node of a libcst tree, in exactly the order of
    ``module.visit(visitor)``. libcst's traversal rebuilds every node it passes (its visitors and transformers
    share one code path), which costs ~3x the parse; reading the child fields directly does not.

    With ``wanted_tokens`` (a set of class names), token and whitespace nodes (``_TOKEN_MODULES``; about
    two thirds of a tree) are skipped, with what they hold, unless their class is named in it: a caller that
    only acts on expressions and statements then meets exactly those, in the same order."""
    from libcst import CSTNode, CSTVisitor

    if not hasattr(CSTNode, "_visit_and_replace_children"):  # a libcst without it: its own (slower) traversal
        class Visitor(CSTVisitor):
            def on_visit(self, node) -> bool:
                on_visit(node)
                return True

            def on_leave(self, original_node) -> None:
                on_leave(original_node)

        module.visit(Visitor())
        return

    child_fields = _CHILD_FIELDS
    skipped: dict = {}  # node class -> whether it is skipped

    def skip(node_type) -> bool:
        known = skipped.get(node_type)
        if known is None:
            known = skipped[node_type] = (wanted_tokens is not None and node_type.__module__ in _TOKEN_MODULES
                                          and node_type.__name__ not in wanted_tokens)
        return known

    def walk(node):
        on_visit(node)
        node_type = type(node)
        fields = child_fields.get(node_type)
        if fields is None:
            fields = _child_fields(node_type, node)
        for name in fields:
            value = getattr(node, name)
            if isinstance(value, CSTNode):
                if not skip(type(value)):
                    walk(value)
            elif type(value) is tuple or type(value) is list:
                for child in value:
                    if isinstance(child, CSTNode) and not skip(type(child)):
                        walk(child)
        on_leave(node)

    walk(module)


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


def _apply_compiling(path: str, module, todo: list, rewritten: bool) -> tuple[str, dict]:
    """Apply the planned fixes of ``todo`` ((finding, fix) pairs), keeping only those whose result compiles.
    Returns the new source and ``{id(finding): why}`` for the findings whose fixes were refused. All fixes
    together first (the usual case); on failure each finding's fixes alone, so one bad fix does not cost
    the good ones; if the good ones still fail together, none is applied."""
    new = _apply_fixes(module, [fix for _, fix in todo])
    if compile_error(path, new, rewritten) is None:
        return new, {}
    by_finding: dict = {}
    for finding, fix in todo:
        by_finding.setdefault(id(finding), (finding, []))[1].append(fix)
    refused = {}
    for key, (_, fixes) in by_finding.items():
        why = compile_error(path, _apply_fixes(module, fixes), rewritten)
        if why is not None:
            refused[key] = why
    good = [fix for f, fix in todo if id(f) not in refused]
    if good and refused:
        new = _apply_fixes(module, good)
        why = compile_error(path, new, rewritten)
        if why is None:
            return new, refused
    elif not good:
        return module[0].code, refused
    why = compile_error(path, _apply_fixes(module, good), rewritten) or "the fixes conflict"
    return module[0].code, {**{id(f): why for f, _ in todo}, **refused}


def _mark_refused(findings: list, refused: dict) -> list:
    """Findings whose fix was refused in an earlier pass say why, and are no longer offered as fixable."""
    for finding in findings:
        why = refused.get((finding.rule, finding.message))
        if why is not None:
            finding.message += f" (not fixed: the result would not compile: {why})"
            finding.fix = "none"
    return findings


# -- one file ----------------------------------------------------------------------------------------
def process_source(path: str, source: str, options: Options, index) -> tuple[FileResult, str]:
    """Analyse (and with ``options.apply`` fix) one file's source; returns the result and the new source."""
    by_name = {r.NAME: r for r in all_rules()}
    rules = [r for r in all_rules() if r.NAME in options.rule_names and not issubclass(r, ProjectRule)]
    result = FileResult(path)
    current = source
    refused: dict = {}  # (rule, message) -> why its fix does not compile; kept across passes
    for _ in range(MAX_ROUNDS):
        ctx, module, rewritten = _analyse_round(path, current, rules, index, options.region)
        suppressions = parse_suppressions(current)
        findings = _mark_refused(filter_findings(ctx.findings, suppressions), refused)
        kept = {id(f) for f in findings}
        todo = [(f, fix) for f, fix in ctx.fixes if id(f) in kept and _wanted(f, options)] if options.apply else []
        if todo:
            new, bad = _apply_compiling(path, module, todo, rewritten)
            for f, _ in todo:
                if id(f) in bad:
                    refused[(f.rule, f.message)] = bad[id(f)]
            applied = [f for f, _ in todo if id(f) not in bad]
            result.fixed += list({id(f): f for f in applied}.values())  # a finding may carry several edits
            if new != current:
                current = new
                continue
            if bad:
                continue  # one more pass reports the refused findings, saying why
        ran = {r.NAME for r in rules}
        findings += unused(path, suppressions, ran, set(by_name) | {"unused-suppression"})
        result.findings = sorted(findings, key=lambda f: (f.line, f.column, f.rule))
        break
    else:  # still fixing after MAX_ROUNDS passes: report what is left
        ctx, _, _ = _analyse_round(path, current, rules, index, options.region)
        result.findings = sorted(_mark_refused(filter_findings(ctx.findings, parse_suppressions(current)), refused),
                                 key=lambda f: (f.line, f.column, f.rule))
    result.changed = current != source
    if result.changed and options.diff:
        result.diff = "".join(difflib.unified_diff(source.splitlines(True), current.splitlines(True),
                                                   f"a/{path}", f"b/{path}"))
    return result, current


def process_file(path: str, options: Options, region: str | None, index) -> FileResult:
    try:
        stored = read_source(path)
        opts = Options(options.rule_names, options.apply, options.unsafe, region, options.diff)
        result, new = process_source(path, stored.text, opts, index)
    except SourceError as exc:
        return FileResult(path, error=str(exc))
    if options.apply and result.changed and result.error is None:
        try:
            data = stored.encode(new)
        except UnicodeEncodeError as exc:
            return FileResult(path, error=f"{path}: not written: the fixed source holds {exc.object[exc.start]!r}, "
                                          f"which the file's encoding {stored.encoding} cannot store")
        try:
            write_atomically(path, data)
        except SourceError as exc:
            return FileResult(path, error=str(exc))
    return result


# -- many files --------------------------------------------------------------------------------------
_WORKER_INDEX = None
_PR_SET_PDEATHSIG = 1  # linux/prctl.h
_STOPPING = False  # set in a worker by SIGTERM: the file in progress unwinds (no temp file left), then it exits


def _stop(signum, frame):
    global _STOPPING
    _STOPPING = True
    raise SystemExit(128 + signum)


def _die_with_parent(parent: int) -> None:
    """A worker must not outlive the run. On Linux the kernel sends it SIGTERM when its parent dies, whatever
    killed the parent, SIGKILL included (PR_SET_PDEATHSIG); elsewhere a thread watches the parent pid."""
    if sys.platform.startswith("linux"):
        try:
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before prctl took effect
                    os._exit(128 + signal.SIGTERM)
                return
        except (OSError, AttributeError):
            pass
    import threading
    import time

    def watch():
        while os.getppid() == parent:
            time.sleep(0.5)
        os.kill(os.getpid(), signal.SIGTERM)
    threading.Thread(target=watch, name="fixer-parent-watch", daemon=True).start()


def _init_worker(python: str | None, parent: int) -> None:
    global _WORKER_INDEX
    # Ctrl-C reaches the whole process group: the parent alone decides to stop, and then stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _stop)
    _die_with_parent(parent)
    if _WORKER_INDEX is None:  # forked workers inherit the parent's index; spawned ones load it
        from .provider_index import load_index
        _WORKER_INDEX = load_index(python)


def _work(job) -> FileResult:
    path, options, region = job
    try:
        return process_file(path, options, region, _WORKER_INDEX)
    except BaseException:
        if _STOPPING:  # the pool would report SystemExit as this file's result and carry on: leave instead
            os._exit(128 + signal.SIGTERM)
        raise


def _stop_workers(pool) -> None:
    """Interrupted (Ctrl-C, or an error in the parent): queued files are dropped and running workers are
    asked to stop (SIGTERM: the file in progress is left as it was), instead of finishing every file."""
    import multiprocessing
    pool.shutdown(wait=False, cancel_futures=True)
    children = multiprocessing.active_children()
    for child in children:
        child.terminate()
    for child in children:
        child.join(5)


def run(jobs: list, options: Options, index, python: str | None = None, workers: int | None = None) -> list:
    """``jobs``: (path, region) pairs. Small batches run in-process (a pool costs ~0.2 s to start)."""
    workers = workers or os.cpu_count() or 1
    if workers <= 1 or len(jobs) < 16:
        return [process_file(path, options, region, index) for path, region in jobs]
    chunk = max(1, min(32, len(jobs) // (workers * 4)))
    global _WORKER_INDEX
    _WORKER_INDEX = index
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(python, os.getpid()))
    try:
        results = list(pool.map(_work, [(p, options, r) for p, r in jobs], chunksize=chunk))
    except BaseException:
        _stop_workers(pool)
        raise
    pool.shutdown(wait=True)
    return results
