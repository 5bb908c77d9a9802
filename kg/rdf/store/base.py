"""The one interface every store backend implements.

Terms are rdflib terms (URIRef, Literal); blank nodes are never written by kg, so two
builds of the same input give the same quads in any backend. Queries see the union of
all named graphs as their default graph: each article's statements live in their own
named graph, and a question about "the graph" means all of them together.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from typing import Literal as TypingLiteral

from rdflib.term import Identifier, Literal, URIRef

__all__ = ["Quad", "Triple", "QueryResult", "Store", "RDF_FORMATS", "DEFAULT_GRAPH"]

Triple = tuple[Identifier, Identifier, Identifier]
# The graph is None for a quad of the default graph (kg itself writes only named graphs).
Quad = tuple[Identifier, Identifier, Identifier, URIRef | None]

# kg's names for the RDF serialisations it reads and writes.
RDF_FORMATS = ("turtle", "nt", "nquads", "trig", "jsonld")

#: the named graph that triples loaded without a graph go to (in the oxigraph and sparql
#: backends the default graph is the union of the named graphs, so nothing is written there)
DEFAULT_GRAPH = URIRef("https://w3id.org/aikg/id/graph/default")


@dataclass
class QueryResult:
    """A SPARQL result: SELECT rows, an ASK boolean, or CONSTRUCT/DESCRIBE triples."""

    kind: TypingLiteral["select", "ask", "graph"]
    variables: list[str] = field(default_factory=list)
    rows: list[tuple[Identifier | None, ...]] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[Triple] = field(default_factory=list)
    #: True when rows/triples were cut at the ``max_rows`` the query was run with
    truncated: bool = False

    def __len__(self) -> int:
        return len(self.rows) if self.kind == "select" else len(self.triples)


class Store(ABC):
    """A quad store. Writes are atomic per call: a crash leaves all or none of a batch."""

    #: the URL-like location this store was opened from, e.g. ``oxigraph:./kg-store``
    url: str

    # -- writing -------------------------------------------------------------------
    @abstractmethod
    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[Triple]]) -> None:
        """In one transaction, empty each named graph and fill it with its triples.

        This is the write path of ``kg build``: an article's contribution is its own
        graph, so re-ingesting a changed article replaces exactly what it said before.
        """

    @abstractmethod
    def drop_graphs(self, graphs: Iterable[URIRef]) -> None:
        """In one transaction, remove every quad of these named graphs."""

    @abstractmethod
    def update(self, sparql: str) -> None:
        """Run a SPARQL 1.1 Update."""

    @abstractmethod
    def load(self, source: Path | IO[bytes], format: str, graph: URIRef | None = None) -> int:
        """Bulk-load a file in one of RDF_FORMATS (triples go to ``graph``); returns quads added."""

    # -- reading -------------------------------------------------------------------
    @abstractmethod
    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Identifier] | None = None,
        timeout: float | None = None,
        *,
        max_rows: int | None = None,
    ) -> QueryResult:
        """Run a SPARQL 1.1 query over the union of all graphs.

        ``bindings`` pre-bind variables (without ``?``) to RDF terms; values are never
        pasted into the query text by the caller. ``timeout`` (seconds) raises QueryError
        when exceeded. ``max_rows`` keeps at most that many rows/triples and sets
        ``truncated`` on the result when more were there.
        """

    @abstractmethod
    def quads(self, graph: URIRef | None = None) -> Iterator[Quad]:
        """Every quad, or those of one named graph."""

    @abstractmethod
    def graphs(self) -> set[URIRef]:
        """The names of all non-empty named graphs."""

    def count(self, graph: URIRef | None = None) -> int:
        """Number of quads (in one graph, or in all)."""
        return sum(1 for _ in self.quads(graph))

    @abstractmethod
    def dump(self, out: Path | IO[bytes], format: str) -> None:
        """Write every quad (``nquads``, ``trig``) or the union's triples (``turtle``, ``nt``,
        ``jsonld``) to ``out``."""

    # -- lifecycle -----------------------------------------------------------------
    def close(self) -> None:  # noqa: B027 - optional hook
        """Release files and connections."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.url}>"


def literal_value(term: Identifier | None) -> object:
    """A Python value for a result cell (numbers, dates, strings), None for unbound."""
    if term is None:
        return None
    if isinstance(term, Literal):
        return term.toPython()
    return str(term)
