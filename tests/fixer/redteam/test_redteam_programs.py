"""Red-team programs: generated-style HIPAA pipelines (TapStack component, f-string names, tags, json.dumps
policies, exports) mixing real mistakes with lots of valid code. Each locks in exactly what ``fixer check``
finds (rule, file, line: no false positives, no misses), and that ``fixer apply --unsafe`` turns a program
that fails under Pulumi mocks into one that constructs, keeps its comments, and is idempotent."""
import json
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from fixer.cli import main

PROGRAMS = Path(__file__).parent / "programs"

RUN_UNDER_MOCKS = r'''
import json, os, runpy, sys
import pulumi

class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        return [args.name + "_id", args.inputs]
    def call(self, args):  # enough of every data source the programs read
        return {"names": ["zone-a", "zone-b"], "json": "{}", "id": "x", "account_id": "123", "arn": "arn:x",
                "name": "region", "random_password": "pw"}

pulumi.runtime.set_mocks(Mocks(), preview=False)
os.chdir(sys.argv[1])
sys.path.insert(0, sys.argv[1])
try:
    runpy.run_path(sys.argv[2], run_name="__main__")
except Exception as exc:
    print(json.dumps({"error": type(exc).__name__, "message": str(exc)}))
else:
    print(json.dumps({"error": None}))
'''

L = "lib/tap_stack.py"
# program -> (its entry file, the error it raises under mocks before the fix, findings of `fixer check`)
EXPECTED = {
    "p1_ingest": ("tap.py", "ImportError", [
        ("provider-module-unknown", L, 13), ("output-json-dumps", L, 86), ("output-in-string", L, 93),
        ("provider-enum-member", L, 162), ("resource-option-keyword", L, 179), ("provider-keyword-renamed", L, 200),
        ("output-in-string", L, 222)]),  # export of an f-string over a logs.LogGroup output
    "p2_database": ("tap.py", "TypeError", [
        ("inline-imports", L, 12), ("availability-zone-region", L, 31), ("availability-zone-region", L, 31),
        ("provider-keyword-renamed", L, 45), ("rds-master-username-reserved", L, 88),
        ("random-password-result", L, 89), ("rds-engine-version-invalid", L, 107),
        ("provider-keyword-renamed", L, 113), ("provider-keyword-renamed", L, 114),
        ("rds-master-username-reserved", L, 114), ("resource-option-keyword", L, 126),
        ("elasticache-auth-token-charset", L, 135), ("provider-keyword-renamed", L, 142),
        ("provider-keyword-renamed", L, 146), ("provider-keyword-unknown", L, 152),
        ("provider-keyword-renamed", L, 170)]),
    "p3_api": ("__main__.py", "AttributeError", [
        ("placeholder-certificate-arn", L, 71), ("random-password-module", L, 77),
        ("aurora-serverless-v2-config", L, 85),  # master_username="postgres" (line 88) is valid: AWS's default
        ("aurora-serverless-v2-config", L, 103), ("output-in-string", L, 176), ("provider-module-unknown", L, 192),
        ("output-in-string", L, 194), ("output-in-string", L, 195)]),
    "p4_serverless": ("tap.py", "AttributeError", [("provider-enum-member", L, 104), ("output-in-string", L, 151)]),
    "p5_audit": ("__main__.py", "ImportError", [
        ("provider-module-unknown", L, 7), ("requirement-missing", L, 8), ("provider-keyword-renamed", L, 27),
        ("output-json-dumps", L, 30), ("output-in-string", L, 38), ("provider-keyword-renamed", L, 50),
        ("availability-zone-region", L, 70), ("provider-keyword-renamed", L, 73),
        ("rds-engine-version-invalid", L, 83), ("provider-keyword-renamed", L, 86),
        ("apigateway-deployment-stage", L, 104), ("output-json-dumps", L, 119), ("output-in-string", L, 120),
        ("output-in-string", L, 124)]),
    "p6_ecs": ("tap.py", "TypeError", [
        ("listener-security-group-port", L, 40), ("provider-keyword-unknown", L, 60),
        ("aurora-serverless-v2-config", L, 70), ("rds-engine-version-invalid", L, 71),
        ("aurora-serverless-v2-config", L, 80), ("service-connect-namespace-string", L, 85),
        ("resource-option-keyword", L, 129), ("output-in-string", L, 143)]),
    # round 2: loops, comprehensions, helpers, **kwargs, aliases, annotations, several modules, CRLF and tabs
    "r2_network": ("__main__.py", "TypeError", [  # lib/network.py and lib/data.py import each other's classes
        ("output-json-dumps", "lib/data.py", 50), ("provider-keyword-renamed", "lib/data.py", 75),  # beside **kwargs
        ("resource-option-keyword", "lib/network.py", 51), ("provider-keyword-renamed", "lib/network.py", 53),
        ("resource-option-keyword", "lib/network.py", 58)]),  # all three inside a for loop
    "r2_messaging": ("__main__.py", "TypeError", [  # CRLF, tabs; parameters named `kms` and `json` shadow imports
        ("provider-keyword-renamed", "__main__.py", 53), ("output-json-dumps", "__main__.py", 61),
        ("resource-option-keyword", "__main__.py", 84), ("provider-keyword-renamed", "__main__.py", 90)]),
    "r2_analytics": ("tap.py", "AttributeError", [
        ("provider-enum-member", L, 46), ("resource-option-keyword", L, 93)]),
    "r2_edge": ("__main__.py", "TypeError", [  # CRLF, tabs, inserted statements
        ("inline-imports", "__main__.py", 9), ("inline-imports", "__main__.py", 10),
        ("apigateway-deployment-stage", "__main__.py", 22), ("output-in-string", "__main__.py", 53),
        ("output-in-string", "__main__.py", 55)]),
}
# findings a human must act on (reported, never rewritten): what `fixer check` still says after the fix
REMAINING = {
    "p3_api": [("placeholder-certificate-arn", L, 72), ("output-in-string", L, 195)],  # pulumi.log.info(f"...")
    "p6_ecs": [("listener-security-group-port", L, 40), ("service-connect-namespace-string", L, 84)],
    "r2_edge": [("output-in-string", "__main__.py", 55)],  # self.url = f"https://{self.api.id}..."
}


def _findings(program: Path, capsys) -> Counter:
    main(["check", "--format", "json", str(program)])
    out = json.loads(capsys.readouterr().out)
    assert out["errors"] == []
    return Counter((f["rule"], str(Path(f["file"]).relative_to(program)), f["line"]) for f in out["findings"])


def _construct(program: Path, entry: str) -> dict:
    env = {"PATH": "/usr/bin:/bin", "PULUMI_TEST_MODE": "true"}
    out = subprocess.run([sys.executable, "-c", RUN_UNDER_MOCKS, str(program), entry], capture_output=True,
                         text=True, env=env, timeout=180)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _sources(program: Path) -> dict:
    return {p: p.read_bytes() for p in program.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def _original_bytes(source_dir: Path, program: Path, path: Path) -> bytes:
    original = source_dir / path.relative_to(program)
    return original.read_bytes() if original.exists() else b""


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_redteam_program(name, tmp_path, capsys):
    entry, error, expected = EXPECTED[name]
    program = tmp_path / name
    shutil.copytree(PROGRAMS / name, program)
    assert _findings(program, capsys) == Counter(expected)
    assert _construct(program, entry)["error"] == error
    before = {p: p.read_text() for p in program.rglob("*.py")}

    main(["apply", "--unsafe", str(program)])
    capsys.readouterr()
    assert _construct(program, entry) == {"error": None}
    assert _findings(program, capsys) == Counter(REMAINING.get(name, []))
    for path, text in before.items():  # every comment survives
        for line in text.splitlines():
            if "#" in line and '"#' not in line and "'#" not in line:
                assert line.split("#", 1)[1] in path.read_text()
    after = _sources(program)
    for path, data in after.items():  # a CRLF file stays CRLF-only, inserted lines included
        if b"\r\n" in _original_bytes(PROGRAMS / name, program, path):
            assert data.count(b"\n") == data.count(b"\r\n"), path
    main(["apply", "--unsafe", str(program)])
    capsys.readouterr()
    assert _sources(program) == after  # idempotent
