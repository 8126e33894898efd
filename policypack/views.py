"""What a policy function receives: one resource (`ResourceView`) or one resource within its stack
(`StackResource` + `StackView`), built from the wire or from plain test data."""
from __future__ import annotations

import copy
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, TypeVar

from .values import Props, region_of, secret_tags_of, secret_texts, unwrap

T = TypeVar("T")


class ResourceView:
    """A resource as a policy sees it: type, names, properties, region, the policy's config."""

    def __init__(self, type: str, name: str, urn: str, props: Any, *, provider_props: Any = None,
                 config: Optional[Mapping[str, Any]] = None) -> None:
        self.type = type
        self.name = name
        self.urn = urn
        self.props = props if isinstance(props, Props) else Props(unwrap(props))
        self.provider_props = (provider_props if isinstance(provider_props, Props) or provider_props is None
                               else Props(unwrap(provider_props)))
        self.config: Mapping[str, Any] = dict(config or {})
        self.region = region_of(self.props, self.provider_props)
        self.tags, self.secret_tag_keys = secret_tags_of(self.props)
        self._secrets: Optional[frozenset] = None

    def with_config(self, config: Mapping[str, Any]) -> "ResourceView":
        """The same resource seen by another policy (a shallow copy carrying that policy's config)."""
        view = copy.copy(self)
        view.config = config
        return view

    @property
    def secrets(self) -> frozenset:
        """Every secret plaintext of this resource and its provider (what no message may show)."""
        if self._secrets is None:
            found = secret_texts(self.props.raw())
            if self.provider_props is not None:
                secret_texts(self.provider_props.raw(), found=found)
            self._secrets = frozenset(found)
        return self._secrets

    def __repr__(self) -> str:
        return f"<{self.type} {self.name}>"


class StackResource(ResourceView):
    """A resource inside a stack: its outputs plus how it is wired to the others."""

    def __init__(self, type: str, name: str, urn: str, props: Any, *, provider_props: Any = None,
                 config: Optional[Mapping[str, Any]] = None, parent_urn: Optional[str] = None,
                 dependency_urns: Sequence[str] = (), property_dependency_urns: Optional[Mapping[str, Sequence[str]]] = None,
                 ) -> None:
        super().__init__(type, name, urn, props, provider_props=provider_props, config=config)
        self.parent_urn = parent_urn
        self.dependency_urns = list(dependency_urns)
        self.property_dependency_urns = {k: list(v) for k, v in (property_dependency_urns or {}).items()}
        self.stack: Optional[StackView] = None

    @property
    def config(self) -> Mapping[str, Any]:
        """The running policy's config: the stack's while inside one, else the resource's own."""
        return self.stack.config if self.stack is not None and self.stack.config is not None else self._config

    @config.setter
    def config(self, value: Mapping[str, Any]) -> None:
        self._config = value

    def depends_on_prop(self, prop: str) -> list["StackResource"]:
        """The resources that feed property `prop` (from the engine's propertyDependencies)."""
        assert self.stack is not None
        return [r for u in self.property_dependency_urns.get(prop, []) if (r := self.stack.by_urn.get(u))]

    @property
    def dependencies(self) -> list["StackResource"]:
        assert self.stack is not None
        return [r for u in self.dependency_urns if (r := self.stack.by_urn.get(u))]

    @property
    def dependents(self) -> list["StackResource"]:
        """Resources that depend on this one, through any property or explicit dependency."""
        assert self.stack is not None
        return self.stack.dependents_of(self.urn)


class StackView:
    """Every resource of the stack, indexed once: by URN, by type, and by who references whom.

    Built once per AnalyzeStack request and shared by every stack policy. Cross-resource lookups that several
    resources need (the configurations of each bucket, the rules of each security group, ...) are built once
    per stack through `memo`, so that no stack policy grows faster than n log n with the stack.
    """

    def __init__(self, resources: Iterable[StackResource]) -> None:
        self.resources = list(resources)
        self.config: Optional[Mapping[str, Any]] = None  # set by the mechanism for the running policy
        self.by_urn = {r.urn: r for r in self.resources}
        self._by_type: dict[str, list[StackResource]] = {}
        self._position: dict[str, int] = {}
        self._dependents: dict[str, list[StackResource]] = {}
        self._memo: dict[Any, Any] = {}
        self._secrets: Optional[frozenset] = None
        for i, r in enumerate(self.resources):
            r.stack = self
            self._position[r.urn] = i
            self._by_type.setdefault(r.type, []).append(r)
            seen = set(r.dependency_urns)
            for urns in r.property_dependency_urns.values():
                seen.update(urns)
            for u in seen:
                self._dependents.setdefault(u, []).append(r)

    def of_type(self, types: Sequence[str]) -> list[StackResource]:
        """The resources of `types`, in stack order (an index lookup, not a scan)."""
        if isinstance(types, str):
            types = (types,)
        lists = [self._by_type[t] for t in dict.fromkeys(types) if t in self._by_type]
        if not lists:
            return []
        if len(lists) == 1:
            return list(lists[0])
        merged = [r for group in lists for r in group]
        merged.sort(key=lambda r: self._position[r.urn])
        return merged

    def in_order(self, resources: Iterable[StackResource]) -> list[StackResource]:
        """`resources` in stack (construction) order, so that messages come out deterministic."""
        return sorted(resources, key=lambda r: self._position.get(r.urn, -1))

    def dependents_of(self, urn: str) -> list[StackResource]:
        return list(self._dependents.get(urn, []))

    def referencing(self, resource: StackResource, types: Sequence[str], prop: Optional[str] = None
                    ) -> list[StackResource]:
        """Resources of `types` that reference `resource` (through `prop` when given)."""
        found = []
        for r in self._dependents.get(resource.urn, ()):
            if r.type not in types:
                continue
            if prop is None or resource.urn in r.property_dependency_urns.get(prop, []):
                found.append(r)
        return found

    def memo(self, key: Any, build: Callable[[], T]) -> T:
        """A per-stack value built once (on first use) and shared by every policy and resource."""
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = build()
            return value

    @property
    def secrets(self) -> frozenset:
        """Every secret plaintext anywhere in the stack: a stack policy may mention other resources."""
        if self._secrets is None:
            found: set = set()
            for r in self.resources:
                found.update(r.secrets)
            self._secrets = frozenset(found)
        return self._secrets

    def release(self) -> None:
        """Break the resource <-> stack cycles, so that reference counting frees the view at once (without
        waiting for the cycle collector to walk a 10k-resource heap)."""
        for r in self.resources:
            r.stack = None
        self._memo.clear()
        self._dependents.clear()
        self._by_type.clear()
