"""Programs that cannot be constructed: kind, message, file and line, and the fixer rule that repairs them."""

from __future__ import annotations

import pytest
from offline_helpers import PROGRAMS

CASES = [
    # (program, kind, message fragment, line, fixer rule)
    ("bad_keyword", "TypeError", "unexpected keyword argument 'replication_group_description'", 4,
     "provider-keyword-renamed"),
    ("attr_module", "AttributeError", "module 'pulumi_aws.secretsmanager' has no attribute 'RandomPassword'", 3,
     "random-password-module"),
    ("attr_result", "AttributeError", "'RandomPassword' object has no attribute 'random_password'", 6,
     "random-password-result"),
    ("import_module", "ImportError", "cannot import name 'logs' from 'pulumi_aws'", 1, "provider-module-unknown"),
    ("syntax", "SyntaxError", "was never closed", 3, None),
    ("apply_raise", "ValueError", "cannot derive a port from 10.0.0.0/16", 5, None),
    ("json_dumps", "TypeError", "Object of type Output is not JSON serializable", 6, "output-json-dumps"),
    ("missing_requirement", "ModuleNotFoundError", "No module named 'pulumi_tls_not_installed'", 2,
     "requirement-missing"),
    ("option_keyword", "TypeError", "unexpected keyword argument 'depends_on'", 4, "resource-option-keyword"),
]


@pytest.mark.parametrize("program,kind,fragment,line,rule", CASES, ids=[c[0] for c in CASES])
def test_program_error_is_reported_with_location_and_rule(captures, program, kind, fragment, line, rule):
    result = captures[f"errors/{program}"]
    assert len(result.program_errors) == 1
    error = result.program_errors[0]
    assert error["kind"] == kind
    assert fragment in error["message"]
    assert error["file"] == str(PROGRAMS / "errors" / program / "__main__.py")
    assert error["line"] == line
    assert error["fixer_rule"] == rule


def test_apply_error_message_is_the_programs_not_the_sdk_wrapper(captures):
    message = captures["errors/apply_raise"].program_errors[0]["message"]
    assert "While processing" not in message and "Output object at" not in message


def test_resources_registered_before_the_error_are_kept(captures):
    result = captures["errors/bad_keyword"]
    assert [r["type"] for r in result.resources] == [
        "pulumi:pulumi:Stack", "pulumi:providers:aws", "aws:elasticache/subnetGroup:SubnetGroup"]


def test_secret_values_never_appear_in_error_messages(captures):
    result = captures["errors/secret_in_message"]
    error = result.program_errors[0]
    password = next(r for r in result.resources if r["name"] == "pw")["outputs"]["result"]["value"]
    assert error["message"] == "password [secret] rejected"
    assert password not in error["message"]


def test_timeout_is_a_program_error(captures):
    assert [e["kind"] for e in captures["slow"].program_errors] == ["Timeout"]


def test_interpreter_without_the_pulumi_sdk(captures):
    if "no_sdk" not in captures:  # no second interpreter on this machine: nothing to compare
        return
    error = captures["no_sdk"].program_errors[0]
    assert (error["kind"], error["message"], error["fixer_rule"]) == (
        "ModuleNotFoundError", "No module named 'pulumi'", "requirement-missing")
    assert captures["no_sdk"].python == "/usr/bin/python3"
