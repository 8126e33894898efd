"""The pack's run-time needs only pulumi-policy: the CLI installs requirements.txt into a fresh virtualenv."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pulumi_aws", "pulumi_random", "libcst", "jsonschema", "boto3", "botocore", "fixer", "pathspec")


def test_building_the_pack_imports_nothing_beyond_pulumi_policy():
    code = ("import sys; from policypack.analyzer_service import build_service; "
            "build_service().GetAnalyzerInfo(None, None); "
            f"print(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]", f"the pack imported {out.stdout.strip()}"


def test_requirements_name_only_the_policy_sdk():
    lines = [line.split("#")[0].strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    names = {line.split(">")[0].split("=")[0].split("<")[0].strip().lower() for line in lines if line}
    assert names == {"pulumi-policy"}
