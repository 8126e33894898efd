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


LOCATED = [
    # (program, file relative to the program, line, kind, message fragment, fixer rule)
    ("enum_member", "__main__.py", 4, "AttributeError", "type object 'Runtime' has no attribute 'PYTHON3_12'",
     "provider-enum-member"),
    ("component_method", "lib/network.py", 13, "KeyError", "subnet_cidrs", None),
    ("import_lib", "lib/storage.py", 3, "NameError", "ENVIRONMENT", None),
    ("list_for_object", "__main__.py", 3, "AssertionError", "resource 'p31-vm' (aws:ec2/instance:Instance), "
     "input 'metadata_options'", None),
    ("secret_apply", "__main__.py", 3, "ValueError", "invalid literal for int()", None),
]


@pytest.mark.parametrize("program,file,line,kind,fragment,rule", LOCATED, ids=[c[0] for c in LOCATED])
def test_every_program_error_points_into_the_program(captures, program, file, line, kind, fragment, rule):
    [error] = captures[f"errors/{program}"].program_errors
    assert (error["file"], error["line"]) == (str(PROGRAMS / "errors" / program / file), line)
    assert (error["kind"], error["fixer_rule"], error["origin"]) == (kind, rule, "program")
    assert fragment in error["message"]
    assert f'File "{error["file"]}", line {line}' in error["traceback"] or program == "list_for_object"


def test_a_secret_never_printed_even_from_an_apply_that_raises(captures):
    [error] = captures["errors/secret_apply"].program_errors
    assert "S3cr3t-ERR" not in error["message"] and "S3cr3t-ERR" not in error["traceback"]
    assert "[secret]" in error["message"]


def test_a_mock_answer_the_sdk_rejects_is_the_previews_limitation():
    """The SDK's output type check failing on a mock's answer is reported as the preview's, not the user's."""
    import pulumi_aws as aws
    from pulumi.runtime import rpc

    from policypack.offline.runner import error_facts

    try:
        rpc.translate_output_properties({"clientAlias": {"port": 1.0}}, lambda k: k,
                                        aws.ecs.outputs.ServiceServiceConnectConfigurationService, True,
                                        rpc._Path("services", resource="svc"))
    except AssertionError as exc:
        facts = error_facts(exc, lambda path: False, {("aws:ecs/service:Service", "svc"): {"file": "m.py", "line": 7}})
    assert facts["origin"] == "preview"
    assert (facts["file"], facts["line"]) == ("m.py", 7)
    assert "'port'" not in facts["message"]  # the value the SDK appends is dropped
