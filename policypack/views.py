"""What a policy function receives: one resource (`ResourceView`) or one resource within its stack
(`StackResource` + `StackView`), built from the wire or from plain test data."""
from __future__ import annotations

import copy
import functools
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, TypeVar

from .values import Props, region_of, secret_tags_of, secret_texts, unwrap

T = TypeVar("T")


class _Shared:
    """Values of one resource computed on first use and shared by every policy's copy of its view."""

    __slots__ = ("load", "props", "provider_props", "region", "tags", "secrets", "on_load")

    def __init__(self, load: Callable[[], tuple[Any, Any]]) -> None:
        self.load = load
        self.props: Optional[Props] = None
        self.provider_props: Optional[Props] = None
        self.region: Any = _UNSET
        self.tags: Optional[tuple[dict, frozenset]] = None
        self.secrets: Optional[frozenset] = None
        self.on_load: Optional[Callable[[], None]] = None

    def loaded(self) -> "_Shared":
        if self.props is None:
            props, provider = self.load()
            self.provider_props = (provider if isinstance(provider, Props) or provider is None
                                   else Props(unwrap(provider)))
            self.props = props if isinstance(props, Props) else Props(unwrap(props))
            if self.on_load is not None:
                self.on_load()
        return self


_UNSET = object()


class ResourceView:
    """A resource as a policy sees it: type, names, properties, region, the policy's config.

    `props` may be a property tree or a function returning (properties, provider properties): a stack view
    decodes a resource only when a policy first reads it (most resources of a large stack are never read by
    any stack policy), and computes region, tags and secrets once, on first use.
    """

    def __init__(self, type: str, name: str, urn: str, props: Any, *, provider_props: Any = None,
                 config: Optional[Mapping[str, Any]] = None) -> None:
        self.type = type
        self.name = name
        self.urn = urn
        self._shared = _Shared(props if callable(props) and not isinstance(props, (Props, Mapping))
                               else (lambda: (props, provider_props)))
        self.config: Mapping[str, Any] = dict(config or {})

    @property
    def props(self) -> Props:
        return self._shared.loaded().props

    @property
    def provider_props(self) -> Optional[Props]:
        return self._shared.loaded().provider_props

    @property
    def loaded(self) -> bool:
        """Whether a policy has read this resource (so that its values may appear in a message)."""
        return self._shared.props is not None

    @property
    def region(self) -> Optional[str]:
        shared = self._shared.loaded()
        if shared.region is _UNSET:
            shared.region = region_of(shared.props, shared.provider_props)
        return shared.region

    @property
    def tags(self) -> dict:
        return self._tags()[0]

    @property
    def secret_tag_keys(self) -> frozenset:
        return self._tags()[1]

    def _tags(self) -> tuple[dict, frozenset]:
        shared = self._shared.loaded()
        if shared.tags is None:
            shared.tags = secret_tags_of(shared.props)
        return shared.tags

    def with_config(self, config: Mapping[str, Any]) -> "ResourceView":
        """The same resource seen by another policy (a shallow copy carrying that policy's config)."""
        view = copy.copy(self)
        view.config = config
        return view

    @property
    def secrets(self) -> frozenset:
        """Every secret plaintext of this resource and its provider (what no message may show)."""
        shared = self._shared.loaded()
        if shared.secrets is None:
            found = secret_texts(shared.props.raw())
            if shared.provider_props is not None:
                secret_texts(shared.provider_props.raw(), found=found)
            shared.secrets = frozenset(found)
        return shared.secrets

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
        self._secrets: frozenset = frozenset()
        self._secret_set: set = set()
        self._unseen: list[StackResource] = []  # read since the secrets were last gathered
        for i, r in enumerate(self.resources):
            r.stack = self
            if r.loaded:
                self._unseen.append(r)
            else:
                r._shared.on_load = functools.partial(self._unseen.append, r)
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
        """Every secret plaintext of the resources read so far: a stack policy may mention any resource it
        read, and can only mention what it read (a resource is decoded on its first read)."""
        if self._unseen:
            for r in self._unseen:
                self._secret_set.update(r.secrets)
            self._unseen.clear()
            self._secrets = frozenset(self._secret_set)
        return self._secrets

    def release(self) -> None:
        """Break the resource <-> stack cycles, so that reference counting frees the view at once (without
        waiting for the cycle collector to walk a 10k-resource heap)."""
        for r in self.resources:
            r.stack = None
            r._shared.on_load = None
        self._memo.clear()
        self._unseen.clear()
        self._dependents.clear()
        self._by_type.clear()
