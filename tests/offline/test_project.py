"""Reading a project like the CLI: stack choice, config namespacing/encoding, interpreter choice."""

from __future__ import annotations

import json
import os
import sys

import pytest

from policypack.offline.project import ProjectError, choose_python, choose_stack, load_config, load_project


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_runtime_object_with_virtualenv_and_main(tmp_path):
    write(tmp_path / "Pulumi.yaml", "name: p\nruntime:\n  name: python\n  options:\n    virtualenv: .venv\nmain: src/\n")
    write(tmp_path / "src" / "__main__.py", "")
    project = load_project(tmp_path)
    assert project.virtualenv == (tmp_path / ".venv").resolve()
    assert project.entry() == ((tmp_path / "src" / "__main__.py").resolve(), (tmp_path / "src").resolve())
    # the venv does not exist: the given interpreter, else ours
    assert choose_python(project, "/opt/python") == "/opt/python"
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    os.symlink(sys.executable, tmp_path / ".venv" / "bin" / "python")
    assert choose_python(project, "/opt/python") == str(tmp_path.resolve() / ".venv" / "bin" / "python")


def test_main_naming_a_file(tmp_path):
    write(tmp_path / "Pulumi.yaml", "name: p\nruntime: python\nmain: tap.py\n")
    assert load_project(tmp_path).entry() == ((tmp_path / "tap.py").resolve(), tmp_path.resolve())


@pytest.mark.parametrize("text", ["runtime: python\n", "name: p\nruntime: go\n"])
def test_not_a_python_project(tmp_path, text):
    write(tmp_path / "Pulumi.yaml", text)
    with pytest.raises(ProjectError):
        load_project(tmp_path)


def test_missing_pulumi_yaml(tmp_path):
    with pytest.raises(ProjectError):
        load_project(tmp_path)


def test_stack_choice(tmp_path):
    assert choose_stack(tmp_path, None) == "dev"
    write(tmp_path / "Pulumi.staging.yaml", "")
    assert choose_stack(tmp_path, None) == "staging"
    write(tmp_path / "Pulumi.prod.yaml", "")
    assert choose_stack(tmp_path, None) == "dev"  # ambiguous: the CLI default
    assert choose_stack(tmp_path, "prod") == "prod"


def test_config_merging(tmp_path):
    write(tmp_path / "Pulumi.yaml", "name: p\nruntime: python\nconfig:\n  size:\n    default: 3\n  env: test\n")
    write(tmp_path / "Pulumi.dev.yaml",
          "config:\n  aws:region: us-east-2\n  p:enabled: true\n  p:list: [1, 2]\n"
          "  p:password:\n    secure: v1:abc\n  p:env: dev\n")
    config = load_config(load_project(tmp_path), "dev", {"aws:region": "eu-west-1", "extra": "x"})
    assert config.values == {"p:size": "3", "p:env": "dev", "aws:region": "eu-west-1", "p:enabled": "true",
                             "p:list": "[1, 2]", "p:extra": "x"}
    assert config.secure_keys == ["p:password"]
    assert config.notes and "p:password" in config.notes[0]


def test_override_of_a_secure_key_is_a_plain_value(tmp_path):
    write(tmp_path / "Pulumi.yaml", "name: p\nruntime: python\n")
    write(tmp_path / "Pulumi.dev.yaml", "config:\n  p:password:\n    secure: v1:abc\n")
    config = load_config(load_project(tmp_path), "dev", {"password": "given"})
    assert config.values["p:password"] == "given" and config.secure_keys == []


def test_secure_values_inside_an_object_become_placeholders_and_the_key_is_secret(tmp_path):
    """Regression (red team round 2): `require_object` of an object holding a `secure:` entry crashed the program
    (the SDK got {'secure': ...} where a string belongs); the CLI decrypts nested secure values."""
    from policypack.offline.project import SECRET_PLACEHOLDER

    write(tmp_path / "Pulumi.yaml", "name: p\nruntime: python\n")
    write(tmp_path / "Pulumi.dev.yaml",
          "config:\n  p:db:\n    user: sqladmin\n    password:\n      secure: v1:abc\n"
          "    replicas:\n      - {token: {secure: v1:def}}\n  p:plain: {a: 1}\n")
    config = load_config(load_project(tmp_path), "dev")
    assert json.loads(config.values["p:db"]) == {"user": "sqladmin", "password": SECRET_PLACEHOLDER,
                                                 "replicas": [{"token": SECRET_PLACEHOLDER}]}
    assert config.nested_secure_keys == ["p:db"] and config.secure_keys == []
    assert json.loads(config.values["p:plain"]) == {"a": 1}
    assert any("p:db" in note for note in config.notes)
    assert load_config(load_project(tmp_path), "dev", {"db": '{"user": "x"}'}).nested_secure_keys == []
