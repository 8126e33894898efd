"""Helpers for the engine-client tests: the fixture pack and a small captured stack (wire form)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from policypack.engine import wire

FIXTURE_PACK = Path(__file__).parent / "fixtures" / "pack"

PROJECT, STACK = "proj", "dev"
PREFIX = f"urn:pulumi:{STACK}::{PROJECT}::"
STACK_URN = PREFIX + f"pulumi:pulumi:Stack::{PROJECT}-{STACK}"
PROVIDER_URN = PREFIX + "pulumi:providers:aws::default_7_51_1"
PROVIDER_REF = PROVIDER_URN + "::" + wire.UNKNOWN  # a provider's id is unknown during a preview
KEY_URN = PREFIX + "aws:kms/key:Key::key"
BUCKET_URN = PREFIX + "aws:s3/bucket:Bucket::logs"
UNKNOWN_BUCKET_URN = PREFIX + "aws:s3/bucket:Bucket::maybe"
DB_URN = PREFIX + "aws:rds/instance:Instance::db"
ECHO_URN = PREFIX + "test:index:Echo::echo"
SECRET_URN = PREFIX + "test:index:Secretive::creds"
SECRET_PLAINTEXT = "hunter2"

ECHO_OPTIONS = {"protect": True, "ignore_changes": ["tags"], "delete_before_replace": True,
                "aliases": ["urn:pulumi:dev::proj::test:index:Echo::old"],
                "custom_timeouts": {"create": "5m", "update": None, "delete": "1h30m"},
                "additional_secret_outputs": ["secretOut"]}


def captured(type_, name, urn, inputs, *, custom=True, outputs=None, parent=STACK_URN, provider=PROVIDER_REF,
             dependencies=(), property_dependencies=None, options=None):
    return {"type": type_, "name": name, "urn": urn, "custom": custom, "id": f"{name}-id" if custom else None,
            "inputs": inputs, "outputs": outputs if outputs is not None else dict(inputs), "parent": parent,
            "dependencies": list(dependencies), "property_dependencies": property_dependencies or {},
            "provider": provider, "options": options or {}, "source": None}


def sample_stack() -> list[dict]:
    """Stack, default provider and a few resources, in registration order, all in wire form."""
    return [
        captured("pulumi:pulumi:Stack", f"{PROJECT}-{STACK}", STACK_URN, {}, custom=False, parent=None,
                 provider=None),
        captured("pulumi:providers:aws", "default_7_51_1", PROVIDER_URN,
                 {"region": "us-west-2", "version": "7.51.1", "__defaults": []}, parent=None, provider=None),
        captured("aws:kms/key:Key", "key", KEY_URN, {"description": "k"},
                 outputs={"description": "k", "arn": "arn:aws:kms:us-west-2:123456789012:key/key-id"}),
        captured("aws:s3/bucket:Bucket", "logs", BUCKET_URN, {"bucket": "logs"}),
        captured("aws:s3/bucket:Bucket", "maybe", UNKNOWN_BUCKET_URN, {"serverSideEncryption": wire.UNKNOWN}),
        captured("aws:rds/instance:Instance", "db", DB_URN,
                 {"engine": "postgres", "backupRetentionPeriod": 3, "kmsKeyId": wire.UNKNOWN},
                 outputs={"engine": "postgres", "backupRetentionPeriod": 3,
                          "kmsKeyId": "arn:aws:kms:us-west-2:123456789012:key/key-id"},
                 dependencies=[KEY_URN], property_dependencies={"kmsKeyId": [KEY_URN], "engine": []}),
        captured("test:index:Echo", "echo", ECHO_URN,
                 {"count": 3, "nested": {"a": [1, "x"]}, "later": wire.UNKNOWN, "__defaults": ["count"]},
                 options=ECHO_OPTIONS),
        captured("test:index:Secretive", "creds", SECRET_URN, {"password": wire.secret(SECRET_PLAINTEXT)}),
    ]


def by_policy(result, policy_name, urn=None):
    return [d for d in result.diagnostics if d.policy_name == policy_name and (urn is None or d.urn == urn)]


def echo_of(result) -> dict:
    [d] = by_policy(result, "fixture-echo", ECHO_URN)
    return json.loads(d.message.split("ECHO ", 1)[1])


def pack_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("hipaa-guard-")]
