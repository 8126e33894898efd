"""The differential suite: every one-answer drift entry of the shipped API history (pulumi-aws 6 -> 7 and
5 -> 7) becomes a minimal program written the old way; after ``fixer apply`` it must construct under Pulumi
mocks on the installed 7.x, and a second run must change nothing. Programs are generated from the data, not
written by hand, and all of them construct in one interpreter (set_mocks works once per process), each in
its own try/except so one failure does not hide the others."""

import pytest

from fixer.api_history import candidates, fields_of, history, shipped_index
from fixer.names import classify
from fixer.rules import all_rules
from fixer.runner import Options, process_source
from support.construct import construct_all

TARGET = 0.95



def _ref(qualname: str) -> str:
    """``pulumi_aws.lex.V2modelsSlotType`` -> ``aws.lex.V2modelsSlotType``."""
    package, _, rest = qualname.partition(".")
    return ("aws." if package == "pulumi_aws" else "random.") + rest


def _call(new_index, old_index, qualname: str, extra: str, leave_out=(), old_qualname=None, renames=None) -> str:
    """A constructor call, spelled ``old_qualname`` (default ``qualname``), with dummy values for what the
    class requires in both majors: the program constructs on the old major as written and on the new one
    once fixed."""
    old_qualname = old_qualname or qualname
    new_fields, old_fields = fields_of(new_index, qualname) or {}, fields_of(old_index, old_qualname)
    if old_fields is None:
        old_fields = new_fields
    resource = new_index.resource(qualname)
    if resource is not None:
        old_resource = old_index.resource(old_qualname) or resource
        required = set(resource["required"]) | set(old_resource["required"])
        args = ['"r"']
        for k in sorted(required):
            if k in leave_out or k not in new_fields:
                continue
            if k in old_fields:
                args.append(f'{k}="x"')
            elif (qualname, k) in (renames or {}):  # required now under a new name: the old one, as written then
                before, shape = renames[(qualname, k)]
                args.append(f'{before}=["x"]' if shape == "unwrap" else f'{before}="x"')
        args += [extra] if extra else []
    else:  # an input class: every field both majors have (its constructor is keyword-only, some required)
        args = [f'{k}="x"' for k in new_fields if k in old_fields and k not in leave_out] + ([extra] if extra else [])
    return f"{_ref(old_qualname)}({', '.join(args)})"


def derivable(index) -> list:
    """(entry, program) for each drift entry with exactly one answer that the installed 7.x confirms; the
    program is written for the entry's old major (its shipped index gives the required arguments)."""
    out, seen = [], set()
    for key, entries in sorted(history()["drift"].items()):
        package, _, major = key.partition("@")
        if package != "pulumi_aws":
            continue
        old_index = shipped_index(int(major))
        renamed = {e["to"]: e["from"] for e in entries if e["kind"] == "class"}
        renames = {(e["owner"], e["to"]): (e["from"], e.get("shape")) for e in entries if e["kind"] == "keyword"}
        for entry in entries:
            kind = entry["kind"]
            dedupe = (kind, entry["owner"], entry["from"])
            if kind not in ("keyword", "class", "output", "result") or dedupe in seen or not entry.get("to"):
                continue
            seen.add(dedupe)
            if len({a["to"] for a in candidates(kind, entry["owner"], entry["from"])}) != 1:
                continue
            program = _program(index, old_index, renamed, renames, kind, entry)
            if program:
                out.append((entry | {"kind": kind, "major": int(major)}, program))
    return out


def _program(index, old_index, renamed, renames, kind: str, entry: dict) -> str | None:
    head = "import pulumi_aws as aws\nimport pulumi_random as random\n"
    owner, old, new = entry["owner"], entry["from"], entry["to"]
    old_owner = renamed.get(owner, owner)
    if kind == "keyword":
        fields = fields_of(index, owner)
        if not fields or old in fields or new not in fields:
            return None
        value = '["x"]' if entry.get("shape") == "unwrap" else '"x"'
        call = _call(index, old_index, owner, f"{old}={value}", leave_out=(new, old), old_qualname=old_owner,
                     renames=renames)
        return head + f"made = {call}\n"
    if kind == "class":
        if classify(index, old) != "missing" or classify(index, new) in (None, "missing"):
            return None
        if new.endswith("ArgsDict"):
            return head + f"made = {_ref(old)}()\n"
        return head + f"made = {_call(index, old_index, new, '', old_qualname=old)}\n"
    if kind == "output":
        resource = index.resource(owner)
        if resource is None or old in resource["outputs"] or new not in resource["outputs"]:
            return None
        made = _call(index, old_index, owner, '', old_qualname=old_owner, renames=renames)
        return head + f"made = {made}\nvalue = made.{old}\n"
    if kind == "result":
        fn = index.function(owner)
        if fn is None or fn["output"] or old in fn["result"] or new not in fn["result"]:
            return None
        return head + f"made = {_ref(owner)}()\nvalue = made.{old}\n"
    return None


@pytest.fixture(scope="module")
def cases(index):
    if not history():
        pytest.fail("fixer/data/api_history.json.xz is missing")
    return derivable(index)


def test_differential_drift_repairs_construct_on_installed_major(cases, index, tmp_path, capsys):
    assert index.major() == 7, "the differential suite targets the installed pulumi-aws 7.x"
    names = tuple(r.NAME for r in all_rules())
    paths, unchanged_twice = [], []
    for i, (entry, program) in enumerate(cases):
        result, fixed = process_source(f"case{i}.py", program, Options(names, apply=True, unsafe=True), index)
        assert result.error is None, (entry, result.error)
        again, fixed_again = process_source(f"case{i}.py", fixed, Options(names, apply=True, unsafe=True), index)
        unchanged_twice.append(fixed_again == fixed)
        compile(fixed, f"case{i}.py", "exec")
        path = tmp_path / f"case{i}.py"
        path.write_text(fixed)
        paths.append(str(path))
    results = construct_all(paths)
    repaired = [entry for (entry, _), path in zip(cases, paths) if results[path] is None]
    failed = [(entry, results[path]) for (entry, _), path in zip(cases, paths) if results[path] is not None]
    by_kind: dict = {}
    for entry, _ in cases:
        by_kind[entry["kind"]] = by_kind.get(entry["kind"], 0) + 1
    with capsys.disabled():
        print(f"\ndrift differential: {len(repaired)}/{len(cases)} one-answer entries repaired and constructing "
              f"on pulumi-aws {index.packages['pulumi_aws']['version']} ({len(repaired) / max(1, len(cases)):.1%}); "
              f"by kind {by_kind}; failures: {failed[:5]}")
    assert len(cases) >= 50, "the history should yield at least 50 one-answer entries"
    assert all(unchanged_twice), "a second fixer run changed a repaired program"
    assert len(repaired) / len(cases) >= TARGET, failed[:10]


def test_an_unfixed_old_program_does_not_construct(cases, tmp_path):
    """The suite can fail: the old spellings really are broken on the installed major."""
    keyword_cases = [(e, p) for e, p in cases if e["kind"] == "keyword" and _owner_is_resource(e)][:5]
    class_cases = [(e, p) for e, p in cases if e["kind"] == "class" and not e["to"].endswith("Args")
                   and not e["to"].endswith("ArgsDict")][:5]
    paths = []
    for i, (_, program) in enumerate(keyword_cases + class_cases):
        path = tmp_path / f"old{i}.py"
        path.write_text(program)
        paths.append(str(path))
    assert paths
    results = construct_all(paths)
    assert all(results[p] is not None for p in paths), results


def _owner_is_resource(entry) -> bool:
    """Whether the entry's owner is a resource class (not an input class)."""
    return "Args" not in entry["owner"].rpartition(".")[2]
