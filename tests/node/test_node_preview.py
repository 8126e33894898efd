"""`policypack preview` of nodejs projects (TypeScript and JavaScript): findings, capture shape, config,
program errors. The programs under programs/ resolve @pulumi/* from tests/node/node_modules (installed by
.ci/setup with `npm ci`); each program runs once per session, two at a time (a Node process that imports
@pulumi/aws and type-checks TypeScript costs a few seconds)."""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from policypack.offline import capture_program
from policypack.offline import wire

HERE = Path(__file__).resolve().parent
PROGRAMS = HERE / "programs"
ROOT = HERE.parents[1]


def policypack(*args):
    proc = subprocess.run([sys.executable, "-m", "policypack.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=ROOT, timeout=300)
    return proc.returncode, proc.stdout, proc.stderr


SEED_POLICIES = {"availability-zone-in-region", "log-group-kms-key-allows-logs", "rds-engine-version-valid"}
CLI_RUNS = {
    "ward_js": ("preview", PROGRAMS / "ward_js", "--format", "json"),
    "ward_py": ("preview", PROGRAMS / "ward_py", "--format", "json"),
    # flow logs, the default security group and backups live in the landing zone (managedElsewhere)
    "clinic_ts": ("preview", PROGRAMS / "clinic_ts", "--format", "json", "--policy-config",
                  PROGRAMS / "clinic_ts" / "policy-config.json"),
    "type_error": ("preview", PROGRAMS / "errors" / "type_error", "--format", "json"),
    "ward_js_first": ("preview", PROGRAMS / "ward_js", "--unknowns", "first-preview", "--format", "json"),
    "ward_py_first": ("preview", PROGRAMS / "ward_py", "--unknowns", "first-preview", "--format", "json"),
}
CAPTURES = {
    "ward_js": (PROGRAMS / "ward_js", {}),
    "ward_py": (PROGRAMS / "ward_py", {}),
    "ward_js_passes": (PROGRAMS / "ward_js", {"unknowns": ("full", "first-preview")}),
    "type_error_passes": (PROGRAMS / "errors" / "type_error", {"unknowns": ("full", "first-preview")}),
    "clinic_ts_eu": (PROGRAMS / "clinic_ts", {"config_overrides": {"aws:region": "eu-west-1", "retentionDays": "90"}}),
    "missing_module": (PROGRAMS / "errors" / "missing_module", {}),
    "construction": (PROGRAMS / "errors" / "construction", {}),
    "secret_in_message": (PROGRAMS / "errors" / "secret_in_message", {}),
    "apply_plain_output": (PROGRAMS / "errors" / "apply_plain_output", {"timeout": 60}),
    "missing_main": (PROGRAMS / "errors" / "missing_main", {}),
    "require_js": (PROGRAMS / "errors" / "require_js", {}),
    "esm_type_error": (PROGRAMS / "errors" / "esm_type_error", {}),
}


@functools.cache
def _cli(name):
    return policypack(*CLI_RUNS[name])


@functools.cache
def _capture(name):
    path, kwargs = CAPTURES[name]
    return capture_program(path, **kwargs)


def _each(run, *names):
    """Run each named program once per test process, the ones a test compares side by side in parallel.
    (Computed on demand rather than in a session fixture: under pytest-xdist every worker would run them all.)"""
    # Fail (never skip) without the packages: .ci/setup installs them, and a failed install must be seen.
    assert (HERE / "node_modules" / "@pulumi" / "aws").is_dir(), "tests/node/node_modules missing: run bash .ci/setup"
    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(run, names))


def findings(doc):
    """What a finding says, down to whether `pulumi preview` of a new stack would already report it."""
    return {(v["policy"], v["resource_type"], v["resource_name"], v["urn"], v["enforcement"], v["message"],
             v["seen"]) for v in doc["violations"]}


def test_javascript_program_gets_the_seed_defects_and_the_same_findings_as_its_python_twin():
    (code, out, _), (py_code, py_out, _) = _each(_cli, "ward_js", "ward_py")
    doc = json.loads(out)
    assert code == 1 and doc["program_errors"] == []
    # the seed's deploy blockers (the conformance rules also judge these resources: not what this test is about)
    assert {(v["policy"], v["resource_name"]) for v in doc["violations"] if v["policy"] in SEED_POLICIES} == {
        ("availability-zone-in-region", "ward-private-0"),
        ("availability-zone-in-region", "ward-private-1"),
        ("log-group-kms-key-allows-logs", "ward-audit"),
        ("rds-engine-version-valid", "ward-db"),
    }
    assert py_code == code
    assert findings(doc) == findings(json.loads(py_out))
    for v in doc["violations"]:
        assert v["source"]["file"] == str(PROGRAMS / "ward_js" / "index.js")
        line = Path(v["source"]["file"]).read_text().splitlines()[v["source"]["line"] - 1]
        assert "new aws." in line


def _without_provider_version(value):
    """The twins use different provider SDK versions (npm 7.48.0, PyPI 7.51.1): the default provider's name
    and `version` input are the only places that shows."""
    text = re.sub(r"default_\d+_\d+_\d+", "default_V", json.dumps(value, sort_keys=True))
    return json.loads(re.sub(r'"version": "\d+\.\d+\.\d+"', '"version": "V"', text))


def test_javascript_capture_has_the_python_capture_shape():
    js, py = _each(_capture, "ward_js", "ward_py")
    assert js.ok and py.ok
    keys = ("type", "name", "urn", "custom", "id", "inputs", "outputs", "parent", "dependencies",
            "property_dependencies", "provider", "options")
    js_records = [_without_provider_version({k: r[k] for k in keys}) for r in js.resources]
    py_records = [_without_provider_version({k: r[k] for k in keys}) for r in py.resources]
    assert js_records == py_records  # construction order included
    db = next(r for r in js.resources if r["name"] == "ward-db")
    assert db["urn"] == "urn:pulumi:dev::ward::ward:storage:RecordsStore$aws:rds/instance:Instance::ward-db"
    assert wire.is_secret(db["inputs"]["password"])
    assert db["property_dependencies"]["kmsKeyId"] == [
        "urn:pulumi:dev::ward::ward:storage:RecordsStore$aws:kms/key:Key::ward-key"]
    assert js.notes == py.notes and "ward:dbPassword" in js.notes[0]
    assert "ward:dbPassword" not in js.config


def test_compliant_typescript_program_exits_0_through_the_json_contract():
    ((code, out, _),) = _each(_cli, "clinic_ts")
    doc = json.loads(out)
    assert (code, doc["violations"], doc["program_errors"]) == (0, [], [])
    assert doc["resources_checked"] >= 7
    assert wire.SECRET_SIG not in out and "OfflinePreviewSecretPlaceholder0" not in out


def test_typescript_program_reads_stack_config_overrides_and_secure_values():
    (result,) = _each(_capture, "clinic_ts_eu")
    assert result.ok, result.program_errors
    by_name = {r["name"]: r for r in result.resources}
    provider = next(r for r in result.resources if r["type"] == "pulumi:providers:aws")
    assert provider["inputs"]["region"] == "eu-west-1"
    assert [by_name[f"clinic-private-{i}"]["inputs"]["availabilityZone"] for i in (0, 1)] == ["eu-west-1a", "eu-west-1b"]
    assert by_name["clinic-audit"]["inputs"]["retentionInDays"] == 90
    password = by_name["clinic-db"]["inputs"]["password"]
    assert wire.is_secret(password) and password["value"] == "OfflinePreviewSecretPlaceholder0"
    assert "clinic:dbPassword" not in result.config and result.config["clinic:retentionDays"] == "90"
    # `main: src/index.ts` is honoured: sources point into src/
    assert by_name["clinic-vpc"]["source"] == {"file": str(PROGRAMS / "clinic_ts" / "src" / "index.ts"), "line": 13}
    policy = json.loads(wire.unwrap(by_name["clinic-key"]["inputs"]["policy"]))
    assert policy["Statement"][1]["Principal"] == {"Service": "logs.eu-west-1.amazonaws.com"}


def test_typescript_type_error_exits_2_with_the_ts_file_and_line():
    ((code, out, _),) = _each(_cli, "type_error")
    doc = json.loads(out)
    assert code == 2 and doc["violations"] == []
    (error,) = doc["program_errors"]
    assert error["kind"] == "TypeScriptError" and error["message"].startswith("TS2322: ")
    assert (error["file"], error["line"]) == (str(PROGRAMS / "errors" / "type_error" / "index.ts"), 6)


@pytest.mark.parametrize("program, kind, file, line, needle", [
    ("missing_module", "ModuleNotFoundError", "index.ts", 2, "./settings"),
    ("construction", "RangeError", "network.ts", 7, "asked for 3 subnets, 2 planned"),
    ("require_js", "ModuleNotFoundError", "app.js", 3, "Cannot find module './config/retention'"),  # `main: app.js`
    # a throw in an apply over an output no resource produced: reported, where the run script alone never exits
    ("apply_plain_output", "Error", "index.js", 10, "bucket prefix Audit_Logs must be lower-case"),
    # an ES module under ts-node/esm: the compiler's error crosses from the loader's thread as a plain object
    ("esm_type_error", "TypeScriptError", "index.ts", 6, "TS2322: Type 'string' is not assignable to type 'number'"),
])
def test_typescript_program_errors_point_into_the_ts_source(program, kind, file, line, needle):
    ((error,),) = [r.program_errors for r in _each(_capture, program)]
    assert (error["kind"], error["file"], error["line"]) == (kind, str(PROGRAMS / "errors" / program / file), line)
    assert needle in error["message"]


def test_a_secret_in_an_error_message_is_redacted_in_the_error_and_the_logs():
    (result,) = _each(_capture, "secret_in_message")
    (error,) = result.program_errors
    assert error["kind"] == "Error" and "token [secret] for arn:aws:secretsmanager:" in error["message"]
    assert (error["file"], error["line"]) == (str(PROGRAMS / "errors" / "secret_in_message" / "index.js"), 10)
    assert "OfflinePreviewSecretPlaceholder0" not in json.dumps(result.logs + result.program_errors) + result.stderr


def test_a_main_that_does_not_exist_is_a_program_error_before_node_runs():
    (result,) = _each(_capture, "missing_main")
    (error,) = result.program_errors
    assert error["kind"] == "FileNotFoundError" and "dist/index.js" in error["message"] and result.resources == []


def test_program_without_node_modules_exits_2_saying_to_run_npm_install(tmp_path):
    program = tmp_path / "ward"
    shutil.copytree(PROGRAMS / "ward_js", program)
    assert not any((d / "node_modules").exists() for d in (program, *program.parents))
    code, out, _ = policypack("preview", program, "--format", "json")
    (error,) = json.loads(out)["program_errors"]
    assert code == 2 and error["kind"] == "MissingDependencies" and "npm install" in error["message"]


def test_first_preview_mode_of_a_node_program_reports_what_its_python_twin_does():
    (code, out, _), (py_code, py_out, _) = _each(_cli, "ward_js_first", "ward_py_first")
    doc, py_doc = json.loads(out), json.loads(py_out)
    assert code == py_code == 1 and doc["program_errors"] == []
    assert findings(doc) == findings(py_doc)
    assert {v["seen"] for v in doc["violations"]} == {"preview"}
    # fewer than the full run: a finding that needs a computed value cannot be made before the deploy
    (full_code, full_out, _), = _each(_cli, "ward_js")
    assert {v["policy"] for v in doc["violations"]} <= {v["policy"] for v in json.loads(full_out)["violations"]}


def test_the_first_preview_pass_of_a_node_program_leaves_computed_outputs_unknown():
    result, = _each(_capture, "ward_js_passes")
    assert result.program_errors == [] and set(result.passes) == {"first-preview"}
    first = {r["name"]: r for r in result.passes["first-preview"]["resources"]}
    full = {r["name"]: r for r in result.resources}
    assert set(first) == set(full)
    subnet, full_subnet = first["ward-private-0"]["inputs"], full["ward-private-0"]["inputs"]
    assert subnet["vpcId"] == wire.UNKNOWN != full_subnet["vpcId"]  # the VPC's id comes from the provider
    assert subnet["availabilityZone"] == full_subnet["availabilityZone"] == "us-east-1a"  # a literal is known


def test_a_node_program_that_fails_to_compile_gets_no_second_pass():
    result, = _each(_capture, "type_error_passes")
    assert result.program_errors and result.program_errors[0]["kind"] == "TypeScriptError"
    assert result.passes == {}
