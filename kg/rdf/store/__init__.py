"""Store backends behind one interface, chosen by a URL-like location.

``oxigraph:PATH`` (default, on disk; ``oxigraph:`` alone is an in-memory Oxigraph),
``memory:`` (rdflib in memory), ``sparql:URL`` (any SPARQL 1.1 Query + Update endpoint;
options ``?update=URL`` and ``&auth=digest|basic``, credentials from KG_SPARQL_USER /
KG_SPARQL_PASSWORD only). A plain path means ``oxigraph:PATH``.
Backends are a registry: ``backends.register("myscheme", factory)`` adds one, where
``factory(location: str, url: str) -> Store``; a factory that also accepts a ``create``
keyword is told whether a missing store may be created.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable

from kg.rdf.store._timeout import QueryTimeout
from kg.rdf.store.base import RDF_FORMATS, Quad, QueryResult, Store, Triple, literal_value
from kg.rdf.store.files import guess_format, import_file
from kg.registry import Registry

__all__ = ["Store", "QueryResult", "Quad", "Triple", "RDF_FORMATS", "backends", "open_store",
           "literal_value", "import_file", "guess_format", "QueryTimeout"]

backends: Registry[Callable[..., Store]] = Registry("store backend")


def _memory(location: str, url: str, create: bool = True) -> Store:
    from kg.rdf.store.memory import MemoryStore

    return MemoryStore(url)


def _oxigraph(location: str, url: str, create: bool = True) -> Store:
    from kg.rdf.store.oxigraph import OxigraphStore

    return OxigraphStore(location or None, url, create=create)


def _sparql(location: str, url: str, create: bool = True) -> Store:
    from kg.rdf.store.sparql import SparqlStore

    return SparqlStore(location, url, create=create)


backends.register("memory", _memory)
backends.register("oxigraph", _oxigraph)
backends.register("sparql", _sparql)


def open_store(url: str, create: bool = True) -> Store:
    """Open the store at ``url`` (``scheme:location``; a plain path means oxigraph).

    With ``create=False`` (read-only commands) a missing store raises
    StoreNotFoundError instead of silently creating an empty one at a mistyped path.
    """
    scheme, sep, location = url.partition(":")
    if not sep or len(scheme) == 1 or scheme not in backends:  # "C:\\..." or a plain path
        scheme, location, url = "oxigraph", url, f"oxigraph:{url}"
    factory = backends.get(scheme)
    try:
        accepts_create = "create" in inspect.signature(factory).parameters
    except (TypeError, ValueError):  # builtins without a signature
        accepts_create = False
    if accepts_create:
        return factory(location, url, create=create)
    return factory(location, url)
