"""Construct Pulumi Python programs under the SDK's mocks, many in one subprocess: whether each one
constructs (None) or the error it stops on. Shared by the fixer's differential suite and corpus tests."""
import json
import subprocess
import sys

_CONSTRUCT_ALL = r'''
import json, runpy, sys
import pulumi

class Mocks(pulumi.runtime.Mocks):
    def new_resource(self, args):
        return [args.name + "_id", args.inputs]
    def call(self, args):
        return {}

pulumi.runtime.set_mocks(Mocks(), preview=False)
results = {}
for path in sys.argv[1:]:
    try:
        runpy.run_path(path, run_name="__main__")
    except Exception as exc:
        results[path] = f"{type(exc).__name__}: {exc}"[:300]
    else:
        results[path] = None
print(json.dumps(results))
'''


def construct_all(paths) -> dict:
    """{path: None when the program constructs, else "ExceptionType: message"}."""
    out = subprocess.run([sys.executable, "-c", _CONSTRUCT_ALL, *map(str, paths)], capture_output=True, text=True,
                         timeout=300, env={"PATH": "/usr/bin:/bin", "PULUMI_TEST_MODE": "true"})
    return json.loads(out.stdout.strip().splitlines()[-1])
