"""Each seed failure, reproduced by a program of our own (tests/programs/<case>/), is reported at offline
preview exactly as its expected.json says: that policy on that resource, and nothing else."""
import json
from pathlib import Path

import pytest

from policypack.engine import run_analysis
from policypack.offline import capture_program

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = sorted(p.parent for p in (ROOT / "tests" / "programs").glob("*/expected.json"))


def _findings(program: Path) -> set[tuple[str, str]]:
    capture = capture_program(program)
    assert capture.ok, capture.program_errors
    result = run_analysis(ROOT, capture.resources, project=capture.project, stack=capture.stack,
                          config=capture.config)
    return {(d.policy_name, d.urn.rsplit("::", 1)[-1]) for d in result.diagnostics
            if d.enforcement_level in ("mandatory", "advisory")}


def test_there_are_seed_programs():
    assert len(PROGRAMS) >= 10


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.name for p in PROGRAMS])
def test_seed_program_reports_exactly_the_expected_findings(program):
    expected = json.loads((program / "expected.json").read_text())
    required = {(e["policy"], e["resource_name"]) for e in expected if not e.get("_also_allowed")}
    allowed = required | {(e["policy"], e["resource_name"]) for e in expected if e.get("_also_allowed")}
    found = _findings(program)
    assert required <= found, f"missing: {sorted(required - found)}"
    assert found <= allowed, f"unexpected: {sorted(found - allowed)}"
