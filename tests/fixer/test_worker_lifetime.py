"""Pool workers never outlive ``fixer``: real signals to a real parent process, bounded in time.

The parent is a small driver running ``fixer.runner.run`` over a pool with a per-file function that records its
worker's pid and then blocks: the workers are certainly alive and busy when the parent is signalled."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DRIVER = """
import os, sys, time
sys.path.insert(0, {repo!r})
from fixer import runner

def blocked(path, options, region, index):
    open(os.path.join({marks!r}, str(os.getpid())), "w").close()
    time.sleep(120)

runner.process_file = blocked  # forked workers inherit it
runner.run([(f"f{{i}}.py", None) for i in range(32)], runner.Options(()), index="unused", workers=2)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")  # a zombie has exited; only its parent's reaping is pending


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_workers_die_with_their_parent(tmp_path, signum):
    marks = tmp_path / "workers"
    marks.mkdir()
    script = tmp_path / "driver.py"
    script.write_text(DRIVER.format(repo=str(REPO), marks=str(marks)))
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        assert _wait(lambda: len(list(marks.iterdir())) == 2, 30), "the two workers never started"
        workers = [int(p.name) for p in marks.iterdir()]
        assert all(_alive(pid) for pid in workers)
        parent.send_signal(signum)
        parent.wait(timeout=15)
        assert _wait(lambda: not any(_alive(pid) for pid in workers), 10), f"workers outlived {signum.name}"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        for path in marks.iterdir():  # never leave a stray process behind, even when the test fails
            try:
                os.kill(int(path.name), signal.SIGKILL)
            except ProcessLookupError:
                pass
