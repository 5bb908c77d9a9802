"""``sparql:URL`` - any SPARQL 1.1 Query + Update endpoint over HTTP (Virtuoso, Fuseki ...).

``sparql:http://host:8890/sparql?update=http://host:8890/sparql-auth&auth=digest``

* queries are POSTed (form-encoded) to the endpoint URL; updates to ``?update=URL``, or, when
  credentials are set and the URL ends in ``/sparql`` (Virtuoso), to ``/sparql-auth``,
  otherwise to the endpoint URL itself;
* credentials come ONLY from the environment (KG_SPARQL_USER / KG_SPARQL_PASSWORD), never
  from the URL or the command line; ``auth=digest|basic`` (default: whatever the server asks);
* ``graphs=PREFIX`` limits ``graphs()``/``quads()``/``count()``/``dump()`` to graphs whose IRI
  starts with PREFIX (a shared server holds other data); without it Virtuoso's own system
  graphs are still left out;
* bound variables travel in a VALUES block of escaped N-Triples terms, never pasted text;
* writes are SPARQL Update ``INSERT DATA`` in batches of ``batch_size`` triples, and every
  bulk write is checked by counting afterwards: servers have been seen to answer "201/200"
  and keep only part of the data (Virtuoso's Graph Store upload kept ~88% of 1M triples),
  so the Graph Store Protocol is not used at all;
* blank nodes are written as skolem IRIs (``terms.GENID``): Virtuoso refuses them in
  INSERT DATA, and batches would split them anyway.

Atomicity is what the server gives one request: a graph of up to ``batch_size`` triples is
replaced by a single request; bigger ones take several, verified at the end.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from urllib.request import (
    HTTPBasicAuthHandler,
    HTTPDigestAuthHandler,
    HTTPPasswordMgrWithDefaultRealm,
    OpenerDirector,
    Request,
    build_opener,
)

import pyoxigraph as ox
from rdflib.namespace import XSD
from rdflib.term import BNode, Identifier, Literal, URIRef

from kg.errors import ConfigError, QueryError, StoreError, StoreNotFoundError
from kg.rdf.store._timeout import QueryTimeout
from kg.rdf.store.base import DEFAULT_GRAPH, Quad, QueryResult, Store, Triple
from kg.rdf.store.files import check_format
from kg.rdf.store.oxigraph import OX_FORMATS
from kg.rdf.store.terms import (
    from_ox,
    inject_values,
    nt_skolem,
    nt_term,
    query_form,
    skolem,
    to_ox,
)

__all__ = ["SparqlStore", "DEFAULT_GRAPH", "SYSTEM_GRAPHS"]

log = logging.getLogger(__name__)

#: graphs a fresh Virtuoso holds for itself
SYSTEM_GRAPHS = frozenset({
    "http://www.openlinksw.com/schemas/virtrdf#", "http://www.w3.org/ns/ldp#",
    "http://www.w3.org/2002/07/owl#",
})
_SYSTEM_RE = re.compile(r"^https?://[^/]+/(DAV/.*|sparql)$")
_JSON = "application/sparql-results+json"
_RDF_ACCEPT = "application/n-triples, text/turtle;q=0.9, application/rdf+xml;q=0.5"
_BOOL = str(XSD.boolean)
# how servers say one request was too big to take (it then failed as a whole)
_TOO_BIG = ("memory exhausted", "HTTP 413", "has exceeded", "SP031")


class SparqlStore(Store):
    """A remote SPARQL 1.1 endpoint behind the Store interface."""

    def __init__(self, location: str, url: str | None = None, *, create: bool = True,
                 batch_size: int = 1_000, timeout: float = 300.0) -> None:
        self.url = url or f"sparql:{location}"
        self.batch_size = batch_size
        self.timeout = timeout
        parts = urlsplit(location)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(f"not an http(s) SPARQL endpoint: {location!r}; "
                              "use sparql:http://host:port/sparql")
        if parts.username or parts.password:
            raise ConfigError("do not put credentials in the store URL; set KG_SPARQL_USER "
                              "and KG_SPARQL_PASSWORD in the environment instead")
        opts: dict[str, str] = {}
        rest: list[tuple[str, str]] = []
        for k, v in parse_qsl(parts.query, keep_blank_values=True):
            (opts.__setitem__(k, v) if k in ("update", "auth", "graphs") else rest.append((k, v)))
        self.endpoint = urlunsplit(parts._replace(query=urlencode(rest)))
        user = os.environ.get("KG_SPARQL_USER")
        password = os.environ.get("KG_SPARQL_PASSWORD", "")
        if "update" in opts:
            self.update_endpoint = opts["update"]
        elif user and parts.path.endswith("/sparql"):
            self.update_endpoint = urlunsplit(parts._replace(path=parts.path + "-auth",
                                                             query=urlencode(rest)))
        else:
            self.update_endpoint = self.endpoint
        self.graph_prefix = opts.get("graphs") or None
        self._opener = _opener(user, password, opts.get("auth", ""), self.update_endpoint)
        if not create:
            try:
                self._post(self.endpoint, {"query": "ASK {}"}, _JSON, 30.0)
            except (StoreError, QueryError) as e:
                raise StoreNotFoundError(f"no SPARQL endpoint answers at {self.endpoint}: {e}") \
                    from None

    # -- HTTP ------------------------------------------------------------------------
    def _post(self, target: str, form: dict[str, str], accept: str,
              timeout: float | None) -> tuple[str, bytes]:
        req = Request(target, data=urlencode(form).encode("utf-8"), method="POST", headers={
            "Accept": accept, "User-Agent": "kg",
            "Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"})
        try:
            with self._opener.open(req, timeout=timeout or self.timeout) as resp:
                return resp.headers.get_content_type(), resp.read()
        except HTTPError as e:
            detail = _first_line(e.read())
            if e.code in (401, 403):
                raise StoreError(f"{target} refused the request (HTTP {e.code}); set "
                                 "KG_SPARQL_USER and KG_SPARQL_PASSWORD to an account allowed "
                                 f"to do this: {detail}") from None
            raise QueryError(f"{target} answered HTTP {e.code}: {detail}") from None
        except TimeoutError:
            raise QueryTimeout(f"{target} took longer than {timeout or self.timeout:g} s; "
                             "narrow the query down or raise the timeout") from None
        except URLError as e:
            if isinstance(e.reason, (TimeoutError, socket.timeout)):
                raise QueryTimeout(f"{target} took longer than {timeout or self.timeout:g} s")\
                    from None
            raise StoreError(f"cannot reach SPARQL endpoint {target}: {e.reason}") from None

    # -- writing -----------------------------------------------------------------------
    def update(self, sparql: str) -> None:
        self._post(self.update_endpoint, {"update": sparql}, "*/*", None)

    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[Triple]]) -> None:
        staged = {URIRef(g): list(dict.fromkeys(ts)) for g, ts in graphs.items()}
        if not staged:
            return
        drops = [f"DROP SILENT GRAPH {nt_term(g)}" for g in staged]
        self._insert([(s, p, o, g) for g, ts in staged.items() for s, p, o in ts], drops)
        for g, ts in staged.items():
            self._verify(g, len(ts))

    def drop_graphs(self, graphs: Iterable[URIRef]) -> None:
        ops = [f"DROP SILENT GRAPH {nt_term(URIRef(g))}" for g in graphs]
        if ops:
            self.update(" ;\n".join(ops))

    def _insert(self, quads: list[Quad], first_ops: list[str]) -> None:
        """INSERT DATA in batches; ``first_ops`` ride along in the first request.

        A request the server's parser cannot take (Virtuoso: "memory exhausted" near 5,000
        triples) failed as a whole, so it is retried in halves.
        """
        ops = list(first_ops)
        start = 0
        while start < len(quads) or ops:
            batch = quads[start:start + self.batch_size]
            by_graph: dict[URIRef, list[str]] = defaultdict(list)
            for s, p, o, g in batch:
                by_graph[g].append(f"{_nt(s)} {_nt(p)} {_nt(o)} .")
            request = list(ops)
            if by_graph:
                body = "\n".join(f"GRAPH {nt_term(g)} {{\n" + "\n".join(lines) + "\n}"
                                 for g, lines in by_graph.items())
                request.append(f"INSERT DATA {{\n{body}\n}}")
            try:
                self.update(" ;\n".join(request))
            except QueryError as e:
                too_big = any(m in str(e) for m in _TOO_BIG)
                if not too_big or len(batch) <= 100:
                    raise
                self.batch_size = max(100, len(batch) // 2)
                log.info("%s: request too big, batches of %d now", self.endpoint,
                         self.batch_size)
                continue
            start += len(batch)
            ops = []

    def _verify(self, graph: URIRef, expected: int) -> None:
        got = self.count(graph)
        if got != expected:
            raise StoreError(
                f"{self.endpoint} kept {got} of {expected} triples in graph <{graph}>; the "
                "server dropped or merged data (Virtuoso merges e.g. an xsd:date and an "
                "xsd:gYearMonth of the same day on one subject/predicate); check its logs")

    def load(self, source: Path | IO[bytes], format: str, graph: URIRef | None = None) -> int:
        fmt = OX_FORMATS[check_format(format)]
        target = ox.NamedNode(str(graph or DEFAULT_GRAPH))
        try:
            if isinstance(source, (str, Path)):
                parsed = list(ox.parse(path=str(source), format=fmt, rename_blank_nodes=True))
            else:
                parsed = list(ox.parse(source, format=fmt, rename_blank_nodes=True))
        except (SyntaxError, OSError, ValueError) as e:
            raise StoreError(f"cannot parse {source} as {format}: {e}") from None
        quads: dict[Quad, None] = {}
        for q in parsed:
            g = q.graph_name if isinstance(q.graph_name, ox.NamedNode) else target
            quads[(skolem(from_ox(q.subject)), from_ox(q.predicate),
                   skolem(from_ox(q.object)), skolem(from_ox(g)))] = None  # type: ignore[index]
        per_graph: dict[URIRef, int] = defaultdict(int)
        for q in quads:
            per_graph[q[3]] += 1  # type: ignore[index]
        before = {g: self.count(g) for g in per_graph}
        self._insert(list(quads), [])
        added = 0
        for g, n in per_graph.items():
            after = self.count(g)
            if after < max(n, before[g]):
                raise StoreError(f"{self.endpoint} kept {after} triples in graph <{g}> after "
                                 f"loading {n}; the server dropped data")
            added += after - before[g]
        return added

    # -- reading -----------------------------------------------------------------------
    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Identifier] | None = None,
        timeout: float | None = None,
        *,
        max_rows: int | None = None,
    ) -> QueryResult:
        form = query_form(sparql)
        text = inject_values(sparql, bindings, _nt)
        if form in ("construct", "describe"):
            ctype, body = self._post(self.endpoint, {"query": text}, _RDF_ACCEPT, timeout)
            triples = _parse_rdf(ctype, body)
            truncated = max_rows is not None and len(triples) > max_rows
            return QueryResult("graph", triples=triples[:max_rows] if truncated else triples,
                               truncated=truncated)
        ctype, body = self._post(self.endpoint, {"query": text}, _JSON, timeout)
        try:
            data = json.loads(body)
        except ValueError:
            raise QueryError(f"{self.endpoint} did not answer with SPARQL JSON results "
                             f"(got {ctype}): {_first_line(body)}") from None
        if "boolean" in data:
            return QueryResult("ask", boolean=bool(data["boolean"]))
        names = list(data.get("head", {}).get("vars", []))
        rows = [tuple(_term(b.get(v)) for v in names) for b in data["results"]["bindings"]]
        truncated = max_rows is not None and len(rows) > max_rows
        return QueryResult("select", names, rows[:max_rows] if truncated else rows,
                           truncated=truncated)

    def _kept(self, g: str) -> bool:
        if self.graph_prefix is not None:
            return g.startswith(self.graph_prefix)
        return g not in SYSTEM_GRAPHS and not _SYSTEM_RE.match(g)

    def graphs(self) -> set[URIRef]:
        res = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return {URIRef(row[0]) for row in res.rows
                if isinstance(row[0], URIRef) and self._kept(str(row[0]))}

    def count(self, graph: URIRef | None = None) -> int:
        if graph is not None:
            res = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                             {"g": URIRef(graph)})
            return int(res.rows[0][0]) if res.rows else 0
        res = self.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        return sum(int(n) for g, n in res.rows if g is not None and self._kept(str(g)))

    def quads(self, graph: URIRef | None = None) -> Iterator[Quad]:
        names = [URIRef(graph)] if graph is not None else sorted(self.graphs())
        for g in names:
            res = self.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } }", {"g": g})
            for s, p, o in res.rows:
                yield (s, p, o, g)  # type: ignore[misc]

    def dump(self, out: Path | IO[bytes], format: str) -> None:
        name = check_format(format)
        fmt = OX_FORMATS[name]
        if name in ("nquads", "trig"):
            items: Iterable[object] = (ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(g))
                                       for s, p, o, g in self.quads())
        else:
            seen = dict.fromkeys((s, p, o) for s, p, o, _ in self.quads())
            items = (ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in seen)
        target = str(out) if isinstance(out, Path) else out
        ox.serialize(items, target, fmt)


def _nt(term: Identifier) -> str:
    """nt_term, except that whole xsd:decimals get a ".0": Virtuoso turns "5"^^xsd:decimal
    into "5"^^xsd:integer but keeps "5.0" a decimal (and gives it back as "5")."""
    if isinstance(term, Literal) and term.datatype == XSD.decimal:
        lexical = str(term)
        if lexical.lstrip("+-").isdigit():
            return nt_term(Literal(lexical + ".0", datatype=XSD.decimal))
    return nt_skolem(term)


def _opener(user: str | None, password: str, auth: str, target: str) -> OpenerDirector:
    if not user:
        return build_opener()
    mgr = HTTPPasswordMgrWithDefaultRealm()
    mgr.add_password(None, target, user, password)
    if auth == "basic":
        return build_opener(HTTPBasicAuthHandler(mgr))
    if auth == "digest":
        return build_opener(HTTPDigestAuthHandler(mgr))
    if auth:
        raise ConfigError(f"unknown auth={auth!r} in the store URL; use digest or basic")
    return build_opener(HTTPDigestAuthHandler(mgr), HTTPBasicAuthHandler(mgr))


def _term(cell: dict | None) -> Identifier | None:
    """An rdflib term from a SPARQL JSON results cell (incl. Virtuoso's typed-literal)."""
    if cell is None:
        return None
    kind, value = cell.get("type"), cell.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind == "bnode":
        return BNode(value)
    if lang := cell.get("xml:lang"):
        return Literal(value, lang=lang)
    dt = cell.get("datatype")
    if dt:
        if dt == _BOOL and value in ("0", "1"):  # Virtuoso writes booleans as 0/1
            value = "true" if value == "1" else "false"
        return Literal(value, datatype=None if dt == str(XSD.string) else URIRef(dt))
    return Literal(value)


def _parse_rdf(ctype: str, body: bytes) -> list[Triple]:
    fmt = ox.RdfFormat.from_media_type(ctype) or ox.RdfFormat.N_TRIPLES
    try:
        return [(from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))  # type: ignore[misc]
                for t in ox.parse(body, format=fmt)]
    except SyntaxError as e:
        raise QueryError(f"cannot read the endpoint's {ctype} answer: {e}") from None


def _first_line(body: bytes) -> str:
    text = body.decode("utf-8", "replace").strip()
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[0][:300] if lines else "(no message)"
