"""The TypeScript examples (examples/typescript/) are twins of the Python ones: they register the same
resources with the same inputs, and `policypack preview` gives them the same findings, exit code, at-preview
markers and exemptions. Their packages are installed by .ci/setup (`npm ci` in examples/typescript, one npm
workspace for both programs)."""

from __future__ import annotations

import functools
import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from policypack.offline import capture_program

from support.redteam import marked_defects, preview
from twin_diff import differences

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
TYPESCRIPT = EXAMPLES / "typescript"
TWINS = ("broken", "compliant")


def _require_packages():
    # Fail (never skip) without the packages: .ci/setup installs them, and a failed install must be seen.
    assert (TYPESCRIPT / "node_modules" / "@pulumi" / "aws").is_dir(), \
        "examples/typescript/node_modules missing: run bash .ci/setup"


@functools.cache
def _preview(program: Path):
    result = preview(program)
    return result["rc"], result


@functools.cache
def _previews(twin: str):
    """(Python, TypeScript) previews of one twin, run side by side, once per test process."""
    _require_packages()
    with ThreadPoolExecutor(max_workers=2) as pool:
        return tuple(pool.map(_preview, (EXAMPLES / twin, TYPESCRIPT / twin)))


def findings(doc: dict) -> set:
    """Everything a finding says except where in which source file it was made."""
    return {(v["policy"], v["resource_type"], v["resource_name"], v["urn"], v["enforcement"], v["message"],
             v["seen"]) for v in doc["violations"]}


def exemptions(doc: dict) -> set:
    """Everything an exemption says except where in which source file it was made."""
    return {json.dumps({k: v for k, v in e.items() if k != "source"}, sort_keys=True) for e in doc["exempted"]}


@pytest.mark.parametrize("twin", TWINS)
def test_the_typescript_twin_registers_what_the_python_program_does(twin):
    _require_packages()
    with ThreadPoolExecutor(max_workers=2) as pool:
        python, typescript = pool.map(capture_program, (EXAMPLES / twin, TYPESCRIPT / twin))
    assert len(typescript.resources) > 50
    assert differences(python, typescript) == []


def test_the_typescript_broken_example_gets_the_python_findings_and_the_expected_ones():
    (py_code, py_doc), (code, doc) = _previews("broken")
    assert code == py_code == 1 and doc["program_errors"] == []
    assert findings(doc) == findings(py_doc)
    expected = json.loads((EXAMPLES / "broken" / "expected.json").read_text())
    assert {(v["policy"], v["resource_name"]) for v in doc["violations"]} == \
        {(e["policy"], e["resource_name"]) for e in expected}


def test_the_typescript_compliant_example_is_clean_with_the_python_exemptions():
    (py_code, py_doc), (code, doc) = _previews("compliant")
    assert code == py_code == 0 and doc["program_errors"] == [] and doc["violations"] == []
    assert doc["resources_checked"] == py_doc["resources_checked"] > 50
    assert exemptions(doc) == exemptions(py_doc) and len(doc["exempted"]) >= 1


@pytest.mark.parametrize("twin, kind", [("broken", "violations"), ("compliant", "exempted")])
def test_typescript_findings_point_at_the_typescript_source(twin, kind):
    _, (_, doc) = _previews(twin)
    assert doc[kind]
    for finding in doc[kind]:
        path = Path(finding["source"]["file"])
        assert path.suffix == ".ts" and (TYPESCRIPT / twin) in path.parents
        line = path.read_text().splitlines()[finding["source"]["line"] - 1]
        assert "new " in line, f"{finding['resource_name']}: {path.name}:{finding['source']['line']} is not a constructor"


def test_the_typescript_broken_example_marks_the_defects_the_python_one_marks():
    python = marked_defects(EXAMPLES / "broken", {".py"}, "#")
    assert len(python) > 60
    assert marked_defects(TYPESCRIPT / "broken", {".ts"}, "//") == python
