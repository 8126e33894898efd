"""`policypack preview` and `policypack list` as users run them: exit codes, output shapes, errors."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
PROGRAMS = Path(__file__).parent / "programs"


def policypack(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "policypack.cli", *map(str, args)], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def python_program(directory: Path, name: str, source: str, config: str = "") -> Path:
    """A one-file Pulumi Python project in `directory`; `config` is the body of Pulumi.dev.yaml's `config:`."""
    (directory / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n")
    if config:
        (directory / "Pulumi.dev.yaml").write_text("config:\n" + config)
    (directory / "__main__.py").write_text(source)
    return directory


@pytest.fixture(scope="module")
def broken_json():
    proc = policypack("preview", EXAMPLES / "broken", "--format", "json")
    return proc.returncode, json.loads(proc.stdout)


def test_broken_example_exits_1_with_the_expected_findings(broken_json):
    code, doc = broken_json
    assert code == 1
    expected = json.loads((EXAMPLES / "broken" / "expected.json").read_text())
    found = {(v["policy"], v["resource_name"]) for v in doc["violations"]}
    assert {(e["policy"], e["resource_name"]) for e in expected} == found
    for v in doc["violations"]:
        assert set(v) >= {"policy", "enforcement", "severity", "resource_type", "resource_name", "urn", "message"}
        assert v["urn"].startswith("urn:pulumi:dev::") and v["urn"].endswith("::" + v["resource_name"])
    assert doc["program_errors"] == []
    assert doc["summary"]["mandatory"] == sum(v["enforcement"] == "mandatory" for v in doc["violations"])


def test_broken_example_findings_point_at_the_source(broken_json):
    _, doc = broken_json
    located = [v for v in doc["violations"] if v["source"]]
    assert located, "violations should carry the file and line where the resource is constructed"
    for v in located:
        path = Path(v["source"]["file"])
        assert path.is_file() and (EXAMPLES / "broken") in path.parents
        assert 1 <= v["source"]["line"] <= len(path.read_text().splitlines())


def test_compliant_example_exits_0_with_no_findings():
    proc = policypack("preview", EXAMPLES / "compliant", "--format", "json")
    doc = json.loads(proc.stdout)
    assert (proc.returncode, doc["violations"], doc["program_errors"]) == (0, [], []), proc.stderr
    # its exemptions are located like violations: where the program constructs the exempted resource
    assert doc["exempted"]
    for e in doc["exempted"]:
        path = Path(e["source"]["file"])
        assert (EXAMPLES / "compliant") in path.parents
        assert "aws." in path.read_text().splitlines()[e["source"]["line"] - 1]  # the constructor call


def test_text_output_groups_by_policy_and_ends_with_totals():
    proc = policypack("preview", EXAMPLES / "broken", "--quiet")
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0] == "Policies:"
    assert any(line.strip().startswith("- [mandatory] [high] rds-storage-encrypted") for line in lines)
    assert lines[-1].startswith("Summary: ") and "mandatory" in lines[-1]


def test_program_error_names_file_line_and_fixer_rule():
    proc = policypack("preview", PROGRAMS / "bad_keyword", "--format", "json")
    assert proc.returncode == 2
    doc = json.loads(proc.stdout)
    [error] = doc["program_errors"]
    assert error["kind"] == "TypeError"
    assert "replication_group_description" in error["message"]
    assert Path(error["file"]).name == "__main__.py" and error["line"] == 4
    assert error["fixer_rule"] == "provider-keyword-renamed"
    assert doc["violations"] == []


def test_sarif_has_one_rule_per_policy_and_located_results():
    proc = policypack("preview", EXAMPLES / "broken", "--format", "sarif")
    assert proc.returncode == 1
    doc = json.loads(proc.stdout)
    assert doc["version"] == "2.1.0"
    run = doc["runs"][0]
    listed = json.loads(policypack("list", "--format", "json").stdout)
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == [p["name"] for p in listed]
    assert run["results"] and all(r["ruleId"] in {p["name"] for p in listed} for r in run["results"])
    located = [r for r in run["results"] if "physicalLocation" in r["locations"][0]]
    assert located and all(not r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].startswith("/")
                           for r in located)


def test_policy_config_file_changes_levels(tmp_path):
    config = tmp_path / "policy.json"
    config.write_text(json.dumps({"all": "advisory"}))
    proc = policypack("preview", EXAMPLES / "broken", "--format", "json", "--policy-config", config)
    doc = json.loads(proc.stdout)
    assert proc.returncode == 0, "advisory findings must not fail the preview"
    assert doc["violations"] and all(v["enforcement"] == "advisory" for v in doc["violations"])


@pytest.mark.parametrize("args,needle", [
    (["preview", "no-such-dir"], "no Pulumi.yaml"),
    (["preview", str(EXAMPLES / "compliant"), "--config", "novalue"], "KEY=VALUE"),
    (["preview", str(EXAMPLES / "compliant"), "--policy-config", "missing.json"], "missing.json"),
])
def test_bad_usage_exits_2_with_a_clear_message(args, needle):
    proc = policypack(*args)
    assert proc.returncode == 2
    assert needle in proc.stderr


def test_invalid_policy_config_names_the_policy_and_property(tmp_path):
    config = tmp_path / "policy.json"
    config.write_text(json.dumps({"rds-backup-retention": {"minimumDays": -3}}))
    proc = policypack("preview", EXAMPLES / "compliant", "--policy-config", config)
    assert proc.returncode == 2
    assert "rds-backup-retention" in proc.stderr and "minimumDays" in proc.stderr


def test_list_shows_every_catalog_policy():
    rows = json.loads(policypack("list", "--format", "json").stdout)
    names = {r["name"] for r in rows}
    catalog = Path(ROOT.parent / "shared" / "catalog.md")
    if catalog.is_file():
        import re
        section = catalog.read_text().split("## Fixer rules")[0]
        expected = set(re.findall(r"^\| ([a-z0-9-]+) \|", section, re.MULTILINE)) - {"name"}
    else:
        expected = {"rds-storage-encrypted", "alb-https-real-certificate", "rds-engine-version-valid"}
    assert expected <= names, f"missing: {sorted(expected - names)}"
    for r in rows:
        assert r["severity"] in {"low", "medium", "high", "critical"}
        assert r["citation"] == "deploy" if r["group"] == "deploy" else r["citation"].startswith("45 CFR 164.")


def test_remediate_level_leaves_no_finding_of_a_remediating_policy(tmp_path, broken_json):
    _, before = broken_json
    rows = json.loads(policypack("list", "--format", "json").stdout)
    remediating = {r["name"] for r in rows if r["remediates"]}
    flagged = {v["policy"] for v in before["violations"]} & remediating
    assert len(flagged) >= 6, "the broken example should exercise most remediations"
    config = tmp_path / "remediate.json"
    config.write_text(json.dumps({name: "remediate" for name in remediating}))
    proc = policypack("preview", EXAMPLES / "broken", "--format", "json", "--policy-config", config)
    doc = json.loads(proc.stdout)
    assert {v["policy"] for v in doc["violations"]} & remediating == set()
    remediated = {(r["policy"], r["resource_name"]) for r in doc["remediated"]}
    expected = {(v["policy"], v["resource_name"]) for v in before["violations"] if v["policy"] in remediating}
    assert expected <= remediated


def test_bare_config_keys_belong_to_the_project_and_a_missing_one_is_a_program_error():
    proc = policypack("preview", PROGRAMS / "config_keys", "--format", "json", "--config", "env=prod",
                      "--config", "days=7", "--config", "aws:region=eu-west-1")
    doc = json.loads(proc.stdout)
    assert doc["program_errors"] == [], proc.stderr
    retention = [v for v in doc["violations"] if v["policy"] == "log-group-retention"]
    assert len(retention) == 1 and "7" in retention[0]["message"]
    proc = policypack("preview", PROGRAMS / "config_keys", "--format", "json", "--config", "env=prod")
    [error] = json.loads(proc.stdout)["program_errors"]
    assert proc.returncode == 2 and "days" in error["message"]


# -- --unknowns: what `pulumi preview` of a new stack reports, and what only a deploy shows ---------------

def test_default_mode_marks_each_finding_at_preview_or_after_deploy_only(broken_json):
    _, doc = broken_json
    seen = [v["seen"] for v in doc["violations"]]
    assert set(seen) == {"preview", "after-deploy"}
    proc = policypack("preview", EXAMPLES / "broken", "--format", "json", "--unknowns", "first-preview")
    first = json.loads(proc.stdout)
    assert proc.returncode == 1 and first["program_errors"] == []
    assert {v["seen"] for v in first["violations"]} == {"preview"}
    at_preview = {(v["policy"], v["urn"]) for v in doc["violations"] if v["seen"] == "preview"}
    assert {(v["policy"], v["urn"]) for v in first["violations"]} == at_preview
    # a literal setting is visible at preview; the broken example's literals are found in both modes
    literal = {(v["policy"], v["resource_name"]) for v in first["violations"]}
    assert ("rds-storage-encrypted", "patients-db") in literal


def test_first_preview_of_the_compliant_example_is_clean():
    proc = policypack("preview", EXAMPLES / "compliant", "--format", "json", "--unknowns", "first-preview")
    doc = json.loads(proc.stdout)
    assert (proc.returncode, doc["violations"], doc["program_errors"]) == (0, [], []), proc.stderr


def test_reports_say_where_a_finding_is_seen():
    from policypack.report import Report, Violation, render_json, render_sarif, render_text

    report = Report(pack="hipaa-guard@v1", program="/p", stack="dev", resources_checked=2, violations=[
        Violation("p-a", "mandatory", "high", "aws:s3/bucket:Bucket", "a", "urn:a", "m", seen="preview"),
        Violation("p-b", "mandatory", "high", "aws:s3/bucket:Bucket", "b", "urn:b", "m", seen="after-deploy")])
    text = render_text(report)
    assert "a  [at preview]" in text and "b  [after deploy only]" in text
    assert "1 after deploy only" in text.splitlines()[-1]
    assert [v["seen"] for v in json.loads(render_json(report))["violations"]] == ["preview", "after-deploy"]
    results = json.loads(render_sarif(report, [], "1", "/p"))["runs"][0]["results"]
    assert [r["properties"]["seen"] for r in results] == ["preview", "after-deploy"]


def test_program_errors_carry_origin_and_verbose_adds_the_traceback():
    proc = policypack("preview", PROGRAMS / "bad_keyword", "--format", "json", "--verbose")
    [error] = json.loads(proc.stdout)["program_errors"]
    assert error["origin"] == "program"
    assert "Traceback" in error["traceback"] and "__main__.py" in error["traceback"]
    proc = policypack("preview", PROGRAMS / "bad_keyword", "--quiet")
    assert proc.returncode == 2 and "Traceback" not in proc.stdout + proc.stderr


def test_resources_the_program_only_reads_are_not_judged(tmp_path):
    """`Bucket.get` / `Vpc.get` read a resource another stack owns: the CLI never sends it to a policy pack, so
    neither does the preview (a flow log for the read VPC is still checked, as the program creates it)."""
    python_program(tmp_path, "reads", config="  aws:region: eu-west-1\n", source=(
        "import pulumi_aws as aws\n"
        "legacy = aws.s3.Bucket.get('legacy', 'legacy-bucket')\n"
        "shared = aws.ec2.Vpc.get('shared-vpc', 'vpc-0a1b2c3d4e5f60718')\n"
        "aws.ec2.FlowLog('shared-flow', vpc_id=shared.id, traffic_type='ALL', log_destination_type='s3',\n"
        "                log_destination=legacy.arn.apply(lambda a: a + '/flow/'), max_aggregation_interval=60)\n"
        "aws.kms.Key('own-key', description='owned')\n"))
    proc = policypack("preview", tmp_path, "--format", "json")
    doc = json.loads(proc.stdout)
    assert doc["program_errors"] == [], proc.stderr
    judged = {v["resource_name"] for v in doc["violations"]} | {e["resource_name"] for e in doc["exempted"]}
    assert "own-key" in judged  # rotation off: the program's own resources are still checked
    assert judged & {"legacy", "shared-vpc"} == set()
    assert doc["resources_checked"] == 2


def test_a_secure_value_read_as_an_object_runs_and_stays_secret(tmp_path):
    """A `secure:` value is never decrypted offline; read as an object it is a stand-in whose fields are the
    placeholder, not a ConfigTypeError (which `pulumi preview`, holding the real JSON, would not raise)."""
    python_program(tmp_path, "sec", config=(
        "  aws:region: us-east-1\n  sec:dbCredentials:\n    secure: v1:Y2xpbmljLXRlc3Q=:b2ZmbGluZS10ZXN0LW9ubHk=\n"), source=(
        "import pulumi\nimport pulumi_aws as aws\n"
        "creds = pulumi.Config().require_secret_object('dbCredentials')\n"
        "aws.rds.Instance('db', engine='postgres', instance_class='db.t4g.micro', allocated_storage=20,\n"
        "                 username=creds.apply(lambda c: c['username']), password=creds.apply(lambda c: c.get('password')),\n"
        "                 storage_encrypted=True)\n"))
    proc = policypack("preview", tmp_path, "--format", "json")
    doc = json.loads(proc.stdout)
    assert doc["program_errors"] == [], proc.stderr
    assert {v["resource_name"] for v in doc["violations"]} == {"db"}
    assert "OfflinePreviewSecretPlaceholder" not in proc.stdout + proc.stderr


def test_a_secret_text_from_a_data_source_parses_and_answers_any_field(tmp_path):
    """A secret's text is unknowable offline: the mocks invent a JSON document, and the program's parse of it
    answers whatever field the real document would have, so the program runs on as under `pulumi preview`."""
    python_program(tmp_path, "secrets", config="  aws:region: ap-southeast-2\n", source=(
        "import json\nimport pulumi_aws as aws\n"
        "text = aws.secretsmanager.get_secret_version(secret_id='claims/clearinghouse').secret_string\n"
        "endpoint = json.loads(text)['endpoint']\n"
        "creds = aws.secretsmanager.get_secret_version_output(secret_id='claims/db').secret_string\n"
        "aws.sns.Topic('claims', display_name=endpoint[:90], kms_master_key_id='alias/claims')\n"
        "aws.rds.Instance('db', engine='postgres', instance_class='db.t4g.micro', allocated_storage=20,\n"
        "                 username=creds.apply(lambda t: json.loads(t)['username']),\n"
        "                 password=creds.apply(lambda t: json.loads(t).get('password')), storage_encrypted=True)\n"
        "assert json.loads('{\"a\": 1}') == {'a': 1} and type(json.loads('{}')) is dict  # other documents: as always\n"))
    proc = policypack("preview", tmp_path, "--format", "json")
    doc = json.loads(proc.stdout)
    assert doc["program_errors"] == [], proc.stderr
    assert "db" in {v["resource_name"] for v in doc["violations"]}


def test_a_program_that_registers_nothing_is_not_reported_as_a_clean_pass(tmp_path):
    python_program(tmp_path, "empty", "import pulumi\n")
    proc = policypack("preview", tmp_path, "--quiet")
    assert proc.returncode == 0
    assert "Warning: the program registered no resources" in proc.stdout
    proc = policypack("preview", EXAMPLES / "compliant", "--quiet")
    assert "registered no resources" not in proc.stdout
