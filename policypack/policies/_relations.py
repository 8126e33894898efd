"""Relations between resources of a stack, shared by the conformance policies: "the resources whose `prop`
names this resource". Each relation is indexed once per stack (O(n)), then answered per resource.

A reference is placed through the engine's propertyDependencies (so an unknown name at preview still
resolves), else by a literal name or ARN. A referrer whose value is unknown and that has no dependency is
"unplaced": when nothing else matches, the answer truly depends on it and `Unknown` is raised.
"""
from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from policypack.values import UNKNOWN, Unknown


def memo(stack, key: Any, builder: Callable[[], Any]) -> Any:
    """`builder()` once per stack and key (uses the stack's own memo when the mechanism provides one)."""
    own = getattr(stack, "memo", None)
    if callable(own):
        return own(key, builder)
    cache = stack.__dict__.setdefault("_conformance_memo", {})
    if key not in cache:
        cache[key] = builder()
    return cache[key]


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _index(stack, types: Sequence[str], prop: str):
    by_urn: dict[str, list] = {}
    by_value: dict[str, list] = {}
    unplaced: list = []
    for other in stack.of_type(types):
        feeding = other.property_dependency_urns.get(prop.split(".")[0]) or []
        for urn in feeding:
            by_urn.setdefault(urn, []).append(other)
        value = other.props.peek(prop)
        if value is UNKNOWN:
            if not feeding:
                unplaced.append(other)
            continue
        for text in _strings(value):
            by_value.setdefault(text.strip().lower(), []).append(other)
    return by_urn, by_value, unplaced


def names_of(resource, keys: Iterable[str]) -> set[str]:
    """The known names other resources may use for `resource` (lower case): the values of `keys`."""
    names = set()
    for key in keys:
        for text in _strings(resource.props.peek(key)):
            if text.strip():
                names.add(text.strip().lower())
    return names


def referrers(resource, stack, types: Sequence[str], prop: str, names: Iterable[str] = ()) -> list:
    """Resources of `types` whose `prop` refers to `resource`: by propertyDependencies or by one of `names`
    (lower case). Raises Unknown when none matches and one is unplaced."""
    by_urn, by_value, unplaced = memo(stack, ("referrers", tuple(types), prop), lambda: _index(stack, types, prop))
    found = list(by_urn.get(resource.urn, []))
    for name in names:
        found += [r for r in by_value.get(name, []) if r not in found]
    if not found and unplaced:
        raise Unknown(prop)
    return found


def _by_name(stack, types: Sequence[str], keys: Sequence[str]) -> dict[str, list]:
    index: dict[str, list] = {}
    for candidate in stack.of_type(types):
        for name in names_of(candidate, keys):
            index.setdefault(name, []).append(candidate)
    return index


def referenced(resource, stack, prop: str, types: Sequence[str], keys: Sequence[str] = ("id",)) -> list:
    """The resources of `types` that `resource`'s `prop` names: by propertyDependencies, else by literal value
    matched against each candidate's `keys` (lower case). Raises Unknown when `prop` is unknown and has no
    dependency of those types."""
    found = [r for r in resource.depends_on_prop(prop.split(".")[0]) if r.type in types]
    if found:
        return found
    value = resource.props.peek(prop)
    if value is UNKNOWN:
        raise Unknown(prop)
    index = memo(stack, ("by-name", tuple(types), tuple(keys)), lambda: _by_name(stack, types, keys))
    for text in _strings(value):
        found += [r for r in index.get(text.strip().lower(), []) if r not in found]
    return found


def any_of_type(stack, types: Sequence[str]) -> list:
    """The stack's resources of `types` (one scan per stack and type set)."""
    return memo(stack, ("of-type", tuple(types)), lambda: stack.of_type(types))
