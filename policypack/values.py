"""Unknown- and secret-aware access to resource properties.

Every policy reads properties through `Props`, never through the SDK's proxies directly:

* An *unknown* value (preview, not yet computed) raises `Unknown` from the typed getters. The policy
  mechanism catches it and says nothing for that resource, instead of the SDK's "can't run policy during
  preview" advisory that users call noise (pulumi-policy#258). `is_set` treats an unknown as set, because an
  unknown `kmsKeyId` is still a key.
* A *secret* value is readable (policies must check it) but never displayable: `show` renders it as
  `[secret]`, and messages build values only through `show`.
"""
from __future__ import annotations

import functools
import re
from typing import Any, Iterable, Iterator, Mapping, Optional, Sequence

try:  # the SDK's public marker, so values built by SDK users and by the pack are the same kind
    from pulumi_policy import Secret
except ImportError:  # pragma: no cover - a pulumi-policy without the public name: the pack's own marker
    class Secret:  # type: ignore[no-redef]
        """A value the engine marked secret: checkable by policies, never displayed."""

        __slots__ = ("value",)

        def __init__(self, value: Any) -> None:
            self.value = value

# The engine's unknown sentinels (pulumi_policy.proxy); any of them may arrive for any type.
UNKNOWN_SENTINELS = frozenset({
    "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",  # boolean
    "3eeb2bf0-c639-47a8-9e75-3b44932eb421",  # number
    "04da6b54-80e4-46f7-96ec-b56ff0331ba9",  # string
    "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",  # array
    "030794c1-ac77-496b-92df-f27374a8bd58",  # asset
    "e48ece36-62e2-4504-bad9-02848725956a",  # archive
    "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",  # object
})
SECRET_TEXT = "[secret]"
_MISSING = object()


class _UnknownValue:
    """What `Props.peek` returns for a value not known at preview (the typed getters raise instead)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNKNOWN"

    def __bool__(self) -> bool:
        raise TypeError("UNKNOWN has no truth value: compare with `is UNKNOWN`")


UNKNOWN = _UnknownValue()


class Unknown(Exception):
    """A property a policy needs is not known yet (preview)."""

    def __init__(self, path: str) -> None:
        super().__init__(f"{path} is unknown during preview")
        self.path = path


def unless_unknown(results: Iterable[Any]) -> list:
    """All of `results`, or none when computing them met an unknown value. For checks of one part of a
    resource (one rule of a security group, one statement of a document) where an unknown part must not
    silence what the other parts decide; the policy declares it by calling this, never by catching."""
    try:
        return list(results)
    except Unknown:
        return []


def is_unknown(value: Any) -> bool:
    return isinstance(value, str) and value in UNKNOWN_SENTINELS


def unwrap(obj: Any) -> Any:
    """Plain dicts and lists from any mapping/sequence the SDK hands over (its property proxies on the
    public-API fallback), keeping `Secret` markers. Proxies are read through their public mapping and
    sequence interfaces only; a value they refuse to give (an unknown, during preview) becomes the
    engine's unknown sentinel, so that the policies' own unknown handling applies."""
    kind = type(obj)
    if kind is dict:
        return {k: unwrap(v) for k, v in obj.items()}
    if kind is list:
        return [unwrap(v) for v in obj]
    if kind in (str, int, float, bool) or obj is None:
        return obj
    if isinstance(obj, Secret):
        return Secret(unwrap(obj.value))
    if isinstance(obj, Mapping):
        return {k: unwrap(_read(obj, k)) for k in obj}
    if isinstance(obj, Sequence) and not isinstance(obj, (str, bytes)):
        return [unwrap(_read(obj, i)) for i in range(len(obj))]
    return obj


_UNKNOWN_STRING = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"


def _read(container: Any, key: Any) -> Any:
    try:
        return container[key]
    except Exception:  # noqa: BLE001 - the SDK's proxies raise their own error for an unknown value
        return _UNKNOWN_STRING


def reveal(value: Any) -> Any:
    """Strip `Secret` markers: the plaintext a policy checks (never prints)."""
    if isinstance(value, Secret):
        return reveal(value.value)
    if isinstance(value, dict):
        return {k: reveal(v) for k, v in value.items()}
    if isinstance(value, list):
        return [reveal(v) for v in value]
    return value


def contains_secret(value: Any) -> bool:
    if isinstance(value, Secret):
        return True
    if isinstance(value, dict):
        return any(contains_secret(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_secret(v) for v in value)
    return False


def secret_texts(value: Any, inside: bool = False, found: Optional[set] = None) -> set:
    """Every plaintext under a `Secret` marker in `value`, as it could appear in a message (strings, and
    numbers in the forms `short` renders). Booleans are left out: they carry one bit and would redact every
    "true" of a message."""
    found = set() if found is None else found
    kind = type(value)
    if kind is dict:
        for v in value.values():
            secret_texts(v, inside, found)
    elif kind is list:
        for v in value:
            secret_texts(v, inside, found)
    elif isinstance(value, Secret):
        secret_texts(value.value, True, found)
    elif inside and kind is str and value and not is_unknown(value):
        found.add(value)
    elif inside and kind in (int, float):
        found.add(str(int(value)) if kind is float and value.is_integer() else str(value))
    return found


def redact(text: str, secrets: Iterable[str]) -> str:
    """`text` with every occurrence of a secret plaintext replaced by `[secret]` (longest first, so a secret
    that contains another is replaced whole). Short alphanumeric secrets (ports, ids) are matched as whole
    tokens only, so a secret port 22 does not mangle "2022"."""
    for secret in sorted(set(secrets), key=len, reverse=True):
        if secret not in text:
            continue
        if len(secret) < 6 and secret.isalnum():
            text = re.sub(rf"(?<![A-Za-z0-9]){re.escape(secret)}(?![A-Za-z0-9])", SECRET_TEXT, text)
        else:
            text = text.replace(secret, SECRET_TEXT)
    return text


@functools.lru_cache(maxsize=4096)
def _split(path: str) -> tuple[str, ...]:
    return tuple(p for p in path.split(".") if p) if path else ()


class Props:
    """Read-only view of a property tree (wire names, camelCase)."""

    __slots__ = ("_tree", "_secret", "_prefix")

    def __init__(self, tree: Any, *, secret: bool = False, prefix: str = "") -> None:
        self._tree = tree if tree is not None else {}
        self._secret = secret
        self._prefix = prefix

    # -- walking ------------------------------------------------------------------------------------
    def _walk(self, path: str) -> tuple[Any, bool]:
        """Return (value or _MISSING, secret_on_the_way). Raises Unknown on an unknown along the path."""
        node, secret = self._tree, self._secret
        for part in _split(path):
            while isinstance(node, Secret):
                node, secret = node.value, True
            if is_unknown(node):
                raise Unknown(self._full(path))
            if isinstance(node, Mapping):
                node = node.get(part, _MISSING)
            elif isinstance(node, list) and part.lstrip("-").isdigit():
                idx = int(part)
                node = node[idx] if -len(node) <= idx < len(node) else _MISSING
            else:
                return _MISSING, secret
            if node is _MISSING:
                return _MISSING, secret
        while isinstance(node, Secret):
            node, secret = node.value, True
        if is_unknown(node):
            raise Unknown(self._full(path))
        return node, secret

    def _full(self, path: str) -> str:
        return f"{self._prefix}.{path}" if self._prefix and path else (self._prefix or path)

    # -- typed getters (raise Unknown) --------------------------------------------------------------
    def get(self, path: str, default: Any = None) -> Any:
        """The known plaintext value at `path`, or `default` when absent or null."""
        value, _ = self._walk(path)
        if value is _MISSING or value is None:
            return default
        return reveal(value)

    def peek(self, path: str, default: Any = None) -> Any:
        """Like `get`, but an unknown value is returned as `UNKNOWN` instead of raising: for matchers that
        scan many candidates, where one unknown candidate must not hide what the others decide."""
        try:
            return self.get(path, default)
        except Unknown:
            return UNKNOWN

    def get_bool(self, path: str, default: Optional[bool] = None) -> Optional[bool]:
        """A boolean, accepting "true"/"false" strings as providers do; None for other types."""
        value = self.get(path)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in ("true", "false"):
            return value.strip().lower() == "true"
        return None

    def get_number(self, path: str, default: Optional[float] = None) -> Optional[float]:
        """A number (the wire turns every int into a float); numeric strings accepted; None otherwise."""
        value = self.get(path)
        if value is None:
            return default
        if isinstance(value, bool):
            return None
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, str):
            try:
                return float(value.strip())
            except ValueError:
                return None
        return None

    def get_str(self, path: str, default: Optional[str] = None) -> Optional[str]:
        """A string; None for other types (a number is not silently turned into text)."""
        value = self.get(path)
        if value is None:
            return default
        return value if isinstance(value, str) else None

    def get_list(self, path: str) -> list:
        """A list (a single non-list value becomes a one-element list); [] when absent."""
        value = self.get(path)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]

    def get_map(self, path: str) -> dict:
        value = self.get(path)
        return value if isinstance(value, dict) else {}

    def each(self, path: str) -> list["Props"]:
        """One `Props` per element of the list at `path` (a lone object counts as one element)."""
        value, secret = self._walk(path)
        if value is _MISSING or value is None:
            return []
        items = value if isinstance(value, list) else [value]
        views = []
        for i, item in enumerate(items):
            item_secret = secret
            while isinstance(item, Secret):
                item, item_secret = item.value, True
            views.append(Props(item, secret=item_secret, prefix=self._full(f"{path}.{i}")))
        return views

    def child(self, path: str) -> "Props":
        value, secret = self._walk(path)
        return Props(value if isinstance(value, dict) else {}, secret=secret, prefix=self._full(path))

    # -- presence and display -----------------------------------------------------------------------
    def is_set(self, path: str) -> bool:
        """True when the value is present and not null/empty; an unknown value counts as set."""
        try:
            value, _ = self._walk(path)
        except Unknown:
            return True
        return value is not _MISSING and value is not None and value != "" and value != [] and value != {}

    def absence(self, path: str) -> str:
        """How a value that is not set reads in a message: "empty" when the program gave an empty string, list
        or map, else "unset"."""
        try:
            value, _ = self._walk(path)
        except Unknown:
            return "unset"
        return "empty" if value in ("", [], {}) else "unset"

    def is_unknown(self, path: str) -> bool:
        try:
            self._walk(path)
        except Unknown:
            return True
        return False

    def is_secret(self, path: str) -> bool:
        """Whether the value at `path` arrived as a secret or holds one."""
        try:
            value, secret = self._walk(path)
        except Unknown:
            return False
        return secret or contains_secret(value)

    def show(self, path: str) -> str:
        """Render the value at `path` for a message: `[secret]` for a secret, `unknown`, or a short repr."""
        try:
            value, secret = self._walk(path)
        except Unknown:
            return "unknown"
        if secret or contains_secret(value):
            return SECRET_TEXT
        if value is _MISSING or value is None:
            return "unset"
        return short(value)

    def raw(self) -> Any:
        """The tree with `Secret` markers kept (what a remediation copies)."""
        return self._tree

    def keys(self) -> Iterator[str]:
        return iter(self._tree) if isinstance(self._tree, Mapping) else iter(())


def short(value: Any, limit: int = 80) -> str:
    """A compact, single-line rendering of a known, non-secret value."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, str):
        text = repr(value)
    else:
        text = repr(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def set_path(tree: dict, path: str, value: Any) -> dict:
    """Set `path` in a copy of `tree`, creating objects on the way and keeping a secret marker in place."""
    parts = _split(path)
    root = _copy(tree)
    node: Any = root
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        holder = node
        if isinstance(holder, list):
            idx = int(part)
            while len(holder) <= idx:
                holder.append({})
            key: Any = idx
            current = holder[idx]
        else:
            key = part
            current = holder.get(part)
        if last:
            holder[key] = Secret(value) if isinstance(current, Secret) else value
            break
        if isinstance(current, Secret):
            inner = current.value if isinstance(current.value, (dict, list)) else {}
            current = Secret(inner)
            holder[key] = current
            node = inner
        elif isinstance(current, (dict, list)):
            node = current
        else:
            node = [] if parts[i + 1].isdigit() else {}
            holder[key] = node
    return root


def _copy(value: Any) -> Any:
    if isinstance(value, Secret):
        return Secret(_copy(value.value))
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


def tags_of(props: Props) -> dict[str, str]:
    """The resource's tags (`tags`, else `tagsAll`), known string values only (plaintext: for matching)."""
    return secret_tags_of(props)[0]


def secret_tags_of(props: Props) -> tuple[dict[str, str], frozenset]:
    """(tags as in `tags_of`, the keys whose value arrived as a secret, or the whole map did)."""
    for key in ("tags", "tagsAll"):
        raw = props.raw().get(key) if isinstance(props.raw(), Mapping) else None
        whole_secret = False
        while isinstance(raw, Secret):
            raw, whole_secret = raw.value, True
        if isinstance(raw, dict):
            plain, secret_keys = {}, set()
            for k, v in raw.items():
                secret = whole_secret
                while isinstance(v, Secret):
                    v, secret = v.value, True
                if isinstance(v, str) and not is_unknown(v):
                    plain[str(k)] = v
                    if secret:
                        secret_keys.add(str(k))
            return plain, frozenset(secret_keys)
    return {}, frozenset()


def region_of(props: Props, provider_props: Optional[Props]) -> Optional[str]:
    """The resource's region: its own `region` input (pulumi-aws 7), else its provider's `region`."""
    for source in (props, provider_props):
        if source is None:
            continue
        region = source.peek("region")
        if region is UNKNOWN:
            return None
        if isinstance(region, str) and region:
            return region
    return None


def sequence(value: Any) -> Sequence:
    return value if isinstance(value, list) else ([] if value is None else [value])
