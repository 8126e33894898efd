"""Conformance rules whose decision needs the stack as the engine presents it at AnalyzeStack: a certificate
ARN unknown at preview but fed by an IAM server certificate, and a backup selection that names the database
only through propertyDependencies."""
import pytest

from policypack.engine import AnalysisSession, wire
from test_engine_hipaa import PROJECT, ROOT, STACK, base, captured

IAM_CERT = "aws:iam/serverCertificate:ServerCertificate"
ACM_CERT = "aws:acm/certificate:Certificate"
LISTENER = "aws:lb/listener:Listener"
U = wire.UNKNOWN


@pytest.fixture(scope="module")
def session():
    with AnalysisSession(ROOT, project=PROJECT, stack=STACK, config={"aws:region": "us-east-1"}) as s:
        yield s


def listener(name, cert_type):
    return [captured(cert_type, f"{name}-cert", {"name": name}),
            captured(LISTENER, name, {"protocol": "HTTPS", "port": 443, "certificateArn": U,
                                      "loadBalancerArn": U, "defaultActions": U},
                     property_dependencies={"certificateArn": [(cert_type, f"{name}-cert")]})]


def flagged(result, policy):
    return {d.urn.rsplit("::", 1)[-1] for d in result.diagnostics if d.policy_name == policy}


@pytest.mark.parametrize("config,expected", [
    (None, {"iam-listener"}),
    ({"alb-https-real-certificate": {"allowIamCertificates": True}}, set()),
])
def test_an_unknown_certificate_fed_by_an_iam_server_certificate(session, config, expected):
    session.configure(config)
    result = session.analyze([*base(), *listener("iam-listener", IAM_CERT), *listener("acm-listener", ACM_CERT)])
    assert flagged(result, "alb-https-real-certificate") == expected


def test_backup_selection_by_dependency_on_an_unknown_arn(session):
    session.configure(None)
    db = {"engine": "postgres", "identifier": U, "storageEncrypted": True}
    resources = [*base(), captured("aws:rds/instance:Instance", "in-plan", db),
                 captured("aws:rds/instance:Instance", "outside", db),
                 captured("aws:backup/selection:Selection", "sel", {"planId": U, "iamRoleArn": U, "resources": [U]},
                          property_dependencies={"resources": [("aws:rds/instance:Instance", "in-plan")]})]
    assert flagged(session.analyze(resources), "rds-in-backup-plan") == {"outside"}
