"""Paths the CLI tests do not reach: the process pool (>= 16 files), another interpreter's environment
(``--python``), and the refusal to write a fix whose result does not parse."""
import json
import os
import sys

from fixer import runner
from fixer.cli import main
from fixer.provider_index import site_dirs_for

BAD = "import pulumi_aws as aws\naws.elasticache.ReplicationGroup('r', replication_group_description='d')\n"
FIXED = "import pulumi_aws as aws\naws.elasticache.ReplicationGroup('r', description='d')\n"
CLEAN = "import pulumi_aws as aws\n\nbucket = aws.s3.Bucket('b')  # fine\n"


def _corpus(tmp_path, n=24):
    paths = []
    for i in range(n):
        path = tmp_path / f"m{i:02d}.py"
        path.write_text(BAD if i % 3 == 0 else CLEAN)
        paths.append(path)
    return paths


def test_process_pool_matches_in_process(tmp_path, capsys, monkeypatch):
    calls = []
    real_pool = runner.ProcessPoolExecutor

    def spy(*args, **kwargs):
        calls.append(kwargs.get("max_workers"))
        return real_pool(*args, **kwargs)
    monkeypatch.setattr(runner, "ProcessPoolExecutor", spy)
    paths = _corpus(tmp_path)
    assert main(["check", "--format", "json", "--jobs", "1", str(tmp_path)]) == 1
    serial = json.loads(capsys.readouterr().out)
    assert calls == []
    assert main(["check", "--format", "json", "--jobs", "2", str(tmp_path)]) == 1
    pooled = json.loads(capsys.readouterr().out)
    assert calls == [2]  # >= 16 files and 2 workers: the pool ran
    assert pooled == serial and len(pooled["findings"]) == 8
    assert main(["apply", "--jobs", "2", str(tmp_path)]) == 0
    for i, path in enumerate(paths):
        assert path.read_text() == (FIXED if i % 3 == 0 else CLEAN)
    assert main(["check", "--jobs", "2", str(tmp_path)]) == 0


def test_pool_reports_errors_per_file(tmp_path, capsys):
    _corpus(tmp_path, 17)
    (tmp_path / "broken.py").write_text("def (:\n")
    assert main(["apply", "--jobs", "2", str(tmp_path)]) == 2
    assert f"{tmp_path / 'broken.py'}:1:" in capsys.readouterr().out
    assert (tmp_path / "broken.py").read_text() == "def (:\n"
    assert (tmp_path / "m00.py").read_text() == FIXED  # the other files are still fixed


def _wrapper(tmp_path) -> str:
    """Another path to an interpreter (its realpath differs from sys.executable's), so the fixer asks it for
    its site-packages in a subprocess, as it does for a project's virtualenv."""
    path = tmp_path / "python-wrapper"
    path.write_text(f"#!/bin/sh\nexec {sys.executable} \"$@\"\n")
    os.chmod(path, 0o755)
    return str(path)


def test_other_interpreter_is_queried_for_its_site_packages(tmp_path):
    other = site_dirs_for(_wrapper(tmp_path))
    assert set(other) == set(site_dirs_for(None))


def test_python_option_reads_that_environment(tmp_path, capsys):
    (tmp_path / "bad.py").write_text(BAD)
    assert main(["check", "--format", "json", "--python", _wrapper(tmp_path), str(tmp_path)]) == 1
    assert [f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]] == ["provider-keyword-renamed"]


def test_python_option_with_a_broken_interpreter_is_exit_2(tmp_path, capsys):
    (tmp_path / "bad.py").write_text(BAD)
    assert main(["check", "--python", "/bin/false", str(tmp_path)]) == 2
    assert main(["check", "--python", str(tmp_path / "missing-python"), str(tmp_path)]) == 2
    assert "cannot read the provider API" in capsys.readouterr().err


def test_fix_producing_invalid_code_is_not_written(tmp_path, monkeypatch, capsys):
    path = tmp_path / "bad.py"
    path.write_text(BAD)
    monkeypatch.setattr(runner, "_apply_fixes", lambda module, fixes: "def (:\n")
    assert main(["apply", "--format", "json", str(path)]) == 1  # the finding stays, unfixed
    assert path.read_text() == BAD
    doc = json.loads(capsys.readouterr().out)
    assert doc["fixed"] == [] and doc["errors"] == []
    [finding] = doc["findings"]
    assert finding["fix"] == "none" and "not fixed: the result would not compile: invalid syntax" \
        in finding["message"]
    assert [p.name for p in tmp_path.iterdir()] == ["bad.py"]
