"""What a policy function receives: one resource (`ResourceView`) or one resource within its stack
(`StackResource` + `StackView`), built from the SDK's argument objects or from plain test data."""
from __future__ import annotations

import copy
from typing import Any, Iterable, Mapping, Optional, Sequence

from .values import Props, region_of, tags_of, unwrap


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
        self.tags = tags_of(self.props)

    def with_config(self, config: Mapping[str, Any]) -> "ResourceView":
        """The same resource seen by another policy (a shallow copy carrying that policy's config)."""
        view = copy.copy(self)
        view.config = config
        return view

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
    """Every resource of the stack, with lookups by URN and type and reverse dependencies."""

    def __init__(self, resources: Iterable[StackResource]) -> None:
        self.resources = list(resources)
        self.config: Optional[Mapping[str, Any]] = None  # set by the mechanism for the running policy
        self.by_urn = {r.urn: r for r in self.resources}
        self._dependents: dict[str, list[StackResource]] = {}
        for r in self.resources:
            r.stack = self
            seen = set(r.dependency_urns)
            for urns in r.property_dependency_urns.values():
                seen.update(urns)
            for u in seen:
                self._dependents.setdefault(u, []).append(r)

    def of_type(self, types: Sequence[str]) -> list[StackResource]:
        return [r for r in self.resources if r.type in types]

    def dependents_of(self, urn: str) -> list[StackResource]:
        return list(self._dependents.get(urn, []))

    def referencing(self, resource: StackResource, types: Sequence[str], prop: Optional[str] = None
                    ) -> list[StackResource]:
        """Resources of `types` that reference `resource` (through `prop` when given)."""
        found = []
        for r in self.dependents_of(resource.urn):
            if r.type not in types:
                continue
            if prop is None or resource.urn in r.property_dependency_urns.get(prop, []):
                found.append(r)
        return found
