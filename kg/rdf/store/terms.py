"""RDF terms between rdflib, pyoxigraph and SPARQL text, without ever pasting raw strings.

Every backend that has to put a term into query or update text goes through
:func:`nt_term`, which writes strict N-Triples syntax (IRIs checked against the
N-Triples IRIREF grammar, literals escaped). That is what keeps a user-supplied string
such as ``"} ; DROP ALL ; #`` a literal instead of a piece of SPARQL.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache

import pyoxigraph as ox
from rdflib.namespace import XSD
from rdflib.term import BNode, Identifier, Literal, URIRef

from kg.errors import QueryError

__all__ = ["nt_term", "nt_skolem", "skolem", "GENID", "to_ox", "from_ox", "check_variable",
           "values_block", "inject_values", "query_form"]

_XSD_STRING = str(XSD.string)
_IRI_BAD = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_BNODE_OK = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.\-]*$")
_VAR_OK = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LANG_OK = re.compile(r"^[A-Za-z]+(-[A-Za-z0-9]+)*$")
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t",
            "\b": "\\b", "\f": "\\f"}
_ESCAPE_RE = re.compile(r'[\\"\n\r\t\b\f\x00-\x1f\x7f]')


def _escape(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        c = m.group(0)
        return _ESCAPES.get(c) or f"\\u{ord(c):04X}"

    return _ESCAPE_RE.sub(repl, text)


def _iri(value: str) -> str:
    if not value or _IRI_BAD.search(value):
        raise QueryError(f"not a valid IRI (spaces, quotes or <>{{}}|^`\\ inside): {value!r}")
    return f"<{value}>"


def nt_term(term: Identifier) -> str:
    """The N-Triples form of an rdflib term; raises QueryError for IRIs N-Triples forbids."""
    if isinstance(term, URIRef):
        return _iri(str(term))
    if isinstance(term, Literal):
        body = f'"{_escape(str(term))}"'
        if term.language:
            if not _LANG_OK.match(term.language):
                raise QueryError(f"not a valid language tag: {term.language!r}")
            return f"{body}@{term.language}"
        if term.datatype is not None and str(term.datatype) != _XSD_STRING:
            return f"{body}^^{_iri(str(term.datatype))}"
        return body
    if isinstance(term, BNode):
        label = str(term)
        if not _BNODE_OK.match(label):
            raise QueryError(f"not a usable blank node label: {label!r}")
        return f"_:{label}"
    raise QueryError(f"cannot write {type(term).__name__} {term!r} as an RDF term")


#: blank nodes written to the oxigraph and sparql backends become IRIs under this base
#: (RDF 1.1 skolemisation): their copies and deletions then stay consistent everywhere
GENID = "https://w3id.org/aikg/id/.well-known/genid/"


def skolem(term: Identifier) -> Identifier:
    """A blank node as its skolem IRI; other terms unchanged."""
    return URIRef(GENID + str(term)) if isinstance(term, BNode) else term


def nt_skolem(term: Identifier) -> str:
    """:func:`nt_term` of :func:`skolem`."""
    return nt_term(skolem(term))


def to_ox(term: Identifier) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term for an rdflib term (lexical forms kept exactly)."""
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise QueryError(f"cannot convert {type(term).__name__} {term!r} to an RDF term")


@lru_cache(maxsize=1 << 16)
def _uri(value: str) -> URIRef:
    return URIRef(value)


@lru_cache(maxsize=1 << 16)
def _literal(value: str, language: str | None, datatype: str) -> Literal:
    # rdflib parses typed lexical forms into Python values on construction, which is
    # most of the cost of converting a result; rows repeat values (dates, currencies,
    # labels), so converted literals are cached (they are immutable).
    if language:
        return Literal(value, lang=language)
    if datatype == _XSD_STRING:
        return Literal(value)
    return Literal(value, datatype=_uri(datatype))


def from_ox(term: object) -> Identifier | None:
    """The rdflib term for a pyoxigraph term; xsd:string literals become plain literals."""
    if term is None or isinstance(term, ox.DefaultGraph):
        return None
    if isinstance(term, ox.NamedNode):
        return _uri(term.value)
    if isinstance(term, ox.Literal):
        return _literal(term.value, term.language, term.datatype.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise QueryError(f"unsupported result term {term!r} (RDF-star triples are not used by kg)")


def check_variable(name: str) -> str:
    """A bare variable name (``?``/``$`` stripped) or QueryError."""
    bare = str(name).lstrip("?$")
    if not _VAR_OK.match(bare):
        raise QueryError(f"not a valid SPARQL variable name for a binding: {name!r}")
    return bare


def values_block(bindings: Mapping[str, Identifier],
                 writer: Callable[[Identifier], str] = nt_term) -> str:
    """``VALUES (?a ?b) { (<x> "y") }`` from escaped N-Triples terms."""
    names = [check_variable(str(k)) for k in bindings]
    terms = [writer(v) for v in bindings.values()]
    return f"VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(terms)}) }}"


# Tokens that may contain braces or the word WHERE without being syntax.
_SKIP = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r"|<[^<>\"{}|^`\\\x00-\x20]*>"
    r"|#[^\n\r]*",
    re.S,
)
_WHERE = re.compile(r"(?<![?$:\w])WHERE(?!\w)", re.I)


def _group_start(sparql: str) -> int:
    """Index just after the ``{`` that opens the query's WHERE group, or -1."""
    depth, i, first_brace, after_where = 0, 0, -1, False
    n = len(sparql)
    while i < n:
        c = sparql[i]
        if c in "\"'<#":
            m = _SKIP.match(sparql, i)
            if m:
                i = m.end()
                continue
        if c == "{":
            if depth == 0:
                if after_where:
                    return i + 1
                if first_brace < 0:
                    first_brace = i + 1
            depth += 1
        elif c == "}":
            depth -= 1
        elif depth == 0 and c in "wW":
            m = _WHERE.match(sparql, i)
            if m and (i == 0 or not (sparql[i - 1].isalnum() or sparql[i - 1] in "?$:_")):
                after_where = True
                i = m.end()
                continue
        i += 1
    return first_brace


def inject_values(sparql: str, bindings: Mapping[str, Identifier] | None,
                  writer: Callable[[Identifier], str] = nt_term) -> str:
    """The query with a VALUES block opening its WHERE group, binding like SEP-0007 would.

    A trailing VALUES clause would be joined after GROUP BY, so an aggregate would ignore
    it; inside the group it constrains the pattern, as rdflib's initBindings and
    pyoxigraph's substitutions do.
    """
    if not bindings:
        return sparql
    pos = _group_start(sparql)
    if pos < 0:
        raise QueryError("cannot bind variables: the query has no WHERE { ... } group")
    return f"{sparql[:pos]} {values_block(bindings, writer)} {sparql[pos:]}"


_FORM = re.compile(r"(?<![\w:?$])(SELECT|ASK|CONSTRUCT|DESCRIBE)(?![\w:])", re.I)


def query_form(sparql: str) -> str:
    """``select``, ``ask``, ``construct`` or ``describe``: the query's form, read past its
    prologue, comments, strings and IRIs; QueryError when there is none."""
    stripped = _SKIP.sub(" ", sparql)
    m = _FORM.search(stripped)
    if not m:
        raise QueryError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")
    return m.group(1).lower()
