"""Each TypeScript/JavaScript red-team program (tests/node/redteam/<case>/) runs under the offline preview and the
CLI reports exactly its expected.json: every deliberate defect, and no finding on its compliant patterns.

The programs resolve @pulumi/* from tests/node/node_modules (installed by .ci/setup with `npm ci`): its absence
is a failure, never a skip. An expected entry with `"exempted": true` must be reported as an exempted finding
(a `hipaa-guard:exempt` tag or a config exemption), never as a violation. A program directory holding
`policy-config.json` is previewed with `--policy-config`, and every run with `HIPAA_GUARD_TODAY=2026-12-01`
(dated exemptions stay stable). Each deliberate defect is marked `// defect: <policy> (reason)` in the source."""
import functools
from pathlib import Path

import pytest

from support.redteam import assert_reports_exactly_the_expected, expected_entries, marked_defects, preview

HERE = Path(__file__).resolve().parent
REDTEAM = HERE / "redteam"
NODE_MODULES = HERE / "node_modules"
PROGRAMS = sorted(p.parent for p in REDTEAM.glob("*/expected.json"))
SOURCE_SUFFIXES = {".ts", ".js", ".mts", ".mjs", ".cts", ".cjs"}


@functools.cache
def _preview(program: Path) -> dict:
    """One preview per program and test process; pytest-xdist's two workers keep at most two running at once."""
    assert (NODE_MODULES / "@pulumi" / "aws").is_dir(), f"{NODE_MODULES}/@pulumi/aws missing: run .ci/setup (npm ci)"
    return preview(program)


def _sources(program: Path):
    return [p for p in program.rglob("*") if p.suffix in SOURCE_SUFFIXES and "node_modules" not in p.parts]


def test_node_modules_are_installed():
    assert (NODE_MODULES / "@pulumi" / "aws").is_dir(), f"{NODE_MODULES}/@pulumi/aws missing: run .ci/setup (npm ci)"
    assert (NODE_MODULES / "@pulumi" / "pulumi").is_dir()


def test_there_are_node_redteam_programs():
    assert len(PROGRAMS) >= 8
    languages = {p.suffix for program in PROGRAMS for p in _sources(program)}
    assert {".ts", ".js"} <= languages


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.name for p in PROGRAMS])
def test_node_redteam_program_reports_exactly_the_expected_findings(program):
    assert_reports_exactly_the_expected(program, _preview(program))


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.name for p in PROGRAMS])
def test_node_redteam_findings_point_into_the_program(program):
    """Every finding names an existing source file of the program, and the line that constructs its resource
    (`new <module>.<Class>(` of the finding's resource type)."""
    result = _preview(program)
    assert "violations" in result, result
    for finding in result["violations"] + result["exempted"]:
        source = finding.get("source") or {}
        path = Path(source.get("file") or "")
        assert path.is_file() and program in path.parents, (finding["policy"], finding["resource_name"], source)
        line = path.read_text().splitlines()[source["line"] - 1]
        constructor = f'.{finding["resource_type"].rsplit(":", 1)[-1]}('
        assert "new " in line and constructor in line, (finding["policy"], finding["resource_name"], source, line)


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.name for p in PROGRAMS])
def test_every_marked_defect_is_expected(program):
    """The `// defect: <policy>[, <policy>] (reason)` comments in the sources name exactly the policies the
    expected findings hold."""
    expected = {e["policy"] for e in expected_entries(program) if not e.get("exempted")}
    assert marked_defects(program, SOURCE_SUFFIXES, "//") == expected
