"""Named queries: ``.rq`` files shipped in ``kg/query/named/`` with a header that says
what they answer and which parameters they take.

Header format (comment lines at the top of the file)::

    # name: deals-of
    # description: every event an organisation takes part in
    # param: org (name) - organisation name (label or alias, any case) or IRI
    # param: currency (currency, optional) - ISO code, e.g. USD
    # list: counterparts - "; "-joined cells, sorted after the query
    # order: date -amount event

Parameter kinds say how a command-line string becomes an RDF term: ``name`` and
``string`` -> string literal (``name`` also accepts an IRI), ``number`` -> xsd:decimal,
``integer`` -> xsd:integer, ``currency`` -> upper-cased string literal, ``iri`` -> IRI.
Each parameter is bound (by the store, as an RDF term) to the query variable of the same
name, or to ``var=NAME`` when given. An optional parameter that is not passed is bound to
its ``default=`` (the empty string unless given), so queries test ``STR(?x) = ""``
instead of ``BOUND(?x)``.

Portability rules the shipped queries follow, because backends bind differently (rdflib
pre-binds everywhere; Oxigraph substitutes only variables of the outer SELECT and not
inside sub-SELECTs): parameter variables are projected by the outer SELECT and used only
in its WHERE (filters, EXISTS), never inside a sub-SELECT. ``run_named`` drops those
echo columns from the result.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources

from rdflib.term import Identifier, URIRef
from rdflib.term import Literal as RDFLiteral

from kg.errors import QueryError, UnknownNamedQueryError
from kg.query.core import ParamValue, run_query, term_to_python, to_term
from kg.rdf.store.base import QueryResult, Store

__all__ = ["Param", "NamedQuery", "named_queries", "get_named", "run_named", "parse_header"]

log = logging.getLogger(__name__)

SEPARATOR = "; "
PARAM_KINDS = ("name", "string", "number", "integer", "currency", "iri")
_PARAM_RE = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s*(?:\((?P<spec>[^)]*)\))?\s*(?:[-:]\s*(?P<desc>.*))?$"
)


_SCALE = {"k": 3, "thousand": 3, "m": 6, "mn": 6, "million": 6, "b": 9, "bn": 9,
          "billion": 9, "t": 12, "tn": 12, "trillion": 12}
_NUMBER_RE = re.compile(r"^([+-]?[0-9][0-9_,]*(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\s*([A-Za-z]*)$")


def _parse_number(text: str) -> Decimal | None:
    """``1500000000``, ``1_500_000_000``, ``1.5e9``, ``1.5B``, ``1.5 billion`` -> Decimal."""
    m = _NUMBER_RE.match(text.strip())
    if not m or (m.group(2) and m.group(2).lower() not in _SCALE):
        return None
    try:
        number = Decimal(m.group(1).replace("_", "").replace(",", ""))
    except InvalidOperation:
        return None
    return number.scaleb(_SCALE[m.group(2).lower()]) if m.group(2) else number


@dataclass(frozen=True)
class Param:
    """One parameter of a named query."""

    name: str
    kind: str = "string"
    required: bool = True
    description: str = ""
    var: str = ""
    default: str = ""

    def __str__(self) -> str:
        return self.name

    @property
    def variable(self) -> str:
        """The query variable this parameter binds."""
        return self.var or self.name

    def term(self, value: ParamValue) -> Identifier:
        """The RDF term to bind for ``value`` (strings converted by kind)."""
        if isinstance(value, Identifier) or not isinstance(value, str):
            if self.kind in ("number", "integer") and isinstance(value, bool):
                raise QueryError(f"parameter {self.name} must be a number, not {value!r}")
            return to_term(value)
        text = value.strip()
        if self.kind in ("number", "integer"):
            number = _parse_number(text)
            if number is None:
                raise QueryError(f"parameter {self.name} must be a number (e.g. 1500000000, "
                                 f"1.5e9 or 1.5B), got {value!r}")
            if self.kind == "integer":
                if number != number.to_integral_value():
                    raise QueryError(f"parameter {self.name} must be a whole number, "
                                     f"got {value!r}")
                return RDFLiteral(int(number))
            return RDFLiteral(number)
        if self.kind == "currency":
            return RDFLiteral(text.upper())
        if self.kind == "iri":
            return URIRef(text)
        if self.kind == "name":
            return to_term(text)
        return RDFLiteral(text)


@dataclass(frozen=True)
class NamedQuery:
    """A shipped query: its name, what it answers, its parameters and its SPARQL text."""

    name: str
    description: str
    params: tuple[Param, ...]
    text: str
    #: result columns holding "; "-joined lists; run_named sorts them (SPARQL's
    #: GROUP_CONCAT order differs between engines) and turns "" into unbound
    lists: tuple[str, ...] = ()
    #: sort keys applied by run_named: column names, ``-name`` for descending
    order: tuple[str, ...] = ()

    def usage(self) -> str:
        """One line per parameter, for help output."""
        lines = []
        for p in self.params:
            opt = "" if p.required else ", optional"
            lines.append(f"{p.name} ({p.kind}{opt}) - {p.description}")
        return "\n".join(lines)


def parse_header(text: str, default_name: str = "") -> NamedQuery:
    """Read the ``# key: value`` header of a named query file."""
    name, description, params, lists, order = default_name, [], [], [], []
    last: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break
        body = line.lstrip("#").strip()
        key, sep, value = body.partition(":")
        key = key.strip().lower()
        if sep and key == "name":
            name, last = value.strip(), "name"
        elif sep and key == "description":
            description.append(value.strip())
            last = "description"
        elif sep and key == "param":
            m = _PARAM_RE.match(value.strip())
            if not m:
                raise QueryError(f"named query {name!r}: cannot read parameter line {line!r}")
            spec = [s.strip() for s in (m.group("spec") or "").split(",") if s.strip()]
            opts = dict(s.split("=", 1) for s in spec if "=" in s)
            spec = [s for s in spec if "=" not in s]
            kind = next((s for s in spec if s in PARAM_KINDS), "string")
            unknown = [s for s in spec if s not in PARAM_KINDS and s != "optional"]
            unknown += [k for k in opts if k not in ("var", "default")]
            if unknown:
                raise QueryError(f"named query {name!r}: unknown parameter kind {unknown[0]!r}"
                                 f"; known: {', '.join(PARAM_KINDS)}")
            params.append(Param(m.group("name"), kind, "optional" not in spec,
                                (m.group("desc") or "").strip(), opts.get("var", "").strip(),
                                opts.get("default", "").strip()))
            last = "param"
        elif sep and key == "order":
            order.extend(value.split())
            last = "order"
        elif sep and key == "list":
            lists.extend(c.strip() for c in value.split(" - ")[0].split(",") if c.strip())
            last = "list"
        elif last == "description" and body:
            description.append(body)
        elif last == "param" and body:
            p = params[-1]
            params[-1] = replace(p, description=f"{p.description} {body}".strip())
    return NamedQuery(name, " ".join(description), tuple(params), text, tuple(lists),
                      tuple(order))


@cache
def _load_all() -> dict[str, NamedQuery]:
    out: dict[str, NamedQuery] = {}
    folder = resources.files("kg.query.named")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".rq"):
            continue
        q = parse_header(entry.read_text(encoding="utf-8"), entry.name[:-3])
        out[q.name] = q
    return out


def named_queries() -> dict[str, NamedQuery]:
    """Every shipped named query by name (sorted)."""
    return dict(_load_all())


def get_named(name: str) -> NamedQuery:
    """The named query called ``name``; UnknownNamedQueryError lists the known ones."""
    queries = _load_all()
    try:
        return queries[name]
    except KeyError:
        raise UnknownNamedQueryError(
            f"no named query {name!r}; known: {', '.join(queries)}"
        ) from None


def run_named(
    store: Store,
    name: str,
    params: Mapping[str, ParamValue | None] | None = None,
    timeout: float | None = None,
) -> QueryResult:
    """Run a named query with its parameters bound as RDF terms.

    Unknown parameter names and missing required ones raise QueryError naming them.
    """
    query = get_named(name)
    given = {k.lstrip("?$"): v for k, v in (params or {}).items() if v is not None}
    known = {p.name: p for p in query.params}
    extra = sorted(set(given) - set(known))
    if extra:
        names = ", ".join(known) or "none"
        raise QueryError(f"named query {name} has no parameter {extra[0]!r}; "
                         f"its parameters: {names}")
    missing = [p.name for p in query.params if p.required and p.name not in given]
    if missing:
        raise QueryError(f"named query {name} needs parameter {missing[0]!r} "
                         f"({known[missing[0]].description}); pass it as "
                         f"--param {missing[0]}=VALUE")
    bindings = {known[k].variable: known[k].term(v) for k, v in given.items()}
    for p in query.params:
        if p.name not in given:
            bindings[p.variable] = RDFLiteral(p.default) if p.kind != "iri" else URIRef(p.default)
    result = run_query(store, query.text, bindings, timeout=timeout)
    result = _drop_columns(result, {p.variable for p in query.params})
    return _order(_sort_lists(result, query.lists), query.order)


def _sort_value(term: Identifier | None) -> tuple:
    """Unbound first, then numbers, then text (dates sort as their ISO text)."""
    value = term_to_python(term)
    if value is None:
        return (0, 0, "")
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, int | float):
        return (1, value, "")
    return (2, 0, str(value))


def _order(result: QueryResult, keys: tuple[str, ...]) -> QueryResult:
    """Rows sorted by the query's ``# order:`` keys.

    Named queries sort here rather than with ORDER BY: engines disagree on ordering by
    aggregates and on mixed types (Virtuoso rejects an aggregate's alias in ORDER BY), and
    this way every backend prints the same rows in the same order.
    """
    if result.kind != "select" or not keys:
        return result
    rows = list(result.rows)
    for key in reversed(keys):  # stable sorts, least significant key first
        desc = key.startswith("-")
        name = key.lstrip("-")
        if name not in result.variables:
            raise QueryError(f"named query orders by {name!r}, which it does not select")
        i = result.variables.index(name)
        rows.sort(key=lambda row, i=i: _sort_value(row[i]), reverse=desc)
    return replace(result, rows=rows)

def _sort_lists(result: QueryResult, columns: tuple[str, ...]) -> QueryResult:
    """Sort the items of "; "-joined list cells so output is the same on every engine."""
    idx = [i for i, v in enumerate(result.variables) if v in columns]
    if result.kind != "select" or not idx:
        return result
    rows = []
    for row in result.rows:
        cells = list(row)
        for i in idx:
            cell = cells[i]
            if isinstance(cell, RDFLiteral):
                items = sorted({s for s in str(cell).split(SEPARATOR) if s}, key=str.casefold)
                cells[i] = RDFLiteral(SEPARATOR.join(items)) if items else None
        rows.append(tuple(cells))
    return replace(result, rows=rows)

def _drop_columns(result: QueryResult, names: set[str]) -> QueryResult:
    """The result without the columns that only echo the parameters."""
    if result.kind != "select" or not names & set(result.variables):
        return result
    keep = [i for i, v in enumerate(result.variables) if v not in names]
    return replace(result, variables=[result.variables[i] for i in keep],
                   rows=[tuple(row[i] for i in keep) for row in result.rows])
