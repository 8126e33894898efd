"""Each red-team program (tests/redteam/<case>/) constructs under the offline mocks and the preview CLI
reports exactly its expected.json: every deliberate defect, and no finding on its compliant patterns.

An expected entry with `"exempted": true` must be reported as an exempted finding (never a violation). A
program directory holding `policy-config.json` is previewed with `--policy-config` (config exemptions)."""
import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
PROGRAMS = sorted(p.parent for p in HERE.glob("*/expected.json"))


def _preview(program: Path) -> dict:
    command = [sys.executable, "-m", "policypack.cli", "preview", str(program), "--format", "json"]
    if (program / "policy-config.json").exists():
        command += ["--policy-config", str(program / "policy-config.json")]
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "HIPAA_GUARD_TODAY": "2026-12-01"})
    try:
        return {"rc": proc.returncode, **json.loads(proc.stdout)}
    except ValueError:
        return {"rc": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr}


@pytest.fixture(scope="module")
def previews() -> dict:
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(PROGRAMS, pool.map(_preview, PROGRAMS)))


def test_there_are_redteam_programs():
    assert len(PROGRAMS) >= 5


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.name for p in PROGRAMS])
def test_redteam_program_reports_exactly_the_expected_findings(program, previews):
    result = previews[program]
    assert "violations" in result, result
    assert result["program_errors"] == [], result["program_errors"]
    entries = json.loads((program / "expected.json").read_text())
    expected = {(e["policy"], e["resource_name"]) for e in entries if not e.get("exempted")}
    found = {(v["policy"], v["resource_name"]) for v in result["violations"]}
    assert found == expected, f"missing: {sorted(expected - found)}; unexpected: {sorted(found - expected)}"
    expected_exempted = {(e["policy"], e["resource_name"]) for e in entries if e.get("exempted")}
    exempted = {(v["policy"], v["resource_name"]) for v in result["exempted"]}
    assert exempted == expected_exempted, (f"missing exempted: {sorted(expected_exempted - exempted)}; "
                                           f"unexpected exempted: {sorted(exempted - expected_exempted)}")
    assert result["rc"] == (1 if any(v["enforcement"] == "mandatory" for v in result["violations"]) else 0)


@pytest.mark.parametrize("program", PROGRAMS, ids=[p.name for p in PROGRAMS])
def test_every_marked_defect_is_expected(program):
    """Each `# defect: <policy>` comment in the sources names a policy the expected findings hold."""
    marked = set()
    for source in program.rglob("*.py"):
        for line in source.read_text().splitlines():
            if "# defect:" in line:
                marked.add(line.split("# defect:", 1)[1].split()[0])
    expected = {e["policy"] for e in json.loads((program / "expected.json").read_text()) if not e.get("exempted")}
    assert marked == expected
