"""Wall and CPU time of `policypack preview` on both examples, this checkout against a baseline checkout.

    git archive <baseline commit> | tar -x -C /tmp/baseline
    .venv/bin/python bench/preview_compare.py /tmp/baseline --runs 8

Runs alternate (baseline, this tree, per example) so load drifts hit both alike. CPU is user+sys of the
preview and every process it starts (capture runner, pack). Prints figures; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def one(tree: Path, example: str) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "policypack.cli", "preview", str(tree / "examples" / example),
                           "--quiet", "--format", "json"], cwd=tree, capture_output=True,
                          env={**os.environ, "PYTHONPATH": str(tree)})
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, proc.returncode


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("baseline", type=Path)
    parser.add_argument("--runs", type=int, default=8)
    args = parser.parse_args()
    trees = {"baseline": args.baseline.resolve(), "this tree": HERE}
    runs: dict[tuple[str, str], list] = {}
    for _ in range(args.runs):
        for label, tree in trees.items():
            for example in ("broken", "compliant"):
                runs.setdefault((label, example), []).append(one(tree, example))
    for (label, example), found in sorted(runs.items()):
        walls, cpus = [r[0] for r in found], [r[1] for r in found]
        print(f"{label:9} {example:9} wall median {statistics.median(walls):5.2f} s (min {min(walls):.2f}, "
              f"max {max(walls):.2f})  cpu median {statistics.median(cpus):.2f} s  exit {found[0][2]}  n={len(found)}")
    print("load average", " ".join(f"{x:.1f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
