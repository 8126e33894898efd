"""Benchmark the policy pack the way the CLI drives it, and print the figures (never pass/fail).

    .venv/bin/python bench/pack_bench.py [--quick]

Prints: pack start to port (median of 10 launches); Analyze time per resource over gRPC for 1,000 and
10,000 resources (the mix of a HIPAA stack, half of them violating); AnalyzeStack time for 10,000
resources; the offline preview (capture + analysis, end to end through the CLI) of each bundled example.
Targets (issue 2): start <= 150 ms, Analyze <= 0.5 ms/resource, 10k AnalyzeStack <= 1 s, example <= 2 s.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policypack.engine import AnalysisSession, PackProcess, ResourceIndex  # noqa: E402
from policypack.engine.run import analyzer_resource  # noqa: E402

STACK_URN = "urn:pulumi:bench::bench::pulumi:pulumi:Stack::bench-bench"
PROVIDER_URN = "urn:pulumi:bench::bench::pulumi:providers:aws::default_7_51_1"

# A mix drawn from a HIPAA stack: (type, compliant inputs, violating inputs).
TEMPLATES = [
    ("aws:rds/instance:Instance",
     {"engine": "postgres", "engineVersion": "16", "storageEncrypted": True, "backupRetentionPeriod": 30,
      "publiclyAccessible": False, "multiAz": True, "username": "dbadmin", "instanceClass": "db.t3.medium"},
     {"engine": "postgres", "engineVersion": "15.4", "storageEncrypted": False, "backupRetentionPeriod": 7,
      "publiclyAccessible": True, "username": "admin", "instanceClass": "db.t3.medium"}),
    ("aws:elasticache/replicationGroup:ReplicationGroup",
     {"engine": "redis", "atRestEncryptionEnabled": True, "transitEncryptionEnabled": True, "description": "x"},
     {"engine": "redis", "description": "x"}),
    ("aws:lb/listener:Listener",
     {"protocol": "HTTPS", "port": 443,
      "certificateArn": "arn:aws:acm:us-east-1:210987654321:certificate/5e1c6c2a-4f7a-4f3e-9a51-3f0c2b7d9e10"},
     {"protocol": "HTTPS", "port": 443, "certificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/placeholder"}),
    ("aws:cloudwatch/logGroup:LogGroup",
     {"retentionInDays": 90, "kmsKeyId": "arn:aws:kms:us-east-1:210987654321:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
     {"retentionInDays": 7}),
    ("aws:ec2/subnet:Subnet", {"cidrBlock": "10.0.1.0/24", "availabilityZone": "us-east-1a", "vpcId": "vpc-1"},
     {"cidrBlock": "10.0.2.0/24", "availabilityZone": "ap-southeast-1a", "vpcId": "vpc-1"}),
]


def make_resources(count: int) -> list[dict]:
    resources = [
        {"type": "pulumi:pulumi:Stack", "name": "bench-bench", "urn": STACK_URN, "custom": False,
         "inputs": {}, "outputs": {}, "parent": None, "dependencies": [], "property_dependencies": {},
         "provider": None, "options": {}},
        {"type": "pulumi:providers:aws", "name": "default_7_51_1", "urn": PROVIDER_URN, "custom": True, "id": "p",
         "inputs": {"region": "us-east-1"}, "outputs": {"region": "us-east-1"}, "parent": STACK_URN,
         "dependencies": [], "property_dependencies": {}, "provider": None, "options": {}},
    ]
    for i in range(count):
        rtype, good, bad = TEMPLATES[i % len(TEMPLATES)]
        props = dict(bad if i % 2 else good)
        name = f"r{i}"
        resources.append({
            "type": rtype, "name": name, "urn": f"urn:pulumi:bench::bench::{rtype}::{name}", "custom": True,
            "id": f"{name}-id", "inputs": props, "outputs": dict(props, arn=f"arn:aws:x:us-east-1:210987654321:{name}"),
            "parent": STACK_URN, "dependencies": [], "property_dependencies": {},
            "provider": f"{PROVIDER_URN}::p", "options": {}})
    return resources


def bench_start(runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        with PackProcess(ROOT, project="bench", stack="bench"):
            times.append((time.perf_counter() - t0) * 1000)
    return times


def bench_analyze(session: AnalysisSession, count: int) -> float:
    resources = make_resources(count)
    index = ResourceIndex(resources)
    requests = [analyzer_resource(r, index) for r in resources if r["custom"] and not r["type"].startswith("pulumi:")]
    client = session.client
    t0 = time.perf_counter()
    for request in requests:
        client.analyze(request)
    return (time.perf_counter() - t0) * 1000 / len(requests)


def bench_analyze_stack(session: AnalysisSession, count: int) -> float:
    resources = make_resources(count)
    index = ResourceIndex(resources)
    t0 = time.perf_counter()
    session.analyze_stack(resources, index, session.analyze([], analyze_stack=False))
    return time.perf_counter() - t0


def bench_example(path: Path) -> tuple[float, int]:
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "policypack.cli", "preview", str(path), "--format", "json"],
                          capture_output=True, text=True, cwd=ROOT)
    return time.perf_counter() - t0, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes (a smoke run, not the figures)")
    args = parser.parse_args()
    sizes = (100, 1000) if args.quick else (1000, 10000)

    starts = bench_start(3 if args.quick else 10)
    print(f"pack start to port:          median {statistics.median(starts):7.1f} ms "
          f"(min {min(starts):.1f}, max {max(starts):.1f}, n={len(starts)})   target <= 150 ms")
    with AnalysisSession(ROOT, project="bench", stack="bench", config={"aws:region": "us-east-1"}) as session:
        for n in sizes:
            per = bench_analyze(session, n)
            print(f"Analyze over gRPC, {n:>6} res: {per:7.3f} ms/resource ({per * n / 1000:.2f} s total)"
                  f"   target <= 0.5 ms")
        seconds = bench_analyze_stack(session, sizes[-1])
        print(f"AnalyzeStack, {sizes[-1]:>6} resources: {seconds:7.2f} s   target <= 1 s")
    for example in sorted((ROOT / "examples").iterdir()):
        if (example / "Pulumi.yaml").is_file():
            seconds, code = bench_example(example)
            print(f"offline preview {example.name:<12}: {seconds:7.2f} s (exit {code})   target <= 2 s")


if __name__ == "__main__":
    main()
