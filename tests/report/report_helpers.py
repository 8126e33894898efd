"""Shared by the control-report tests: the programs, what they hide, one preview as `policypack report` runs it,
and a reader of the report's HTML tables."""
from __future__ import annotations

import argparse
import json
import re
from html.parser import HTMLParser
from pathlib import Path

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


def expected_findings(example: str) -> set[tuple[str, str]]:
    return {(e["policy"], e["resource_name"])
            for e in json.loads((ROOT / "examples" / example / "expected.json").read_text())}


class Tables(HTMLParser):
    """Rows of the table with id `table_id` as lists of cell texts, and whether any <script> or remote URL appears."""

    def __init__(self, table_id):
        super().__init__()
        self.table_id, self.rows, self.depth, self.cell = table_id, [], 0, None
        self.remote, self.tags = False, set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.add(tag)
        if any(isinstance(v, str) and re.match(r"(https?:)?//", v) for k, v in attrs.items() if k in ("src", "href")):
            self.remote = True
        if tag == "table" and attrs.get("id") == self.table_id:
            self.depth = 1
        elif self.depth and tag == "tr":
            self.rows.append([])
        elif self.depth and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if self.depth and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join(self.cell.split()))
            self.cell = None
        elif self.depth and tag == "table":
            self.depth = 0

    def handle_data(self, text):
        if self.cell is not None:
            self.cell += text


def table_rows(page, table_id="control-table"):
    parser = Tables(table_id)
    parser.feed(page)
    return parser
