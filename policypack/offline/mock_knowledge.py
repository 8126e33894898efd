"""The evaluator of mock_knowledge.json: what providers compute, as data.

`mock_knowledge.json` says per type token (and per invoke token) which values the provider computes and how
they are built from the resource's name, URN, region, account and inputs; its `value_language` entry documents
the small language of its values. This module evaluates one row: `Evaluation(specs, scope).value(name)`, lazily
and memoised, so a value may refer to any other value of its row in any order. Algorithms that are more than a
template (random strings honouring their settings, zones of a region, rendering a policy document) are named by
the data (`{"compute": NAME}`) and implemented next to their callers (mock_outputs.COMPUTE, mock_invokes.COMPUTE).

Stdlib only: the runner imports it in the program's own interpreter.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

try:
    from . import wire
except ImportError:  # pragma: no cover - the runner sets up the package; this is a safety net
    import wire  # type: ignore[no-redef]

KNOWLEDGE_FILE = Path(__file__).resolve().parent / "mock_knowledge.json"

_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


class KnowledgeError(Exception):
    """mock_knowledge.json holds a value its language does not define (a bug in the data, not the program)."""


@lru_cache(maxsize=None)
def knowledge(path: Path = KNOWLEDGE_FILE) -> dict:
    return json.loads(path.read_text())


def digest(seed: str, n: int) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()[:n]


def kebab(text: str) -> str:
    return "".join("-" + c.lower() if c.isupper() else c for c in text).lstrip("-")


def as_uuid(seed: str) -> str:
    h = digest(seed, 32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def render(value: Any) -> str:
    """A value as it appears inside a string: integral numbers without a decimal point (wire numbers are floats)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class Scope:
    """What every value of one row may use."""
    seed: str  # the URN of a resource, the arguments (JSON) of an invoke: hex/uuid digests derive from it
    inputs: dict  # wire-form inputs (or invoke arguments)
    facts: dict[str, Any]  # name, urn, region, account, module, resource, ...: plain placeholders
    compute: dict[str, Callable[..., Any]] = field(default_factory=dict)


class Evaluation:
    """The values of one row (`specs`: name -> spec), computed on demand, each once."""

    def __init__(self, specs: dict[str, Any], scope: Scope):
        self.specs = specs
        self.scope = scope
        self._done: dict[str, Any] = {}
        self._computed: dict[str, Any] = {}
        self._active: set[str] = set()

    def value(self, name: str) -> Any:
        if name in self._done:
            return self._done[name]
        if name in self._active:
            raise KnowledgeError(f"value {name!r} refers to itself")
        self._active.add(name)
        try:
            result = self.spec(self.specs[name])
        finally:
            self._active.discard(name)
        self._done[name] = result
        return result

    # --- specs -----------------------------------------------------------------------------------------
    def spec(self, spec: Any) -> Any:
        """The value of a spec, or None when it has none (an input not given, a compute without an answer)."""
        if isinstance(spec, str):
            return self.template(spec)
        if spec is None or isinstance(spec, (bool, int, float)):
            return spec
        if isinstance(spec, list):
            raise KnowledgeError(f"a list spec must be written {{'list': [...]}}: {spec!r}")
        if not isinstance(spec, dict):
            raise KnowledgeError(f"unknown spec {spec!r}")
        if "first" in spec:
            return next((v for v in (self.spec(s) for s in spec["first"]) if v is not None), None)
        if "input" in spec:
            return self._input(spec["input"], spec.get("as"))
        if "if_input" in spec:
            given = wire.known(self.scope.inputs.get(spec["if_input"]))
            if isinstance(given, bool):  # matched as it reads in the program's config: "true" / "false"
                given = "true" if given else "false"
            hit = isinstance(given, str) and re.search(spec["matches"], given) is not None
            return self.spec(spec["then"] if hit else spec.get("else"))
        if "compute" in spec:
            return self._compute(spec)
        if "secret" in spec:
            inner = self.spec(spec["secret"])
            return None if inner is None else wire.secret(inner)
        if "list" in spec:
            return [self.spec(s) for s in spec["list"]]
        if "object" in spec:
            fields = {name: self.spec(s) for name, s in spec["object"].items()}
            return {name: value for name, value in fields.items() if value is not None}
        raise KnowledgeError(f"unknown spec {spec!r}")

    def _input(self, prop: str, kind: str | None) -> Any:
        raw = self.scope.inputs.get(prop)
        if kind == "int":
            return wire.as_int(raw)
        value = wire.known(raw)
        if kind == "bool":
            if isinstance(value, str) and value.lower() in ("true", "false"):
                return value.lower() == "true"
            return value if isinstance(value, bool) else None
        if kind == "dict":
            return value if isinstance(value, dict) else None
        return value

    def _compute(self, spec: dict) -> Any:
        name = spec["compute"]
        function = self.scope.compute.get(name)
        if function is None:
            raise KnowledgeError(f"no compute function {name!r}")
        key = json.dumps({k: v for k, v in spec.items() if k != "field"}, sort_keys=True)
        if key not in self._computed:
            params = {k: v for k, v in spec.items() if k not in ("compute", "field")}
            self._computed[key] = function(self.scope, **params)
        result = self._computed[key]
        if "field" in spec:
            return result.get(spec["field"]) if isinstance(result, dict) else None
        return result

    # --- templates -------------------------------------------------------------------------------------
    def template(self, text: str) -> str | None:
        parts: list[str] = []
        end = 0
        for match in _PLACEHOLDER.finditer(text):
            value = self.placeholder(match.group(1))
            if value is None:
                return None
            parts += [text[end:match.start()], render(value)]
            end = match.end()
        return "".join(parts) + text[end:]

    def placeholder(self, expression: str) -> Any:
        """The first alternative of `a|b|c` that has a value."""
        for alternative in expression.split("|"):
            value = self._alternative(alternative.strip())
            if value is not None:
                return value
        return None

    def _alternative(self, alt: str) -> Any:
        if len(alt) >= 2 and alt[0] == alt[-1] == "'":
            return alt[1:-1]
        if alt.startswith("in:"):
            # as the provider reads an optional input: not given, unknown or empty means "not set"
            value = wire.known(self.scope.inputs.get(alt[3:]))
            usable = isinstance(value, (str, int, float)) and not isinstance(value, bool) and value != ""
            return value if usable else None
        head, _, rest = alt.partition(":")
        if head in ("hex", "HEX", "int"):
            return self._digest(head, rest)
        if alt == "uuid":
            return as_uuid(self.scope.seed)
        if alt in self.scope.facts:  # first: a row's output may share a fact's name (an S3 bucket's `region`)
            return self.scope.facts[alt]
        if alt in self.specs:
            return self.value(alt)
        raise KnowledgeError(f"unknown placeholder {alt!r}")

    def _digest(self, head: str, rest: str) -> Any:
        """hex:N (of the seed), hex:N:SALT (of seed#SALT), hex:N@NAME (of another value); HEX upper-case;
        int:N the hex digits as a decimal number."""
        size, _, of = rest.partition("@")
        size, _, salt = size.partition(":")
        if of:
            base = self.placeholder(of)
            if base is None:
                return None
            source = render(base)
        else:
            source = self.scope.seed + (f"#{salt}" if salt else "")
        value = digest(source, int(size))
        return value.upper() if head == "HEX" else int(value, 16) if head == "int" else value
