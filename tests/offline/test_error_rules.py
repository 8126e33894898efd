"""The error -> fixer rule table, on real error texts (seeds 000-003 and the catalog)."""

from __future__ import annotations

import pytest

from policypack.offline.error_rules import KEYWORD_RENAMES, ErrorFacts, fixer_rule_for

AWS = "/venv/lib/python3.11/site-packages/pulumi_aws"
PROGRAM = "/prog/__main__.py"


def facts(kind, message, *files, owner=None):
    return ErrorFacts(kind=kind, message=message, trace_files=[PROGRAM, *files], owner_module=owner)


@pytest.mark.parametrize("error,rule", [
    (facts("TypeError", "ReplicationGroup._internal_init() got an unexpected keyword argument "
           "'replication_group_description'", f"{AWS}/elasticache/replication_group.py"), "provider-keyword-renamed"),
    (facts("TypeError", "ReplicationGroup._internal_init() got an unexpected keyword argument 'auth_token_enabled'",
           f"{AWS}/elasticache/replication_group.py"), "provider-keyword-unknown"),
    (facts("TypeError", "Instance._internal_init() got an unexpected keyword argument 'master_username'",
           f"{AWS}/rds/instance.py"), "provider-keyword-renamed"),
    # the same keyword on another module's Instance is not the rds rename
    (facts("TypeError", "Instance._internal_init() got an unexpected keyword argument 'master_username'",
           f"{AWS}/ec2/instance.py"), "provider-keyword-unknown"),
    (facts("TypeError", "Vpc._internal_init() got an unexpected keyword argument 'parent'", f"{AWS}/ec2/vpc.py"),
     "resource-option-keyword"),
    (facts("TypeError", "make_db() got an unexpected keyword argument 'size'"), None),
    (facts("TypeError", "Object of type Output is not JSON serializable", "/usr/lib/python3.11/json/encoder.py"),
     "output-json-dumps"),
    (facts("AttributeError", "module 'pulumi_aws.secretsmanager' has no attribute 'RandomPassword'"),
     "random-password-module"),
    (facts("AttributeError", "'RandomPassword' object has no attribute 'random_password'",
           owner="pulumi_random.random_password"), "random-password-result"),
    (facts("AttributeError", "'Bucket' object has no attribute 'bucket_arn'", owner="pulumi_aws.s3.bucket"),
     "provider-attribute-unknown"),
    (facts("AttributeError", "'Config' object has no attribute 'bucket_arn'", owner="lib.config"), None),
    (facts("AttributeError", "module 'pulumi_aws' has no attribute 'logs'"), "provider-module-unknown"),
    (facts("AttributeError", "module 'pulumi_aws.codedeploy' has no attribute 'App'. Did you mean: 'Application'?"),
     "provider-module-unknown"),
    (facts("AttributeError", "type object 'Runtime' has no attribute 'PYTHON3_11'", owner="pulumi_aws.lambda_._enums"),
     "provider-enum-member"),
    (facts("ImportError", "cannot import name 'logs' from 'pulumi_aws' (/venv/pulumi_aws/__init__.py)"),
     "provider-module-unknown"),
    (facts("ImportError", "cannot import name 'RandomPassword' from 'pulumi_aws.secretsmanager'"),
     "random-password-module"),
    (facts("ModuleNotFoundError", "No module named 'pulumi_random'"), "requirement-missing"),
    (facts("ModuleNotFoundError", "No module named 'pulumi_aws.logs'"), "provider-module-unknown"),
    (facts("NameError", "name 'aws' is not defined"), None),
])
def test_rule_for_error(tmp_path, error, rule):
    assert fixer_rule_for(error, tmp_path) == rule


def test_local_package_without_init_is_package_init_missing(tmp_path):
    (tmp_path / "lib").mkdir()
    error = facts("ModuleNotFoundError", "No module named 'lib'")
    assert fixer_rule_for(error, tmp_path) == "package-init-missing"
    (tmp_path / "lib" / "__init__.py").write_text("")
    assert fixer_rule_for(error, tmp_path) is None  # a real package: something else is wrong


def test_rename_table_names_real_provider_classes():
    import importlib

    for (module, cls, old), new in KEYWORD_RENAMES.items():
        mod = importlib.import_module(f"pulumi_aws.{module}")
        init = getattr(mod, cls)._internal_init
        params = init.__code__.co_varnames[: init.__code__.co_argcount + init.__code__.co_kwonlyargcount]
        assert new in params, f"{module}.{cls} has no keyword {new}"
        assert old not in params, f"{module}.{cls} still accepts {old}"
