"""Differences between what two twin programs register (a Python program and its TypeScript translation).

Both are captured offline the way `policypack preview` runs them. The comparison is by URN, and ignores what
legitimately differs between the two SDKs and between the provider versions each language installs: the
default provider's versioned name and inputs, source positions, key order and whitespace inside JSON
documents, and the order of dependency lists.

    python tests/node/twin_diff.py examples/broken examples/typescript/broken
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: import the project from the repository root
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from policypack.offline.capture import CaptureResult, capture_program  # noqa: E402

_DEFAULT_PROVIDER = re.compile(r"default_\d+_\d+_\d+")
_PROVIDER_REF = re.compile(r"(::pulumi:providers:\w+::default)::.*$")


def _text(value: str) -> str:
    return _DEFAULT_PROVIDER.sub("default", value)


def normalized(value):
    """A value with the default provider's versioned name masked, and JSON documents parsed. (Mock ids are
    derived from URNs, which are the same in both twins, so they need no masking.)"""
    if isinstance(value, str):
        stripped = value.strip()
        if stripped[:1] in ("{", "[") and stripped[-1:] in ("}", "]"):
            try:
                return normalized(json.loads(stripped))
            except ValueError:
                pass
        return _text(value)
    if isinstance(value, dict):
        return {_text(k): normalized(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalized(v) for v in value]
    return value


def registrations(result: CaptureResult) -> dict[str, dict]:
    """URN -> the facts of one registration that the pack reads, normalized."""
    out = {}
    for record in result.resources:
        urn = _text(record["urn"])
        out[urn] = {
            "custom": record["custom"],
            "parent": _text(record["parent"]) if record["parent"] else None,
            "provider": _PROVIDER_REF.sub(r"\1", _text(record["provider"])) if record["provider"] else None,
            "inputs": {} if record["type"].startswith("pulumi:providers:") else normalized(record["inputs"]),
            "dependencies": sorted(_text(d) for d in record["dependencies"]),
            "property_dependencies": {k: sorted(_text(d) for d in v)
                                      for k, v in record["property_dependencies"].items() if v},
            "protect": record["options"]["protect"],
            "ignore_changes": sorted(record["options"]["ignore_changes"]),
        }
    return out


def _paths(a, b, path: str = ""):
    """Leaf paths where two normalized values differ."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a:
                yield f"{path}.{key}: only in the second ({json.dumps(b[key])[:120]})"
            elif key not in b:
                yield f"{path}.{key}: only in the first ({json.dumps(a[key])[:120]})"
            else:
                yield from _paths(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            yield from _paths(x, y, f"{path}[{i}]")
    elif a != b:
        yield f"{path}: {json.dumps(a)[:160]} != {json.dumps(b)[:160]}"


def differences(first: CaptureResult, second: CaptureResult) -> list[str]:
    """Every difference between two captures, one line each; empty when the twins register the same."""
    lines = [f"program error in the {which}: {e['kind']} {e['message'][:300]} ({e.get('file')}:{e.get('line')})"
             for which, result in (("first", first), ("second", second)) for e in result.program_errors]
    a, b = registrations(first), registrations(second)
    lines += [f"{urn}: only in the first" for urn in sorted(set(a) - set(b))]
    lines += [f"{urn}: only in the second" for urn in sorted(set(b) - set(a))]
    for urn in sorted(set(a) & set(b)):
        lines += [f"{urn.rsplit('::', 2)[-2]}::{urn.rsplit('::', 1)[-1]}{p}" for p in _paths(a[urn], b[urn])]
    return lines


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1].strip(), file=sys.stderr)
        return 2
    first, second = (capture_program(path) for path in argv)
    lines = differences(first, second)
    for line in lines:
        print(line)
    print(f"{len(first.resources)} and {len(second.resources)} registrations; {len(lines)} difference(s)")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
