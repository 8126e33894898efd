"""Every rule's VALID and INVALID examples are its tests (and its docs: see fixer/docs.py)."""
import pytest

from fixer.project import run_project_rules
from fixer.rule import ProjectRule
from fixer.rules import all_rules
from fixer.runner import Options, process_source

CASES = [pytest.param(rule, ex, id=f"{rule.NAME}-invalid-{i}") for rule in all_rules()
         for i, ex in enumerate(rule.INVALID)]
VALID = [pytest.param(rule, src, id=f"{rule.NAME}-valid-{i}") for rule in all_rules() for i, src in enumerate(rule.VALID)]
FILE_RULES = [r for r in all_rules() if not issubclass(r, ProjectRule)]


def _run(rule, source, index, apply=False, unsafe=False, region=None):
    return process_source("example.py", source, Options((rule.NAME,), apply=apply, unsafe=unsafe, region=region), index)


def test_every_rule_has_invalid_examples():
    assert all(rule.INVALID for rule in all_rules())


@pytest.mark.parametrize("rule,source", VALID)
def test_valid_example_is_not_reported(rule, source, index):
    result, new = _run(rule, source, index, apply=True, unsafe=True)
    assert [f for f in result.findings if f.rule == rule.NAME] == []
    assert new == source


@pytest.mark.parametrize("rule,example", [c for c in CASES if not issubclass(c.values[0], ProjectRule)])
def test_invalid_example_is_reported_and_fixed(rule, example, index):
    result, _ = _run(rule, example.before, index, region=example.region)
    assert any(f.rule == rule.NAME for f in result.findings)
    result, new = _run(rule, example.before, index, apply=True, unsafe=example.unsafe, region=example.region)
    assert result.error is None
    expected = example.after if example.after is not None else example.before
    assert new == expected
    again, newer = _run(rule, new, index, apply=True, unsafe=example.unsafe, region=example.region)
    assert newer == new  # idempotent


@pytest.mark.parametrize("rule,example", [c for c in CASES if not issubclass(c.values[0], ProjectRule)
                                          and c.values[1].unsafe])
def test_unsafe_fix_needs_flag(rule, example, index):
    result, new = _run(rule, example.before, index, apply=True, unsafe=False, region=example.region)
    assert new == example.before
    assert any(f.rule == rule.NAME and f.fix == "unsafe" for f in result.findings)


@pytest.mark.parametrize("rule,example", [c for c in CASES if issubclass(c.values[0], ProjectRule)])
def test_project_rule_example(rule, example, tmp_path, index):
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(example.before)
    for name, text in (example.files or {}).items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    files = [str(tmp_path / "__main__.py")]
    checked = run_project_rules(str(tmp_path), files, [rule], apply=False)
    assert [f.rule for f in checked.findings] == [rule.NAME]
    applied = run_project_rules(str(tmp_path), files, [rule], apply=True)
    assert applied.changes
    for name, text in example.files_after.items():
        assert (tmp_path / name).read_text() == text
    assert run_project_rules(str(tmp_path), files, [rule], apply=False).findings == []
