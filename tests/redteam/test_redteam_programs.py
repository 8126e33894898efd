"""Each red-team program (tests/redteam/<case>/) constructs under the offline mocks and the preview CLI
reports exactly its expected.json: every deliberate defect, and no finding on its compliant patterns.

An expected entry with `"exempted": true` must be reported as an exempted finding (never a violation). A
program directory holding `policy-config.json` is previewed with `--policy-config` (config exemptions)."""
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from support.redteam import assert_reports_exactly_the_expected, expected_entries, marked_defects, preview

HERE = Path(__file__).resolve().parent
PROGRAMS = sorted(p.parent for p in HERE.glob("*/expected.json"))


@pytest.fixture(scope="module")
def previews() -> dict:
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(PROGRAMS, pool.map(lambda program: preview(program, timeout=300), PROGRAMS)))


def test_there_are_redteam_programs():
    assert len(PROGRAMS) >= 5


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.name for p in PROGRAMS])
def test_redteam_program_reports_exactly_the_expected_findings(program, previews):
    assert_reports_exactly_the_expected(program, previews[program])


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.name for p in PROGRAMS])
def test_every_marked_defect_is_expected(program):
    """The `# defect: <policy>[, <policy>] (reason)` comments in the sources name exactly the policies the expected
    findings hold."""
    expected = {e["policy"] for e in expected_entries(program) if not e.get("exempted")}
    assert marked_defects(program, {".py"}, "#") == expected
