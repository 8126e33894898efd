"""A program holding secrets in every place a finding could show them: the preview still finds the defects
and no output format (text, JSON, SARIF) shows a secret value."""
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROGRAM = Path(__file__).parent / "programs" / "secrets_everywhere"
SECRETS = ("eu-west-3", "S3cr3t-TAG-reason", "S3cr3t-PASSWORD-1", "S3cr3t-CERT", "10.77.1.0/24", "10.77.1.128/25",
           "15.4", "1433")


@pytest.fixture(scope="module", params=["text", "json", "sarif"])
def output(request):
    proc = subprocess.run([sys.executable, "-m", "policypack.cli", "preview", str(PROGRAM), "--format",
                           request.param], capture_output=True, text=True, cwd=ROOT, timeout=300)
    return proc


def test_the_defects_are_found(output):
    assert output.returncode == 1, output.stderr[-2000:]
    for policy in ("subnet-cidrs-valid", "security-group-no-public-data-ports", "alb-https-real-certificate",
                   "rds-engine-version-valid"):
        assert policy in output.stdout


def test_no_secret_value_in_any_output(output):
    shown = output.stdout + output.stderr
    assert [s for s in SECRETS if s in shown] == []


def test_a_secret_exemption_tag_still_exempts_with_its_reason_withheld(output):
    assert "reason withheld" in output.stdout
