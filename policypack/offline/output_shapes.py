"""Shape echoed inputs into the values the provider would return, driven by the SDK's output types.

The mocks echo a resource's inputs as its outputs. A provider does not: it returns a JSON string for a
property the program gave as a dict (IAM and bucket policies, container definitions), a list for a block
given as one object, strings for scalars of string properties. The SDK checks every output against the
resource class's output annotations, so an unshaped echo makes a program that deploys fail under the mocks
("expected a value of type str but got dict"). This module reads those annotations from the installed
provider SDK (through the fixer's provider reader, `fixer/provider_index.py`: one reader for both tools)
and reshapes each output to its declared type. It is a table driven by type information: no resource type
is named here.

Stdlib only, imported by the runner in the program's own interpreter. Values stay in wire form (`wire.py`).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import math
import re
import sys
import threading
from pathlib import Path
from typing import Any

try:  # imported as policypack.offline.output_shapes or by the runner as a sibling module
    from . import wire
except ImportError:  # pragma: no cover - the runner sets up the package; this is a safety net
    import wire  # type: ignore[no-redef]

READER_PATH = Path(__file__).resolve().parent.parent.parent / "fixer" / "provider_index.py"

# A parsed annotation: ("str"|"int"|"float"|"bool",), ("list", elem), ("map", value), ("object", class name),
# or None for anything the shaping leaves alone (enums, assets, unions, Any).
_BUILTIN_RE = re.compile(r"^(?:_?builtins\.)?(str|int|float|bool)$")
_GENERIC_RE = re.compile(r"^(Optional|Sequence|List|list|Mapping|Dict|dict)\[(.*)\]$")
_OUTPUT_CLASS_RE = re.compile(r"""^['"]outputs\.(\w+)['"]$""")

_reader_module: Any = None
_types_cache: dict[str, Any] = {}
_lock = threading.RLock()  # registrations arrive on executor threads: read each file once, whole


def _reader():
    """The fixer's provider reader, loaded by path (the program's interpreter need not have hipaa-guard
    installed); None when it is not beside this package."""
    global _reader_module
    with _lock:
        if _reader_module is None:
            _reader_module = False
            try:
                spec = importlib.util.spec_from_file_location("_hipaa_guard_provider_index", READER_PATH)
                if spec is not None and spec.loader is not None:
                    module = importlib.util.module_from_spec(spec)
                    sys.modules[spec.name] = module  # dataclasses resolve their module through sys.modules
                    spec.loader.exec_module(module)
                    _reader_module = module
            except Exception:  # noqa: BLE001 - no reader: outputs stay echoed, as before
                _reader_module = False
        return _reader_module or None


def parse_annotation(text: str):
    """`Optional[Sequence['outputs.X']]` -> ("list", ("object", "X")); None when no shaping applies."""
    text = text.strip()
    m = _BUILTIN_RE.match(text)
    if m:
        return (m.group(1),)
    m = _OUTPUT_CLASS_RE.match(text)
    if m:
        return ("object", m.group(1))
    m = _GENERIC_RE.match(text)
    if not m:
        return None
    outer, inner = m.group(1), m.group(2)
    if outer == "Optional":
        return parse_annotation(inner)
    if outer in ("Sequence", "List", "list"):
        return ("list", parse_annotation(inner))
    key, sep, value = inner.partition(",")
    if sep and key.strip() in ("str", "_builtins.str"):
        return ("map", parse_annotation(value))
    return None


@functools.lru_cache(maxsize=None)
def package_dir(package: str) -> Path | None:
    """Directory of the installed SDK of provider `package` (`aws` -> .../pulumi_aws), without importing it."""
    name = "pulumi_" + package.replace("-", "_")
    module = sys.modules.get(name)
    if module is not None and getattr(module, "__file__", None):
        return Path(module.__file__).parent
    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def resource_types(token: str):
    """(wire name -> parsed annotation, module dir) for resource `token`; None when the SDK says nothing."""
    with _lock:
        if token not in _types_cache:
            found = None
            reader, root = _reader(), package_dir(token.split(":", 1)[0])
            read = reader.resource_output_types(root, token) if reader is not None and root is not None else None
            if read is not None:
                fields, module_dir = read
                found = ({k: parse_annotation(v) for k, v in fields.items()}, module_dir)
            _types_cache[token] = found
        return _types_cache[token]


def _class_types(module_dir: Path, class_name: str) -> dict:
    key = f"{module_dir}::{class_name}"
    with _lock:
        if key not in _types_cache:
            reader = _reader()
            fields = reader.output_class_types(module_dir, class_name) if reader is not None else None
            _types_cache[key] = {k: parse_annotation(v) for k, v in (fields or {}).items()}
        return _types_cache[key]


def shape_outputs(token: str, outputs: dict) -> dict:
    """`outputs` with each property shaped to the provider's declared output type (unchanged when unknown)."""
    found = resource_types(token)
    if not found:
        return outputs
    fields, module_dir = found
    return {key: shape(value, fields.get(key), module_dir) for key, value in outputs.items()}


def shape(value: Any, kind, module_dir: Path) -> Any:
    """One wire value shaped to `kind` (a parsed annotation), as the provider would return it."""
    if kind is None or value is None or wire.is_unknown(value):
        return value
    if wire.is_secret(value):
        return wire.secret(shape(value["value"], kind, module_dir))
    tag = kind[0]
    if tag == "str":
        return _as_string(value)
    if tag in ("int", "float"):
        return _as_number(value)
    if tag == "bool":
        return {"true": True, "false": False}.get(value.lower(), value) if isinstance(value, str) else value
    if tag == "list":
        items = value if isinstance(value, list) else [value]
        return [shape(item, kind[1], module_dir) for item in items]
    if tag == "map":
        return {k: shape(v, kind[1], module_dir) for k, v in value.items()} if isinstance(value, dict) else value
    # an object: a block the program gave as a one-element list is one object in the output type
    if isinstance(value, list):
        if len(value) != 1:
            return value or None  # an empty block is absent; several cannot be one object: left as given
        return shape(value[0], kind, module_dir)
    if not isinstance(value, dict):
        return value
    fields = _class_types(module_dir, kind[1])
    return {k: shape(v, fields.get(k), module_dir) for k, v in value.items()}


def _as_string(value: Any) -> Any:
    """A string property: a document becomes JSON (compact, as AWS returns it), a scalar its text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (dict, list)):
        if any(wire.is_unknown(s) for s in wire.strings_in(value)):
            return wire.UNKNOWN  # a document built from an unknown is unknown as a whole
        plain, secret = _plain(value)
        text = json.dumps(plain, separators=(",", ":"))
        return wire.secret(text) if secret else text
    return value


def _as_number(value: Any) -> Any:
    if isinstance(value, str):
        try:
            number = float(value.strip())
        except ValueError:
            return value
        return number if math.isfinite(number) else value  # "nan", "inf": not a number a provider returns
    return value


def _plain(value: Any) -> tuple[Any, bool]:
    """The value with secret wrappers removed and integral floats as ints (the wire turns 80 into 80.0),
    and whether any part was secret."""
    if wire.is_secret(value):
        return _plain(value["value"])[0], True
    if isinstance(value, dict):
        pairs = {k: _plain(v) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, any(s for _, s in pairs.values())
    if isinstance(value, list):
        pairs = [_plain(v) for v in value]
        return [v for v, _ in pairs], any(s for _, s in pairs)
    if isinstance(value, float) and value.is_integer():
        return int(value), False
    return value, False
