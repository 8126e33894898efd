"""The matchers the conformance rules share (policypack/relations, stack/_iam.py, the Backup schedule reader),
checked on the cases their policies' examples do not reach."""
import pytest

from policypack import resource_types as T
from policypack.policies.backup import longest_gap_hours
from policypack.relations import memo, referrers
from policypack.relations.backup import selects
from policypack.stack._iam import action_grant, admin_statements, full_access_actions, granted_on_every_resource
from policypack.views import StackResource, StackView

U = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def stack_of(*specs):
    """(type, name, props, {prop: [names feeding it]}) tuples -> (StackView, {name: resource})."""
    urn = lambda t, n: f"urn:pulumi:dev::p::{t}::{n}"
    urns = {name: urn(t, name) for t, name, *_ in specs}
    resources = []
    for t, name, props, *deps in specs:
        feeding = {k: [urns[n] for n in v] for k, v in (deps[0] if deps else {}).items()}
        resources.append(StackResource(t, name, urns[name], props, provider_props={"region": "us-east-1"},
                                       property_dependency_urns=feeding,
                                       dependency_urns=[u for v in feeding.values() for u in v]))
    view = StackView(resources)
    return view, {r.name: r for r in resources}


DB = (T.RDS_INSTANCE[0], "db", {"identifier": "phi-db", "tags": {"backup": "daily", "env": "prod"}})


@pytest.mark.parametrize("selection,expected", [
    ({"resources": ["arn:aws:rds:*:*:db:*"]}, True),
    ({"resources": ["arn:aws:rds:*:*:cluster:*"]}, False),
    ({"resources": ["arn:aws:rds:*:*:db:*"], "notResources": ["arn:aws:rds:*:*:db:phi-*"]}, False),
    ({"selectionTags": [{"type": "STRINGEQUALS", "key": "backup", "value": "daily"}]}, True),
    ({"selectionTags": [{"type": "STRINGEQUALS", "key": "backup", "value": "weekly"}]}, False),
    # Conditions AND with the resources (AWS: every condition must match).
    ({"resources": ["*"], "conditions": {"stringEquals": [{"key": "aws:ResourceTag/backup", "value": "daily"}],
                                         "stringNotEquals": [{"key": "aws:ResourceTag/env", "value": "prod"}]}},
     False),
    ({"resources": ["*"], "conditions": {"stringLikes": [{"key": "aws:ResourceTag/env", "value": "pr*"}]}}, True),
    # A specific account in the pattern, an ARN not known at preview: undecided, not a match nor a miss.
    ({"resources": ["arn:aws:rds:us-east-1:123456789012:db:phi-db"]}, "unknown"),
    ({"resources": [U]}, "unknown"),
])
def test_backup_selection_semantics(selection, expected):
    view, r = stack_of(DB, (T.BACKUP_SELECTION[0], "sel", {"planId": "p", "iamRoleArn": "r", **selection}))
    verdict = selects(r["sel"], r["db"])
    assert (verdict if verdict in (True, False) else "unknown") == expected


def test_backup_selection_by_dependency_and_known_arn():
    view, r = stack_of((T.RDS_INSTANCE[0], "db", {"arn": "arn:aws:rds:us-east-1:123456789012:db:phi-db"}),
                       (T.BACKUP_SELECTION[0], "by-arn", {"resources": ["arn:aws:rds:us-east-1:123456789012:db:phi-db"]}),
                       (T.BACKUP_SELECTION[0], "by-dep", {"resources": [U]}, {"resources": ["db"]}))
    assert selects(r["by-arn"], r["db"]) is True and selects(r["by-dep"], r["db"]) is True


@pytest.mark.parametrize("statement,action,expected", [
    ({"Action": "kms:*"}, "kms:Decrypt", True),
    ({"Action": ["s3:GetObject", "kms:De*"]}, "kms:Decrypt", True),
    ({"Action": "kms:ReEncryptFrom"}, "kms:ReEncrypt*", True),  # a grant inside the blocked pattern
    ({"Action": "kms:Encrypt"}, "kms:Decrypt", False),
    ({"NotAction": ["iam:*"]}, "kms:Decrypt", True),             # Allow + NotAction: all but iam
    ({"NotAction": "kms:*"}, "kms:Decrypt", False),
])
def test_action_grants(statement, action, expected):
    assert action_grant(statement, action) is expected


def test_document_shapes_json_string_single_statement_and_lists():
    as_string = '{"Statement": {"Effect": "Allow", "Action": "*", "Resource": "*"}}'
    assert admin_statements(as_string) == [0]
    assert admin_statements({"Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}) == []
    assert granted_on_every_resource("not json", ["kms:Decrypt"]) is None
    scoped = {"Statement": [{"Effect": "Allow", "Action": "kms:Decrypt", "Resource": ["arn:aws:kms:x:1:key/k"]}]}
    assert granted_on_every_resource(scoped, ["kms:Decrypt"]) == []
    assert full_access_actions({"Statement": [{"Effect": "Allow", "Action": ["S3:*"], "Resource": "*"}]}) == ["S3:*"]


@pytest.mark.parametrize("expression,hours", [
    ("cron(0 5 ? * * *)", 24), ("cron(0 5 ? * SUN *)", 168), ("cron(0 */6 ? * MON-FRI *)", 54),
    ("cron(30 1,13 ? * * *)", 12), ("rate(12 hours)", 12), ("rate(1 day)", 24),
    ("cron(0 5 L * ? *)", None), ("cron(0 5 * *)", None), ("at(2027-01-01T00:00:00)", None),
])
def test_backup_schedule_longest_gap(expression, hours):
    assert longest_gap_hours(expression) == hours


def test_referrers_index_is_built_once_per_stack_and_places_by_value_or_dependency():
    view, r = stack_of((T.EC2_VPC[0], "vpc", {"id": "vpc-1"}),
                       (T.EC2_FLOW_LOG[0], "by-id", {"vpcId": "vpc-1"}),
                       (T.EC2_FLOW_LOG[0], "by-dep", {"vpcId": U}, {"vpcId": ["vpc"]}),
                       (T.EC2_FLOW_LOG[0], "other", {"vpcId": "vpc-2"}))
    assert {x.name for x in referrers(view, r["vpc"], T.EC2_FLOW_LOG, "vpcId", ("id",))} == {"by-id", "by-dep"}
    built = []
    memo(view, "probe", lambda: built.append(1))
    memo(view, "probe", lambda: built.append(1))
    assert built == [1]
