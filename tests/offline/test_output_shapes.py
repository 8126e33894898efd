"""Mock outputs shaped by the installed provider's output types, and the corpus of normalised input shapes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from offline_helpers import PROGRAMS, by_name

from fixer.provider_index import output_class_types, resource_output_types
from policypack.offline import wire
from policypack.offline.output_shapes import package_dir, parse_annotation, shape_outputs

CORPUS = PROGRAMS / "normalised_inputs" / "corpus"


@pytest.mark.parametrize("text,parsed", [
    ("_builtins.str", ("str",)),
    ("str", ("str",)),  # pulumi-aws 6 and older: no _builtins prefix
    ("Optional[_builtins.int]", ("int",)),
    ("Optional[Sequence['outputs.ServiceServiceConnectConfigurationService']]",
     ("list", ("object", "ServiceServiceConnectConfigurationService"))),
    ("Mapping[str, _builtins.str]", ("map", ("str",))),
    ("Optional[Mapping[str, Sequence[_builtins.str]]]", ("map", ("list", ("str",)))),
    ("Optional['LoadBalancerType']", None),  # an enum: left as given
    ("Optional[Union[pulumi.Asset, pulumi.Archive]]", None),
])
def test_annotations_parse_into_shapes(text, parsed):
    assert parse_annotation(text) == parsed


def test_the_reader_finds_output_types_of_the_installed_provider():
    root = package_dir("aws")
    fields, module_dir = resource_output_types(root, "aws:ecs/service:Service")
    assert fields["serviceConnectConfiguration"] == "Optional['outputs.ServiceServiceConnectConfiguration']"
    nested = output_class_types(module_dir, "ServiceServiceConnectConfigurationService")
    assert "Sequence['outputs.ServiceServiceConnectConfigurationServiceClientAlias']" in nested["clientAlias"]
    assert resource_output_types(root, "aws:nosuch/thing:Thing") is None


def test_a_dict_becomes_a_json_string_where_the_output_is_a_string():
    policy = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*",
                                                      "Condition": {"NumericLessThan": {"s3:max-keys": 10.0}}}]}
    shaped = shape_outputs("aws:iam/role:Role", {"assumeRolePolicy": policy, "maxSessionDuration": "3600"})
    assert json.loads(shaped["assumeRolePolicy"]) == policy
    assert '"s3:max-keys":10}' in shaped["assumeRolePolicy"]  # 10, as the program wrote it, not the wire's 10.0
    assert shaped["maxSessionDuration"] == 3600  # a number given as a string, where the output is a number


def test_a_single_object_becomes_a_list_and_a_one_element_list_an_object():
    shaped = shape_outputs("aws:ecs/service:Service", {"serviceConnectConfiguration": {
        "enabled": "true", "services": {"portName": "http", "clientAlias": {"port": 80.0, "dnsName": "api"}}}})
    service = shaped["serviceConnectConfiguration"]["services"]
    assert service == [{"portName": "http", "clientAlias": [{"port": 80.0, "dnsName": "api"}]}]
    assert shaped["serviceConnectConfiguration"]["enabled"] is True
    shaped = shape_outputs("aws:ec2/instance:Instance", {"rootBlockDevice": [{"encrypted": True}]})
    assert shaped["rootBlockDevice"] == {"encrypted": True}


def test_scalars_become_strings_in_string_maps():
    shaped = shape_outputs("aws:lambda/function:Function",
                           {"environment": {"variables": {"PORT": 8080.0, "DEBUG": False, "RATE": 0.5}}})
    assert shaped["environment"]["variables"] == {"PORT": "8080", "DEBUG": "false", "RATE": "0.5"}


def test_secrets_and_unknowns_survive_the_shaping():
    secret_doc = {"Statement": [{"Resource": wire.secret("arn:aws:s3:::private")}]}
    shaped = shape_outputs("aws:iam/policy:Policy", {"policy": secret_doc})
    assert wire.is_secret(shaped["policy"]) and "private" in shaped["policy"]["value"]
    shaped = shape_outputs("aws:iam/policy:Policy", {"policy": {"Statement": [{"Resource": wire.UNKNOWN}]}})
    assert shaped["policy"] == wire.UNKNOWN
    shaped = shape_outputs("aws:iam/policy:Policy", {"policy": wire.secret({"Version": "2012-10-17"})})
    assert shaped["policy"] == wire.secret('{"Version":"2012-10-17"}')


def test_types_the_provider_does_not_know_are_left_as_echoed():
    outputs = {"anything": {"a": 1}}
    assert shape_outputs("aws:nosuch/thing:Thing", outputs) == outputs
    assert shape_outputs("custom:index:Widget", outputs) == outputs


# -- the corpus: valid programs in the shapes providers normalise ------------------------------------

def test_the_corpus_has_at_least_30_programs():
    assert len(list(CORPUS.glob("p*.py"))) >= 30


def test_every_corpus_program_constructs_with_no_program_error(captures):
    result = captures["normalised_inputs"]
    assert result.program_errors == []
    constructed = {Path(r["source"]["file"]).name for r in result.resources if r.get("source")}
    missing = sorted(p.name for p in CORPUS.glob("p*.py") if p.name not in constructed)
    assert missing == []


def test_the_program_sees_provider_shaped_outputs(captures):
    result = captures["normalised_inputs"]
    stack = next(r for r in result.resources if r["type"] == "pulumi:pulumi:Stack")
    assert stack["outputs"]["p01-version"] == "2012-10-17"  # json.loads over the role's policy string
    role = by_name(result, "aws:iam/role:Role", "p01-role")
    assert isinstance(role["outputs"]["assumeRolePolicy"], str)
    assert isinstance(role["inputs"]["assumeRolePolicy"], dict)  # the analyzer sees inputs as the program gave them
    service = by_name(result, "aws:ecs/service:Service", "p07-service")
    alias = service["outputs"]["serviceConnectConfiguration"]["services"][0]["clientAlias"]
    assert isinstance(alias, list) and len(alias) == 1


def test_only_finite_numeric_strings_become_numbers():
    shaped = shape_outputs("random:index/randomPassword:RandomPassword",
                           {"length": " 24 ", "minUpper": "nan", "minLower": "two"})
    assert shaped == {"length": 24.0, "minUpper": "nan", "minLower": "two"}
