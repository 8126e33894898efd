"""What the red-team and example tests share: previewing a program as users do, checking it reports exactly its
expected.json, and reading the `defect:` comments that document each deliberate defect."""
import functools
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def preview(program: Path, timeout: float = 600) -> dict:
    """`policypack preview --format json` of `program` (with its policy-config.json when it has one), on a fixed
    day so dated exemptions stay stable: the JSON report plus `rc`, or `rc`, `stdout`, `stderr` when it is not
    JSON."""
    command = [sys.executable, "-m", "policypack.cli", "preview", str(program), "--format", "json"]
    if (program / "policy-config.json").exists():
        command += ["--policy-config", str(program / "policy-config.json")]
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "HIPAA_GUARD_TODAY": "2026-12-01"})
    try:
        return {"rc": proc.returncode, "stderr": proc.stderr, **json.loads(proc.stdout)}
    except ValueError:
        return {"rc": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr}


def expected_entries(program: Path) -> list[dict]:
    return json.loads((program / "expected.json").read_text())


def assert_reports_exactly_the_expected(program: Path, result: dict) -> None:
    """No program error; the violations and the exempted findings are exactly expected.json's (by policy and
    resource name); the exit code follows from the violations."""
    assert "violations" in result, result
    assert result["program_errors"] == [], result["program_errors"]
    entries = expected_entries(program)
    expected = {(e["policy"], e["resource_name"]) for e in entries if not e.get("exempted")}
    found = {(v["policy"], v["resource_name"]) for v in result["violations"]}
    assert found == expected, f"missing: {sorted(expected - found)}; unexpected: {sorted(found - expected)}"
    expected_exempted = {(e["policy"], e["resource_name"]) for e in entries if e.get("exempted")}
    exempted = {(v["policy"], v["resource_name"]) for v in result["exempted"]}
    assert exempted == expected_exempted, (f"missing exempted: {sorted(expected_exempted - exempted)}; "
                                           f"unexpected exempted: {sorted(exempted - expected_exempted)}")
    assert result["rc"] == (1 if any(v["enforcement"] == "mandatory" for v in result["violations"]) else 0)


@functools.cache
def _policy_names() -> frozenset[str]:
    from policypack.policy import all_policies

    return frozenset(spec.name for spec in all_policies())


def marked_defects(directory: Path, suffixes: set[str], comment: str) -> set[str]:
    """Names of the pack's policies given by `<comment> defect: <policy>[, <policy>] (reason)` comments, and by their
    continuation comment lines after a trailing comma, in the sources under `directory` (`comment`: "#" or
    "//")."""
    marked, continued = set(), False
    for source in sorted(p for p in directory.rglob("*") if p.suffix in suffixes and "node_modules" not in p.parts):
        for line in source.read_text().splitlines():
            text = line.split(comment, 1)[1] if comment in line else None
            if text is not None and "defect:" in text:
                text, continued = text.split("defect:", 1)[1], True
            elif text is None or not continued or not line.lstrip().startswith(comment):
                continued = False
                continue
            names = re.sub(r"\([^)]*\)?", "", text)  # reasons in parentheses name no policy
            marked |= set(re.findall(r"\b[a-z0-9]+(?:-[a-z0-9]+)+\b", names)) & _policy_names()
            continued = text.rstrip().endswith(",")
    return marked
