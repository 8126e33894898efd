"""A bounded, seeded fuzz of the pack over gRPC from the real pulumi-aws input schemas (see grpc_fuzz.py):
unknowns and secrets anywhere, wrong types, random wiring between resources, the provider region secret in
half the stacks. Nothing may fail: no RPC error, no policy crash, no SDK "can't run policy" advisory, and no
secret plaintext in any message, reason or stderr line. A longer run is documented in docs/reliability.md."""
import os

import grpc_fuzz

REQUESTS = int(os.environ.get("HIPAA_GUARD_FUZZ_REQUESTS", "2500"))


def test_schemas_are_read_from_the_installed_provider():
    fields = {f.wire: f for f in grpc_fuzz.schema("aws:rds/instance:Instance")}
    assert fields["storageEncrypted"].kind == "bool" and fields["backupRetentionPeriod"].kind == "int"
    ingress = {f.wire: f for f in grpc_fuzz.schema("aws:ec2/securityGroup:SecurityGroup")}["ingress"]
    assert ingress.kind == "list" and "cidrBlocks" in {f.wire for f in ingress.item.fields}
    assert len(grpc_fuzz.fuzz_types()) >= 70


def test_fuzzed_requests_never_fail_crash_or_leak():
    figures = grpc_fuzz.run(REQUESTS, seed=20261204)
    assert figures.requests == REQUESTS and figures.stack_requests >= REQUESTS // 400
    assert figures.rpc_errors == []
    assert figures.crashes == []
    assert figures.sdk_noise == 0
    assert figures.leaks == []
    assert figures.findings > REQUESTS // 10, "the fuzz must reach the policies, not only pass them by"
