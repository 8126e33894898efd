"""Relations between resources of one stack, shared by the stack policies (one place per relation).

Every relation is built once per stack into dicts (O(n) in the stack's size) and memoised on the stack
object, so a policy that runs once per resource looks its partners up in O(1). Standard library only.

A resource B "refers to" a resource A through B's property `prop` when the engine's propertyDependencies say
B.prop is fed by A (this places B even when the value is unknown at preview), or when B.prop holds one of A's
identifiers (its name, id or ARN: a literal written in the program, or an output of another stack). A name is
unique only within a Region (except in the global namespaces: IAM, S3 bucket names, ...), so a match by value
also needs both resources in the same Region (`same_region`); a dependency needs nothing more.
"""
from __future__ import annotations

import functools
from typing import Any, Callable, Iterable, Sequence

from .. import data
from ..values import UNKNOWN, Unknown, is_unknown

def memo(stack, key: Any, build: Callable[[], Any]) -> Any:
    """`build()` once per stack and key (`StackView.memo`)."""
    return stack.memo(key, build)


@functools.cache
def _global_prefixes() -> tuple[str, ...]:
    return tuple(data.load("conformance.json")["global_name_namespaces"]["prefixes"])


def same_region(a, b) -> bool:
    """Whether a name held by one of `a`, `b` can denote the other: always when `b` (the named resource) is in
    a global namespace, else when both are in the same Region. An unknown Region does not separate them."""
    if b.type.startswith(_global_prefixes()) or a.type.startswith(_global_prefixes()):
        return True
    return a.region is None or b.region is None or a.region == b.region


def texts(value: Any) -> list:
    """The strings in a value-or-list field; an unknown element stays `UNKNOWN`."""
    items = value if isinstance(value, list) else [value]
    return [UNKNOWN if is_unknown(v) else v for v in items if isinstance(v, str) or v is UNKNOWN]


class Referrers:
    """Resources of some types, indexed by what their property `prop` refers to."""

    def __init__(self, stack, types: Sequence[str], prop: str, *, fold_case: bool = False) -> None:
        self.fold_case = fold_case
        self.by_urn: dict[str, list] = {}
        self.by_value: dict[str, list] = {}
        self.unplaced: list = []  # candidates whose `prop` is unknown and fed by nothing we can name
        for other in stack.of_type(types):
            # a nested property (`accessLogs.bucket`) is fed through its top-level property
            feeding = other.property_dependency_urns.get(prop.split(".")[0]) or []
            for urn in feeding:
                self.by_urn.setdefault(urn, []).append(other)
            if feeding:
                continue  # the engine says what feeds it: a name that merely reads the same is another resource's
            values = texts(other.props.peek(prop))
            if UNKNOWN in values:
                self.unplaced.append(other)
            for value in values:
                if value is not UNKNOWN:
                    self.by_value.setdefault(self._key(value), []).append(other)

    def _key(self, value: str) -> str:
        return value.strip().lower() if self.fold_case else value

    def of(self, target, identifiers: Iterable[str]) -> list:
        """The referrers of `target` (by dependency or by one of its known `identifiers`), in stack order.
        Raises Unknown when none is found but some candidate could not be placed."""
        found = {id(r): r for r in self.by_urn.get(target.urn, [])}
        for ident in identifiers:
            for r in self.by_value.get(self._key(ident), []):
                if same_region(r, target):
                    found.setdefault(id(r), r)
        if not found and self.unplaced:
            raise Unknown("a referring resource's target")
        return list(found.values())


def identifiers(resource, keys: Sequence[str] = ("name", "id", "arn")) -> set[str]:
    """The known names other resources may use for `resource` (unknown ones are skipped)."""
    found = set()
    for key in keys:
        value = resource.props.peek(key)
        if isinstance(value, str) and value:
            found.add(value)
    return found


def referrers(stack, target, types: Sequence[str], prop: str, keys: Sequence[str] = ("name", "id", "arn"),
              *, fold_case: bool = False) -> list:
    """Resources of `types` whose `prop` refers to `target` (see the module docstring)."""
    index = memo(stack, ("referrers", tuple(types), prop, fold_case),
                 lambda: Referrers(stack, types, prop, fold_case=fold_case))
    return index.of(target, identifiers(target, keys))


def fed_by(resource, prop: str, types: Sequence[str]) -> list:
    """The resources of `types` that feed `resource`'s property `prop` (propertyDependencies)."""
    return [r for r in resource.depends_on_prop(prop) if r.type in types]


def co_referrers(stack, resource, prop: str, types: Sequence[str], other_prop: str, *,
                 fold_case: bool = False) -> list:
    """Resources of `types` whose `other_prop` refers to what `resource.prop` refers to (a stage and the
    integrations of its REST API, say), by a shared feeding resource or an equal known value."""
    index = memo(stack, ("referrers", tuple(types), other_prop, fold_case),
                 lambda: Referrers(stack, types, other_prop, fold_case=fold_case))
    feeding = resource.property_dependency_urns.get(prop) or []
    values = texts(resource.props.peek(prop))
    found = {}
    for urn in feeding:
        for r in index.by_urn.get(urn, []):
            found.setdefault(id(r), r)
    for value in values:
        if value is not UNKNOWN:
            for r in index.by_value.get(index._key(value), []):
                if same_region(resource, r):
                    found.setdefault(id(r), r)
    if not found and ((UNKNOWN in values and not feeding) or index.unplaced):
        raise Unknown(prop)
    return list(found.values())


def names_of(resource, keys: Iterable[str]) -> set[str]:
    """The known names other resources may use for `resource`, folded (stripped, lower case): the values
    of `keys`, each a value or a list."""
    names = set()
    for key in keys:
        for text in texts(resource.props.peek(key)):
            if text is not UNKNOWN and text.strip():
                names.add(text.strip().lower())
    return names


def referrers_named(resource, stack, types: Sequence[str], prop: str, names: Iterable[str] = ()) -> list:
    """Resources of `types` whose `prop` refers to `resource` by propertyDependencies or by one of `names`
    (compared folded); raises Unknown when none matches and one could not be placed."""
    index = memo(stack, ("referrers", tuple(types), prop, True),
                 lambda: Referrers(stack, types, prop, fold_case=True))
    return index.of(resource, names)


def referenced(resource, stack, prop: str, types: Sequence[str], keys: Sequence[str] = ("id",)) -> list:
    """The resources of `types` that `resource`'s `prop` names: by propertyDependencies, else by literal value
    matched (folded) against each candidate's `keys`. Raises Unknown when `prop` is unknown and has no
    dependency of those types."""
    found = fed_by(resource, prop.split(".")[0], types)
    if found:
        return found
    value = resource.props.peek(prop)
    if value is UNKNOWN:
        raise Unknown(prop)

    def by_name() -> dict[str, list]:
        index: dict[str, list] = {}
        for candidate in stack.of_type(types):
            for name in names_of(candidate, keys):
                index.setdefault(name, []).append(candidate)
        return index

    index = memo(stack, ("by-name", tuple(types), tuple(keys)), by_name)
    for text in texts(value):
        if text is not UNKNOWN:
            found += [r for r in index.get(text.strip().lower(), []) if r not in found and same_region(resource, r)]
    return found
