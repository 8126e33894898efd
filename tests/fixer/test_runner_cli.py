"""Runner and CLI guarantees: exit codes, JSON shape, byte-identical no-op, atomic idempotent writes, bad input."""
import json
import os
import stat

from fixer.cli import main

BAD = "import pulumi_aws as aws\naws.elasticache.ReplicationGroup('r', replication_group_description='d')\n"
CLEAN = "import pulumi_aws as aws\n\nbucket = aws.s3.Bucket('b')  # fine\n"


def test_check_json_and_exit_codes(tmp_path, capsys):
    (tmp_path / "bad.py").write_text(BAD)
    assert main(["check", "--format", "json", str(tmp_path)]) == 1
    doc = json.loads(capsys.readouterr().out)
    assert [(f["rule"], f["line"], f["fix"]) for f in doc["findings"]] == [("provider-keyword-renamed", 2, "safe")]
    assert set(doc["findings"][0]) == {"rule", "file", "line", "column", "message", "fix"}
    (tmp_path / "bad.py").write_text(CLEAN)
    assert main(["check", str(tmp_path)]) == 0


def test_clean_file_stays_byte_identical(tmp_path):
    path = tmp_path / "clean.py"
    path.write_bytes(CLEAN.encode())
    before = os.stat(path)
    assert main(["apply", str(path)]) == 0
    assert path.read_bytes() == CLEAN.encode() and os.stat(path).st_mtime_ns == before.st_mtime_ns


def test_apply_is_atomic_keeps_mode_and_is_idempotent(tmp_path, capsys):
    path = tmp_path / "bad.py"
    path.write_text(BAD)
    os.chmod(path, 0o640)
    inode = os.stat(path).st_ino
    assert main(["apply", "--diff", str(path)]) == 0
    assert "-aws.elasticache.ReplicationGroup('r', replication_group_description='d')" in capsys.readouterr().out
    assert "description='d'" in path.read_text() and "replication_group" not in path.read_text()
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o640
    assert os.stat(path).st_ino != inode  # replaced, not rewritten in place
    assert [p.name for p in tmp_path.iterdir()] == ["bad.py"]  # no temp file left
    once = path.read_bytes()
    assert main(["apply", str(path)]) == 0
    assert path.read_bytes() == once


def test_syntax_error_and_non_utf8_are_errors_and_not_written(tmp_path, capsys):
    broken = tmp_path / "broken.py"
    broken.write_text(BAD + "def (:\n")
    latin = tmp_path / "latin.py"
    latin.write_bytes(b"x = 1\ny = '\xe9'\n")
    assert main(["apply", str(tmp_path)]) == 2
    out = capsys.readouterr().out
    assert f"{broken}:3:" in out and f"{latin}:2:" in out
    assert broken.read_text() == BAD + "def (:\n" and latin.read_bytes() == b"x = 1\ny = '\xe9'\n"


def test_bad_usage_is_exit_2(tmp_path, capsys):
    assert main(["check", "--select", "no-such-rule", str(tmp_path)]) == 2
    assert main(["check", str(tmp_path / "missing")]) == 2


def test_suppressions_and_unused_suppression(tmp_path, capsys):
    path = tmp_path / "s.py"
    path.write_text(BAD.replace("='d')", "='d')  # fixer: ignore[provider-keyword-renamed]")
                    + "x = 1  # fixer: ignore[random-password-result]\n")
    assert main(["check", "--format", "json", str(path)]) == 1
    rules = [f["rule"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert rules == ["unused-suppression"]
    path.write_text("# fixer: ignore-file[provider-keyword-renamed]\n" + BAD)
    assert main(["check", str(path)]) == 0


def test_gitignore_and_tool_config(tmp_path, capsys):
    (tmp_path / ".gitignore").write_text("generated/\n")
    (tmp_path / "generated").mkdir()
    (tmp_path / "generated" / "bad.py").write_text(BAD)
    assert main(["check", str(tmp_path)]) == 2  # every file ignored: nothing was checked
    (tmp_path / "clean.py").write_text(CLEAN)
    assert main(["check", str(tmp_path)]) == 0
    (tmp_path / "bad.py").write_text(BAD)
    (tmp_path / "pyproject.toml").write_text('[tool.fixer]\nignore = ["provider-keyword-renamed"]\n')
    assert main(["check", str(tmp_path)]) == 0


def test_region_from_single_stack_file(tmp_path, capsys):
    (tmp_path / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
    (tmp_path / "Pulumi.dev.yaml").write_text("config:\n  aws:region: ap-southeast-1\n")
    (tmp_path / "__main__.py").write_text("import pulumi_aws as aws\naws.ec2.Subnet('s', availability_zone='us-east-1a')\n")
    assert main(["apply", "--unsafe", str(tmp_path)]) == 0
    assert "ap-southeast-1a" in (tmp_path / "__main__.py").read_text()


def test_list_shows_every_rule_with_safety(capsys):
    from fixer.rules import all_rules
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for rule in all_rules():
        assert any(line.split()[:2] == [rule.NAME, rule.SAFETY] for line in out.splitlines())


def test_fixed_lists_each_finding_once(tmp_path, capsys):
    """inline-imports plans two edits per finding (remove here, insert at the top): reported as fixed once."""
    (tmp_path / "m.py").write_text("def f():\n    import json\n    return json.dumps({})\n")
    main(["apply", "--format", "json", str(tmp_path)])
    doc = json.loads(capsys.readouterr().out)
    assert [(f["rule"], f["line"]) for f in doc["fixed"]] == [("inline-imports", 2)]
