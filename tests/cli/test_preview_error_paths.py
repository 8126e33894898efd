"""Every error path of `policypack preview` ends in one line naming the file or argument and the problem, exit 2,
no traceback without --verbose (issue 14). One regression test per defect."""
from __future__ import annotations

import json
import os

import pytest

from policypack import cli

PROJECT = "name: demo\nruntime: python\n"


def project(tmp_path, pulumi_yaml=PROJECT, stack_yaml=None, main="import pulumi\n"):
    root = tmp_path / "prog"
    root.mkdir()
    (root / "Pulumi.yaml").write_bytes(pulumi_yaml if isinstance(pulumi_yaml, bytes) else pulumi_yaml.encode())
    if stack_yaml is not None:
        (root / "Pulumi.dev.yaml").write_bytes(stack_yaml if isinstance(stack_yaml, bytes) else stack_yaml.encode())
    (root / "__main__.py").write_text(main)
    return root


def preview(capsys, *args):
    code = cli.main(["preview", *map(str, args), "--quiet"])
    err = capsys.readouterr().err
    return code, err


def assert_one_line(code, err, *needles):
    assert code == 2
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    for needle in needles:
        assert needle in lines[0]


def test_project_file_not_utf8(tmp_path, capsys):
    root = project(tmp_path, pulumi_yaml=b"name: caf\xe9\nruntime: python\n")
    assert_one_line(*preview(capsys, root), str(root / "Pulumi.yaml"), "not UTF-8")


def test_stack_file_not_utf8(tmp_path, capsys):
    root = project(tmp_path, stack_yaml=b"config:\n  demo:owner: caf\xe9\n")
    assert_one_line(*preview(capsys, root), str(root / "Pulumi.dev.yaml"), "not UTF-8")


def test_project_config_that_is_a_list(tmp_path, capsys):
    root = project(tmp_path, pulumi_yaml=PROJECT + "config: [a, b]\n")
    assert_one_line(*preview(capsys, root), str(root / "Pulumi.yaml"), "`config` must be a mapping", "a list")


def test_stack_config_that_is_a_number(tmp_path, capsys):
    root = project(tmp_path, stack_yaml="config: 5\n")
    assert_one_line(*preview(capsys, root), str(root / "Pulumi.dev.yaml"), "`config` must be a mapping", "a number")


def test_unreadable_stack_file(tmp_path, capsys):
    root = project(tmp_path)
    (root / "Pulumi.dev.yaml").mkdir()  # unreadable as a file, whoever runs the test (root reads any mode)
    assert_one_line(*preview(capsys, root), str(root / "Pulumi.dev.yaml"), "cannot read")


def test_policy_config_naming_a_directory(tmp_path, capsys):
    root = project(tmp_path)
    assert_one_line(*preview(capsys, root, "--policy-config", tmp_path), f"--policy-config {tmp_path}", "cannot read")


def test_program_dir_that_is_a_symlink_loop(tmp_path, capsys):
    os.symlink(tmp_path / "b", tmp_path / "a")
    os.symlink(tmp_path / "a", tmp_path / "b")
    assert_one_line(*preview(capsys, tmp_path / "a"), str(tmp_path / "a"))


def test_project_without_runtime_is_refused_as_the_cli_refuses_it(tmp_path, capsys):
    root = project(tmp_path, pulumi_yaml="name: demo\n")
    assert_one_line(*preview(capsys, root), str(root / "Pulumi.yaml"), "project is missing a 'runtime' attribute")


def test_yaml_syntax_error_is_one_line(tmp_path, capsys):
    root = project(tmp_path, pulumi_yaml="name: demo\nruntime: [python\n")
    assert_one_line(*preview(capsys, root), str(root / "Pulumi.yaml"), "not valid YAML", "line")


def test_an_internal_error_is_one_line_and_verbose_shows_the_traceback(tmp_path, capsys, monkeypatch):
    def broken(explicit=None):
        raise ValueError("pack directory exploded\nsecond line")

    monkeypatch.setattr(cli, "pack_dir", broken)
    root = project(tmp_path)
    assert_one_line(*preview(capsys, root), "internal error: ValueError: pack directory exploded")
    code = cli.main(["preview", str(root), "--quiet", "--verbose"])
    assert code == 2 and "Traceback" in capsys.readouterr().err


@pytest.mark.parametrize("content", [b"import pulumi\x00\n", bytes(range(256)) * 4], ids=["nul-byte", "binary"])
def test_binary_main_is_reported_with_its_file(tmp_path, content):
    from policypack.offline import capture_program

    root = project(tmp_path)
    (root / "__main__.py").write_bytes(content)
    [error] = capture_program(root).program_errors
    assert error["file"] == str(root / "__main__.py")
    assert error["kind"] == "SyntaxError"
    from policypack.report import build_report, render_text

    text = render_text(build_report(None, [], program=str(root), stack="dev", program_errors=[error]))
    assert "(unknown location)" not in text and "__main__.py" in text
