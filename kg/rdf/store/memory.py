"""``memory:`` - rdflib's in-memory Dataset. Small graphs, tests, and no files on disk."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

from rdflib import Dataset, Graph
from rdflib.term import Identifier, URIRef

from kg.errors import QueryError
from kg.rdf.store.base import Quad, QueryResult, Store, Triple

__all__ = ["MemoryStore"]

_RDFLIB_FORMATS = {"turtle": "turtle", "nt": "nt", "nquads": "nquads", "trig": "trig",
                   "jsonld": "json-ld"}


class MemoryStore(Store):
    """A Dataset whose default graph, for queries, is the union of the named graphs."""

    def __init__(self, url: str = "memory:") -> None:
        self.url = url
        self.dataset = Dataset(default_union=True)

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[Triple]]) -> None:
        staged = {name: list(triples) for name, triples in graphs.items()}
        for name, triples in staged.items():
            self.dataset.remove_graph(self.dataset.graph(name))
            g = self.dataset.graph(name)
            for t in triples:
                g.add(t)

    def drop_graphs(self, graphs: Iterable[URIRef]) -> None:
        for name in list(graphs):
            self.dataset.remove_graph(self.dataset.graph(name))

    def update(self, sparql: str) -> None:
        try:
            self.dataset.update(sparql)
        except Exception as e:  # rdflib raises pyparsing and plain exceptions
            raise QueryError(f"SPARQL update failed: {e}") from None

    def load(self, source: Path | IO[bytes], format: str, graph: URIRef | None = None) -> int:
        before = self.count()
        fmt = _RDFLIB_FORMATS[format]
        if format in ("nquads", "trig"):
            self.dataset.parse(source, format=fmt)
        else:
            target = self.dataset.graph(graph) if graph is not None else self.dataset.default_graph
            target.parse(source, format=fmt)
        return self.count() - before

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Identifier] | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        try:
            result = self.dataset.query(sparql, initBindings=dict(bindings or {}))
        except Exception as e:
            raise QueryError(f"SPARQL query failed: {e}") from None
        if result.type == "SELECT":
            variables = [str(v) for v in result.vars]
            return QueryResult("select", variables, [tuple(row) for row in result])
        if result.type == "ASK":
            return QueryResult("ask", boolean=bool(result.askAnswer))
        return QueryResult("graph", triples=list(result.graph))

    def quads(self, graph: URIRef | None = None) -> Iterator[Quad]:
        for s, p, o, g in self.dataset.quads((None, None, None, graph)):
            name = g.identifier if isinstance(g, Graph) else g
            if graph is None or name == graph:
                yield (s, p, o, name)

    def graphs(self) -> set[URIRef]:
        return {g.identifier for g in self.dataset.graphs() if len(g)
                and g.identifier != self.dataset.default_graph.identifier}

    def dump(self, out: Path | IO[bytes], format: str) -> None:
        fmt = _RDFLIB_FORMATS[format]
        if format in ("nquads", "trig"):
            self.dataset.serialize(destination=out, format=fmt)
        else:
            union = Graph()
            for s, p, o, _ in self.quads():
                union.add((s, p, o))
            union.serialize(destination=out, format=fmt)
