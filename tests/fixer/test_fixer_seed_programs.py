"""Programs reproducing each seed's source-level failure fail under Pulumi mocks before ``fixer apply
--unsafe`` and construct after it. Each run is a fresh interpreter: set_mocks works once per process."""
import json
import shutil
import subprocess
import sys
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
    def call(self, args):
        return {}

pulumi.runtime.set_mocks(Mocks(), preview=False)
os.chdir(sys.argv[1])
sys.path.insert(0, sys.argv[1])
try:
    runpy.run_path("__main__.py", run_name="__main__")
except Exception as exc:
    print(json.dumps({"error": type(exc).__name__, "message": str(exc)}))
else:
    print(json.dumps({"error": None}))
'''

# case -> exception raised before the fix (None: the failure is at deploy time; the fixed source is asserted)
CASES = {
    "random_password_module": "AttributeError",
    "random_password_result": "AttributeError",
    "keyword_renamed": "TypeError",
    "auth_token_enabled": "TypeError",
    "logs_module": "ImportError",
    "inline_imports": "NameError",
    "lib_init_missing": "ModuleNotFoundError",
    "master_username_admin": None,
    "aurora_engine_mode": None,
}


def construct(program: Path, env_path: Path) -> dict:
    env = {"PYTHONPATH": str(env_path), "PATH": "/usr/bin:/bin", "PULUMI_TEST_MODE": "true"}
    out = subprocess.run([sys.executable, "-c", RUN_UNDER_MOCKS, str(program)], capture_output=True, text=True,
                         env=env, timeout=120)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture
def decoy_path(tmp_path):
    """Another regular package named ``lib`` later on sys.path, as in many environments: it shadows a
    ``lib`` directory that lacks ``__init__.py`` (a namespace package loses to any regular package)."""
    decoy = tmp_path / "decoy"
    (decoy / "lib").mkdir(parents=True)
    (decoy / "lib" / "__init__.py").write_text("")
    return decoy


@pytest.mark.parametrize("case", sorted(CASES))
def test_program_constructs_after_fix(case, tmp_path, decoy_path, capsys):
    program = tmp_path / case
    shutil.copytree(PROGRAMS / case, program)
    before = {p: p.read_text() for p in program.rglob("*.py")}
    expected = CASES[case]
    assert construct(program, decoy_path)["error"] == expected
    assert main(["apply", "--unsafe", str(program)]) == 0
    capsys.readouterr()
    assert construct(program, decoy_path)["error"] is None
    # comments survive
    for path, text in before.items():
        comments = [line.split("#", 1)[1] for line in text.splitlines() if "#" in line and '"#' not in line]
        for comment in comments:
            assert comment in path.read_text()
    # a second run changes nothing
    after = _sources(program)
    assert main(["apply", "--unsafe", str(program)]) == 0
    assert _sources(program) == after


def _sources(program: Path) -> dict:
    return {p: p.read_bytes() for p in program.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def test_master_username_fixed_in_cluster_and_secret(tmp_path):
    program = tmp_path / "p"
    shutil.copytree(PROGRAMS / "master_username_admin", program)
    main(["apply", "--unsafe", str(program)])
    text = (program / "__main__.py").read_text()
    assert 'master_username="dbadmin"' in text and '"username": "dbadmin"' in text and '"admin"' not in text


def test_aurora_engine_mode_and_instance_class_fixed(tmp_path):
    program = tmp_path / "p"
    shutil.copytree(PROGRAMS / "aurora_engine_mode", program)
    main(["apply", str(program)])
    text = (program / "__main__.py").read_text()
    assert 'engine_mode="provisioned",  # Aurora Serverless v2' in text
    assert 'instance_class="db.serverless"' in text
