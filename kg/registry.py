"""A small plugin registry, in the manner of rdflib's plugin registry and spaCy's catalogue.

Extension points (extractors, store backends, ingest formats) are registries: built-in
implementations register themselves by name when their module is imported, third-party
packages register through the ``kg.<registry>`` entry-point group, and users can call
``registry.register(name, factory)`` at run time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from importlib.metadata import entry_points
from typing import Generic, TypeVar

from kg.errors import ConfigError

__all__ = ["Registry"]

T = TypeVar("T")


class Registry(Generic[T]):
    """Names mapped to factories; lookups fall back to installed entry points."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self._items: dict[str, T] = {}
        self._entry_points_loaded = False

    def register(self, name: str, item: T | None = None) -> T | Callable[[T], T]:
        """Register ``item`` under ``name``; without ``item``, works as a decorator."""
        if item is None:

            def decorator(obj: T) -> T:
                self._items[name] = obj
                return obj

            return decorator
        self._items[name] = item
        return item

    def _load_entry_points(self) -> None:
        if self._entry_points_loaded:
            return
        self._entry_points_loaded = True
        for ep in entry_points(group=f"kg.{self.kind}"):
            self._items.setdefault(ep.name, ep.load())

    def get(self, name: str) -> T:
        if name not in self._items:
            self._load_entry_points()
        try:
            return self._items[name]
        except KeyError:
            known = ", ".join(sorted(self._items)) or "none"
            raise ConfigError(f"unknown {self.kind} {name!r}; known: {known}") from None

    def names(self) -> list[str]:
        self._load_entry_points()
        return sorted(self._items)

    def __contains__(self, name: object) -> bool:
        self._load_entry_points()
        return name in self._items

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())
