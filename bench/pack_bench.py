"""Paired benchmark of the policy pack against @pulumi/awsguard and a one-policy Python pack (the floor), driven
over gRPC the way the Pulumi CLI drives them; prints figures and ratios (never pass/fail).

    .venv/bin/python bench/pack_bench.py [--quick] [--resources 10000]

Calls alternate between the packs (pack A, B, C for one request, then the next request), so the noise of this
shared machine hits every pack alike; ratios from one run are the figures that matter. The stack is
`realistic_stack.make_stack`: blocks of ~60 resources of 45 types wired by dependencies and property
dependencies. The floor is the least a Python pack can cost: one stack policy on pulumi-policy (Analyze is then
the bare RPC; AnalyzeStack converts every resource once, as any stack policy must). Per pack it prints: start to port (median of 10 launches), Analyze of every resource (median and
p95), AnalyzeStack of the whole stack (median of 5), RSS of the pack process at the end, and the ratios to
awsguard and to the floor.

awsguard is installed with npm into bench/.awsguard (git-ignored) on first use; its acm-certificate-expiration
policy is disabled because it calls the AWS API during analysis (no network or credentials here).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from policypack.engine import AnalysisSession, PackProcess, ResourceIndex  # noqa: E402
from policypack.engine.client import analyze_request, analyze_stack_request  # noqa: E402
from policypack.engine.run import analyzer_resource, analyzer_stack_resource  # noqa: E402
from realistic_stack import PROJECT, STACK, make_stack  # noqa: E402

AWSGUARD_DIR = Path(__file__).resolve().parent / ".awsguard"
AWSGUARD_PACKAGE = """{"name": "awsguard-bench-pack", "version": "0.0.1", "private": true, "main": "index.js",
 "dependencies": {"@pulumi/awsguard": "0.3.1", "@pulumi/policy": "1.21.0", "@pulumi/pulumi": "^3.0.0"}}
"""
AWSGUARD_INDEX = """// @pulumi/awsguard with every policy on, as a security team would run it, except the one that calls the
// AWS API during analysis (acm-certificate-expiration: no credentials or network in the benchmark).
const { AwsGuard } = require("@pulumi/awsguard");
new AwsGuard({ all: "mandatory", acmCertificateExpiration: "disabled" });
"""
FLOOR_PACK = """from pulumi_policy import EnforcementLevel, PolicyPack, StackValidationPolicy


def storage_encrypted(args, report_violation):
    for r in args.resources:
        if r.resource_type == "aws:rds/instance:Instance" and not r.props.get("storageEncrypted"):
            report_violation("storage is not encrypted", r.urn)


PolicyPack(name="floor", enforcement_level=EnforcementLevel.MANDATORY, policies=[
    StackValidationPolicy(name="rds-storage-encrypted", description="RDS storage must be encrypted.",
                          validate=storage_encrypted)])
"""


def ensure_awsguard() -> Path:
    if not (AWSGUARD_DIR / "node_modules" / "@pulumi" / "awsguard").is_dir():
        AWSGUARD_DIR.mkdir(parents=True, exist_ok=True)
        (AWSGUARD_DIR / "package.json").write_text(AWSGUARD_PACKAGE)
        print("installing @pulumi/awsguard into bench/.awsguard (npm) ...", file=sys.stderr)
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--loglevel=error"], cwd=AWSGUARD_DIR,
                       check=True)
    (AWSGUARD_DIR / "index.js").write_text(AWSGUARD_INDEX)
    (AWSGUARD_DIR / "PulumiPolicy.yaml").write_text("runtime: nodejs\ndescription: awsguard (benchmark)\n")
    return AWSGUARD_DIR


def floor_pack(into: Path) -> Path:
    (into / "PulumiPolicy.yaml").write_text("runtime: python\ndescription: one-policy floor\n")
    (into / "__main__.py").write_text(FLOOR_PACK)
    return into


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1,000 resources, fewer repetitions (smoke run)")
    parser.add_argument("--resources", type=int, default=10000)
    args = parser.parse_args()
    count = 1000 if args.quick else args.resources
    starts_n, stack_n = (3, 2) if args.quick else (10, 5)

    with tempfile.TemporaryDirectory() as tmp:
        packs = {"hipaa-guard": ROOT, "awsguard": ensure_awsguard(), "floor": floor_pack(Path(tmp))}
        names = list(packs)

        starts = {n: [] for n in names}
        for _ in range(starts_n):
            for n in names:
                t0 = time.perf_counter()
                with PackProcess(packs[n], project=PROJECT, stack=STACK):
                    starts[n].append((time.perf_counter() - t0) * 1000)

        resources = make_stack(count)
        index = ResourceIndex(resources)
        entries = [analyzer_resource(r, index) for r in resources if r["custom"] and not r["type"].startswith("pulumi:")]
        requests = [analyze_request(e) for e in entries]
        stack_request = analyze_stack_request([analyzer_stack_resource(r, index) for r in resources])
        sessions = {n: AnalysisSession(packs[n], project=PROJECT, stack=STACK) for n in names}
        try:
            analyze = {n: [] for n in names}
            findings = {n: 0 for n in names}
            for request in requests:
                for n in names:
                    client = sessions[n].client
                    t0 = time.perf_counter()
                    response = client.call("Analyze", request)
                    analyze[n].append((time.perf_counter() - t0) * 1000)
                    findings[n] += len(response.diagnostics)
            rss_before = {n: rss_mb(sessions[n].pack.pid) for n in names}
            stack_times = {n: [] for n in names}
            stack_findings = {}
            for _ in range(stack_n):
                for n in names:
                    t0 = time.perf_counter()
                    response = sessions[n].client.call("AnalyzeStack", stack_request)
                    stack_times[n].append(time.perf_counter() - t0)
                    stack_findings[n] = len(response.diagnostics)
            rss = {n: rss_mb(sessions[n].pack.pid) for n in names}
        finally:
            for session in sessions.values():
                session.close()

    types = len({r["type"] for r in resources})
    print(f"paired run: {count} resources of {types} types, {len(requests)} Analyze calls per pack, "
          f"calls alternating between packs")
    rows = {}
    for n in names:
        rows[n] = {"start": statistics.median(starts[n]), "analyze": statistics.median(analyze[n]),
                   "p95": pct(analyze[n], 0.95), "stack": statistics.median(stack_times[n]), "rss": rss[n],
                   "rss_before": rss_before[n]}
    print(f"{'pack':<12} {'start ms':>9} {'Analyze ms':>11} {'p95 ms':>7} {'AnalyzeStack s':>15} "
          f"{'RSS MB before/after stacks':>27} {'findings':>9}")
    for n in names:
        r = rows[n]
        print(f"{n:<12} {r['start']:9.1f} {r['analyze']:11.3f} {r['p95']:7.3f} {r['stack']:15.3f} "
              f"{r['rss_before']:13.1f} / {r['rss']:11.1f} {findings[n] + stack_findings[n]:9d}")
    ours, guard, floor = rows["hipaa-guard"], rows["awsguard"], rows["floor"]
    print("hipaa-guard ratios      to awsguard   to floor   target")
    for key, label, target in (("start", "start to port", "<= 0.3x awsguard"),
                               ("analyze", "Analyze median", "<= 1.0x awsguard"),
                               ("p95", "Analyze p95", ""),
                               ("stack", "AnalyzeStack", "<= 1.0x awsguard, <= 1.5x floor"),
                               ("rss", "RSS at the end", "<= 1.0x awsguard")):
        print(f"  {label:<20} {ours[key] / guard[key]:9.2f}x {ours[key] / floor[key]:9.2f}x   {target}")


if __name__ == "__main__":
    main()
