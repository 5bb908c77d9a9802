"""Running SPARQL against any Store and turning results into text, JSON, CSV or pandas.

Everything here goes through ``Store.query(sparql, bindings=...)`` only, so the same code
works on every backend. Parameters are bound as RDF terms by the store, never pasted into
the query text: a value such as ``"x" } DROP ALL #`` stays a string literal.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from rdflib.namespace import XSD
from rdflib.term import BNode, Identifier, URIRef
from rdflib.term import Literal as RDFLiteral

from kg.errors import QueryError
from kg.rdf.namespace import PREFIXES
from kg.rdf.store.base import QueryResult, Store

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ParamValue",
    "to_term",
    "load_query",
    "run_query",
    "to_dataframe",
    "format_result",
    "term_to_python",
    "sparql_json",
]

log = logging.getLogger(__name__)

ParamValue = str | int | float | Decimal | Identifier

_IRI_SCHEMES = ("http://", "https://", "urn:", "file://", "mailto:")
_DATE_TYPES = {XSD.date, XSD.gYear, XSD.gYearMonth, XSD.dateTime, XSD.time, XSD.gMonth,
               XSD.gDay, XSD.gMonthDay, XSD.dateTimeStamp}
_INT_TYPES = {XSD.integer, XSD.int, XSD.long, XSD.short, XSD.byte, XSD.nonNegativeInteger,
              XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger,
              XSD.unsignedInt, XSD.unsignedLong, XSD.unsignedShort, XSD.unsignedByte}
_FLOAT_TYPES = {XSD.decimal, XSD.double, XSD.float}


def to_term(value: ParamValue) -> Identifier:
    """An RDF term for a parameter value: strings that look like IRIs become IRIs.

    Numbers become typed literals (``int`` -> xsd:integer, ``float`` -> xsd:double,
    ``Decimal`` -> xsd:decimal); rdflib terms pass through unchanged.
    """
    if isinstance(value, Identifier):
        return value
    if isinstance(value, bool):
        return RDFLiteral(value)
    if isinstance(value, int | float | Decimal):
        return RDFLiteral(value)
    if isinstance(value, str):
        if value.startswith(_IRI_SCHEMES) and not any(c in value for c in ' <>"{}|\\^`'):
            return URIRef(value)
        return RDFLiteral(value)
    raise QueryError(f"cannot bind a {type(value).__name__} as a query parameter; "
                     "use a string, a number or an rdflib term")


def load_query(text_or_path: str | Path) -> str:
    """The query text: a ``.rq`` file's contents when given a path, else the text itself."""
    if isinstance(text_or_path, Path):
        path = text_or_path
    elif text_or_path.strip().endswith((".rq", ".sparql")) and "\n" not in text_or_path.strip():
        path = Path(text_or_path.strip())
    else:
        return text_or_path
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise QueryError(f"query file {path} not found; give SPARQL text or an existing "
                         ".rq file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise QueryError(f"cannot read query file {path}: {e}") from None


_DECLARED = re.compile(r"^\s*PREFIX\s+([A-Za-z][\w.-]*)?:", re.IGNORECASE | re.MULTILINE)
_USED = re.compile(r"(?<![\w<\"'])([A-Za-z][\w-]*):(?=[A-Za-z_])")


def with_prefixes(text: str) -> str:
    """Declare kg's usual prefixes (kg:, id:, rdfs:, schema:, prov:, xsd: ...) that the query
    uses but does not declare, so ad-hoc queries stay short. Declared ones are left alone."""
    declared = set(_DECLARED.findall(text))
    used = set(_USED.findall(text))
    missing = [p for p in PREFIXES if p in used and p not in declared]
    if not missing:
        return text
    header = "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in missing)
    return header + text


def run_query(
    store: Store,
    sparql: str | Path,
    params: Mapping[str, ParamValue] | None = None,
    timeout: float | None = None,
) -> QueryResult:
    """Run a SPARQL query (text or .rq path) with parameters bound as RDF terms."""
    text = with_prefixes(load_query(sparql))
    bindings = {}
    for name, value in (params or {}).items():
        if value is None:
            continue
        bindings[name.lstrip("?$")] = to_term(value)
    log.debug("query with bindings %s", bindings)
    return store.query(text, bindings=bindings or None, timeout=timeout)


# -- Python values -----------------------------------------------------------------
def term_to_python(term: Identifier | None) -> object:
    """A plain Python value for a result cell.

    IRIs and blank nodes -> str, decimals and doubles -> float, integers -> int,
    booleans -> bool, dates of any precision -> their ISO string (``2025``, ``2025-06``,
    ``2025-06-12``), other literals -> their lexical form; unbound -> None.
    """
    if term is None:
        return None
    if not isinstance(term, RDFLiteral):
        return str(term)
    dt = term.datatype
    if dt in _DATE_TYPES:
        return str(term)
    if dt in _FLOAT_TYPES:
        try:
            return float(str(term))
        except ValueError:
            return str(term)
    if dt in _INT_TYPES:
        try:
            return int(str(term))
        except ValueError:
            return str(term)
    if dt == XSD.boolean:
        return str(term).strip() in ("true", "1")
    value = term.toPython()
    if isinstance(value, date | datetime):
        return str(term)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str | int | float | bool):
        return value
    return str(term)


def to_dataframe(result: QueryResult) -> pd.DataFrame:
    """A DataFrame of a SELECT result (one column per variable, Python values).

    Columns without gaps get pandas' own dtypes (float, int, str); a column with unbound
    cells is object-typed and holds None there (use ``pd.to_numeric`` to compute on it).

    ASK gives one column ``boolean``; CONSTRUCT/DESCRIBE give subject/predicate/object.
    """
    import pandas as pd

    variables, rows = _tabular(result)
    columns: dict[str, pd.Series] = {}
    for i, name in enumerate(variables):
        values = [term_to_python(row[i]) for row in rows]
        # a column with unbound cells stays object-typed so they read as None, not NaN
        dtype = object if any(v is None for v in values) else None
        columns[name] = pd.Series(values, dtype=dtype)
    return pd.DataFrame(columns, columns=variables)


def _tabular(result: QueryResult) -> tuple[list[str], list[tuple[Identifier | None, ...]]]:
    if result.kind == "select":
        return list(result.variables), list(result.rows)
    if result.kind == "ask":
        return ["boolean"], [(RDFLiteral(bool(result.boolean)),)]
    triples = sorted(result.triples, key=lambda t: tuple(x.n3() for x in t))
    return ["subject", "predicate", "object"], [tuple(t) for t in triples]


# -- text formats --------------------------------------------------------------------
def _json_term(term: Identifier) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, RDFLiteral):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None and term.datatype != XSD.string:
            out["datatype"] = str(term.datatype)
        return out
    return {"type": "literal", "value": str(term)}


def sparql_json(result: QueryResult) -> dict:
    """The SPARQL 1.1 Query Results JSON document of a result, as a dict."""
    if result.kind == "ask":
        return {"head": {}, "boolean": bool(result.boolean)}
    variables, rows = _tabular(result)
    bindings = []
    for row in rows:
        bindings.append({v: _json_term(t) for v, t in zip(variables, row, strict=False)
                         if t is not None})
    return {"head": {"vars": variables}, "results": {"bindings": bindings}}


def _csv_cell(term: Identifier | None) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def _compact(iri: str) -> str:
    best = iri
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            candidate = f"{prefix}:{iri[len(ns):]}"
            if len(candidate) < len(best):
                best = candidate
    return best


def _table_cell(term: Identifier | None) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        text = _compact(str(term))
    elif isinstance(term, BNode):
        text = f"_:{term}"
    elif term.datatype == XSD.decimal:
        text = _plain_decimal(str(term))
    else:
        text = str(term)
    return " ".join(text.split()) if any(c in text for c in "\r\n\t") else text


def _plain_decimal(lexical: str) -> str:
    """``700000000.0`` and ``700000000`` both print as ``700000000`` (engines differ)."""
    try:
        d = Decimal(lexical)
    except ArithmeticError:
        return lexical
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def format_result(result: QueryResult, fmt: Literal["table", "csv", "json"] = "table") -> str:
    """Render a result as SPARQL 1.1 JSON, SPARQL 1.1 CSV, or a plain aligned text table.

    ASK gives ``{"head": {}, "boolean": ...}`` / ``yes`` / ``no``; CONSTRUCT and DESCRIBE
    triples are shown as rows of ``subject``, ``predicate``, ``object`` (sorted).

    The table is deterministic (row order as the query gives it, IRIs shortened with kg's
    prefixes, decimals without trailing zeros, ends with a row count) so command-line
    output can be compared exactly and is the same on every backend. JSON and CSV end
    with a line break (CSV's is CRLF, as the standard says); the table does not, so it can
    be printed with one.
    """
    if fmt == "json":
        return json.dumps(sparql_json(result), indent=2, ensure_ascii=False) + "\n"
    variables, rows = _tabular(result)
    if fmt == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(variables)
        if result.kind == "ask":
            writer.writerow(["true" if result.boolean else "false"])
        else:
            for row in rows:
                writer.writerow([_csv_cell(t) for t in row])
        return buf.getvalue()
    if fmt != "table":
        raise QueryError(f"unknown result format {fmt!r}; use table, csv or json")
    if result.kind == "ask":
        return "yes" if result.boolean else "no"
    cells = [[_table_cell(t) for t in row] for row in rows]
    widths = [len(v) for v in variables]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], len(c))
    lines = ["  ".join(v.ljust(w) for v, w in zip(variables, widths, strict=True)).rstrip(),
             "  ".join("-" * w for w in widths)]
    for row in cells:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    n = len(cells)
    lines.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(lines)
