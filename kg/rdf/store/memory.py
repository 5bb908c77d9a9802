"""``memory:`` - rdflib's in-memory Dataset. Small graphs, tests, and no files on disk."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

from rdflib import Dataset, Graph
from rdflib.term import Identifier, URIRef

from kg.errors import QueryError, StoreError
from kg.rdf.store._timeout import collect
from kg.rdf.store.base import DEFAULT_GRAPH, Quad, QueryResult, Store, Triple
from kg.rdf.store.files import RDFLIB_FORMATS, check_format
from kg.rdf.store.terms import check_variable

__all__ = ["MemoryStore"]


class MemoryStore(Store):
    """A Dataset whose default graph, for queries, is the union of the named graphs."""

    def __init__(self, url: str = "memory:") -> None:
        self.url = url
        self.dataset = Dataset(default_union=True)
        self._default = self.dataset.default_graph.identifier

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[Triple]]) -> None:
        # Materialise every iterable first: a failing generator then changes nothing.
        staged = {URIRef(name): list(triples) for name, triples in graphs.items()}
        for name, triples in staged.items():
            self.dataset.remove_graph(name)
            g = self.dataset.graph(name)
            g.addN((s, p, o, g) for s, p, o in triples)

    def drop_graphs(self, graphs: Iterable[URIRef]) -> None:
        for name in list(graphs):
            self.dataset.remove_graph(URIRef(name))

    def update(self, sparql: str) -> None:
        try:
            self.dataset.update(sparql)
        except Exception as e:  # rdflib raises pyparsing and plain exceptions
            raise QueryError(f"SPARQL update failed: {e}") from None

    def load(self, source: Path | IO[bytes], format: str, graph: URIRef | None = None) -> int:
        name = check_format(format)
        fmt = RDFLIB_FORMATS[name]
        before = self.count()
        src = str(source) if isinstance(source, Path) else source
        try:
            if name in ("nquads", "trig", "jsonld"):
                # quads without a graph name go to DEFAULT_GRAPH, as in the other backends
                staged = Dataset()
                staged.parse(src, format=fmt)
                target = URIRef(graph or DEFAULT_GRAPH)
                for s, p, o, g in staged.quads((None, None, None, None)):
                    gid = g.identifier if isinstance(g, Graph) else g
                    name_ = target if gid == staged.default_graph.identifier else gid
                    self.dataset.graph(URIRef(name_)).add((s, p, o))
            else:
                self.dataset.graph(URIRef(graph or DEFAULT_GRAPH)).parse(src, format=fmt)
        except Exception as e:  # rdflib's parsers raise many unrelated types
            raise StoreError(f"cannot parse {source} as {format}: {e}") from None
        return self.count() - before

    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Identifier] | None = None,
        timeout: float | None = None,
        *,
        max_rows: int | None = None,
    ) -> QueryResult:
        init = {check_variable(k): v for k, v in (bindings or {}).items()}
        kind: dict[str, object] = {}

        def produce() -> Iterator[object]:
            result = self.dataset.query(sparql, initBindings=init)
            kind["type"] = result.type
            if result.type == "SELECT":
                kind["vars"] = [str(v) for v in result.vars or []]
                return (tuple(row) for row in result)
            if result.type == "ASK":
                return iter([bool(result.askAnswer)])
            return iter(result.graph)

        limit = max_rows + 1 if max_rows is not None else None
        try:
            items = collect(produce, timeout, limit)
        except QueryError:
            raise
        except Exception as e:
            raise QueryError(f"SPARQL query failed: {e}") from None
        truncated = max_rows is not None and len(items) > max_rows
        if truncated:
            del items[max_rows:]
        if kind["type"] == "SELECT":
            return QueryResult("select", kind["vars"], items, truncated=truncated)  # type: ignore[arg-type]
        if kind["type"] == "ASK":
            return QueryResult("ask", boolean=bool(items[0]))
        return QueryResult("graph", triples=items, truncated=truncated)  # type: ignore[arg-type]

    def quads(self, graph: URIRef | None = None) -> Iterator[Quad]:
        contexts = [self.dataset.graph(URIRef(graph))] if graph is not None \
            else list(self.dataset.graphs())
        for g in contexts:
            name = None if g.identifier == self._default else URIRef(g.identifier)
            for s, p, o in g:
                yield (s, p, o, name)

    def graphs(self) -> set[URIRef]:
        return {URIRef(g.identifier) for g in self.dataset.graphs()
                if g.identifier != self._default and len(g)}

    def count(self, graph: URIRef | None = None) -> int:
        if graph is not None:
            return len(self.dataset.graph(URIRef(graph)))
        return sum(len(g) for g in self.dataset.graphs())

    def dump(self, out: Path | IO[bytes], format: str) -> None:
        name = check_format(format)
        fmt = RDFLIB_FORMATS[name]
        dest = str(out) if isinstance(out, Path) else out
        if name in ("nquads", "trig"):
            self.dataset.serialize(destination=dest, format=fmt)
        else:
            union = Graph()
            for s, p, o, _ in self.quads():
                union.add((s, p, o))
            union.serialize(destination=dest, format=fmt)
