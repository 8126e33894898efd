"""Each program is previewed once per session (a preview spawns the program and the pack: ~2 s), in parallel;
the tests build and render control reports from those runs."""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from policypack import cli
from policypack.control_report import control_report_of
from policypack.policy import all_policies

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = Path(__file__).parent / "programs"
SECRET_EXEMPT = PROGRAMS / "secret_exempt"
# What the secret_exempt program hides: none of it may appear in any output.
SECRETS = ("Zq-report-secret-password-1", "Zq-hidden-exemption-reason")
RUNS = {
    "broken": (ROOT / "examples" / "broken", None),
    "compliant": (ROOT / "examples" / "compliant", None),
    "secret_exempt": (SECRET_EXEMPT, SECRET_EXEMPT / "policy-config.json"),
}


def preview(program: Path, policy_config: Path | None = None):
    """(preview Report, ControlReport, exit code) of one offline preview, as `policypack report` builds them."""
    args = argparse.Namespace(program_dir=str(program), stack=None, config=[], pack=None, python=None,
                              policy_config=str(policy_config) if policy_config else None)
    report, result, resources = cli._run_preview(args, lambda msg: None)
    controls = control_report_of(report, result, resources, all_policies(), date="2026-12-04")
    return report, controls, report.exit_code()


class Previews:
    """Previews by name, each run on first use: under xdist a worker runs only the ones its tests need."""

    def __init__(self):
        self._done = {}

    def __getitem__(self, name):
        if name not in self._done:
            self._done[name] = preview(*RUNS[name])
        return self._done[name]


@pytest.fixture(scope="session")
def previews():
    return Previews()


def expected_findings(example: str) -> set[tuple[str, str]]:
    return {(e["policy"], e["resource_name"])
            for e in json.loads((ROOT / "examples" / example / "expected.json").read_text())}
