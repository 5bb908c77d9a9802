"""SPARQL result serialisations and content negotiation for the endpoint.

SELECT/ASK: SPARQL 1.1 Query Results JSON (default), XML, CSV and TSV. CONSTRUCT and
DESCRIBE: Turtle (default) or N-Triples. The client's Accept header picks, honouring
q-values; a header that matches nothing gets the default rather than a 406, which is
what browsers and curl users expect from a query endpoint.
"""

from __future__ import annotations

import csv
import io
import json
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox
from rdflib.term import BNode, Identifier, Literal, URIRef

from kg.rdf.namespace import PREFIXES
from kg.rdf.store.base import QueryResult
from kg.rdf.store.terms import nt_term, to_ox

__all__ = ["negotiate", "serialise", "TABULAR_TYPES", "GRAPH_TYPES"]

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"

#: media type asked for -> media type answered, for SELECT/ASK
TABULAR_TYPES = {JSON: JSON, "application/json": JSON, XML: XML, "application/xml": XML,
                 "text/xml": XML, CSV: CSV, TSV: TSV}
#: the same for CONSTRUCT/DESCRIBE
GRAPH_TYPES = {TURTLE: TURTLE, "application/x-turtle": TURTLE, NTRIPLES: NTRIPLES,
               "text/plain": NTRIPLES}


def _parse_accept(header: str) -> list[tuple[str, float, int]]:
    """(media range, q, position) for each entry of an Accept header."""
    out = []
    for pos, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
        if not media:
            continue
        q = 1.0
        for f in fields[1:]:
            key, _, value = f.partition("=")
            if key.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        out.append((media, q, pos))
    return out


def negotiate(accept: str | None, kind: str) -> str:
    """The media type to answer with for a result of ``kind`` (select/ask/graph)."""
    offers = GRAPH_TYPES if kind == "graph" else TABULAR_TYPES
    if kind == "ask":
        offers = {k: v for k, v in offers.items() if v in (JSON, XML)}
    default = TURTLE if kind == "graph" else JSON
    best: tuple[float, int, int] | None = None
    chosen = default
    for media, q, pos in _parse_accept(accept or ""):
        if q <= 0:
            continue
        if media in offers:
            candidate, specificity = offers[media], 2
        elif media in ("*/*", "application/*", "text/*"):
            candidate, specificity = default, 0
            if media == "text/*" and default not in (TURTLE, CSV, TSV):
                candidate = TURTLE if kind == "graph" else CSV
            if kind == "ask" and candidate not in (JSON, XML):
                candidate = default
        else:
            continue
        key = (q, specificity, -pos)
        if best is None or key > best:
            best, chosen = key, candidate
    return chosen


def _json_term(term: Identifier) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    cell = {"type": "literal", "value": str(term)}
    if isinstance(term, Literal):
        if term.language:
            cell["xml:lang"] = term.language
        elif term.datatype is not None:
            cell["datatype"] = str(term.datatype)
    return cell


def _json(result: QueryResult) -> bytes:
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": bool(result.boolean)}).encode()
    rows = [{v: _json_term(t) for v, t in zip(result.variables, row, strict=True) if t is not None}
            for row in result.rows]
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": rows}},
                      ensure_ascii=False).encode("utf-8")


def _xml_term(term: Identifier) -> str:
    if isinstance(term, URIRef):
        return f"<uri>{escape(str(term))}</uri>"
    if isinstance(term, BNode):
        return f"<bnode>{escape(str(term))}</bnode>"
    attrs = ""
    if isinstance(term, Literal):
        if term.language:
            attrs = f" xml:lang={quoteattr(term.language)}"
        elif term.datatype is not None:
            attrs = f" datatype={quoteattr(str(term.datatype))}"
    return f"<literal{attrs}>{escape(_xml_safe(str(term)))}</literal>"


def _xml_safe(text: str) -> str:
    # XML 1.0 cannot carry most control characters, even escaped.
    return "".join(c if c in "\t\n\r" or ord(c) >= 0x20 else "\ufffd" for c in text)


def _xml(result: QueryResult) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           '<sparql xmlns="http://www.w3.org/2005/sparql-results#">', "<head>"]
    if result.kind == "ask":
        out += ["</head>", f"<boolean>{'true' if result.boolean else 'false'}</boolean>"]
    else:
        out += [f"<variable name={quoteattr(v)}/>" for v in result.variables]
        out += ["</head>", "<results>"]
        for row in result.rows:
            out.append("<result>")
            out += [f"<binding name={quoteattr(v)}>{_xml_term(t)}</binding>"
                    for v, t in zip(result.variables, row, strict=True) if t is not None]
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>")
    return "\n".join(out).encode("utf-8")


def _csv(result: QueryResult) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if t is None else (f"_:{t}" if isinstance(t, BNode) else str(t))
                         for t in row])
    return buf.getvalue().encode("utf-8")


def _tsv(result: QueryResult) -> bytes:
    lines = ["\t".join(f"?{v}" for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join("" if t is None else nt_term(t) for t in row))
    return ("\n".join(lines) + "\n").encode("utf-8")


def _rdf(result: QueryResult, fmt: ox.RdfFormat) -> bytes:
    triples = [ox.Triple(to_ox(s), to_ox(p), to_ox(o)) for s, p, o in result.triples]
    prefixes = PREFIXES if fmt == ox.RdfFormat.TURTLE else None
    return ox.serialize(triples, format=fmt, prefixes=prefixes)


def serialise(result: QueryResult, media: str) -> bytes:
    """``result`` in ``media`` (one of the types :func:`negotiate` answers)."""
    if media == JSON:
        return _json(result)
    if media == XML:
        return _xml(result)
    if media == CSV:
        return _csv(result)
    if media == TSV:
        return _tsv(result)
    if media == NTRIPLES:
        return _rdf(result, ox.RdfFormat.N_TRIPLES)
    return _rdf(result, ox.RdfFormat.TURTLE)
