"""Store backends behind one interface, chosen by a URL-like location.

``oxigraph:PATH`` (default, on disk), ``memory:`` (rdflib in memory), ``sparql:URL``
(any SPARQL 1.1 Query + Update endpoint). A plain path means ``oxigraph:PATH``.
Backends are a registry: ``backends.register("myscheme", factory)`` adds one, where
``factory(location: str, url: str) -> Store``.
"""

from __future__ import annotations

from collections.abc import Callable

from kg.rdf.store.base import RDF_FORMATS, Quad, QueryResult, Store, Triple, literal_value
from kg.registry import Registry

__all__ = ["Store", "QueryResult", "Quad", "Triple", "RDF_FORMATS", "backends", "open_store",
           "literal_value"]

backends: Registry[Callable[[str, str], Store]] = Registry("store backend")


def _memory(location: str, url: str) -> Store:
    from kg.rdf.store.memory import MemoryStore

    return MemoryStore(url)


backends.register("memory", _memory)


def open_store(url: str) -> Store:
    """Open the store at ``url`` (``scheme:location``; a plain path means oxigraph)."""
    scheme, sep, location = url.partition(":")
    if not sep or len(scheme) == 1 or scheme not in backends:  # "C:\\..." or a plain path
        scheme, location, url = "oxigraph", url, f"oxigraph:{url}"
    return backends.get(scheme)(location, url)
