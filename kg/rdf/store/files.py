"""Reading RDF files into a store: format names, guessing them from file names, import."""

from __future__ import annotations

import logging
from pathlib import Path

from rdflib.term import URIRef

from kg.errors import InputError
from kg.rdf.store.base import RDF_FORMATS, Store

__all__ = ["EXTENSIONS", "guess_format", "check_format", "import_file", "RDFLIB_FORMATS"]

log = logging.getLogger(__name__)

EXTENSIONS = {
    ".ttl": "turtle", ".turtle": "turtle", ".nt": "nt", ".ntriples": "nt", ".nq": "nquads",
    ".nquads": "nquads", ".trig": "trig", ".jsonld": "jsonld", ".json-ld": "jsonld",
}
#: rdflib's plugin names for kg's format names
RDFLIB_FORMATS = {"turtle": "turtle", "nt": "nt", "nquads": "nquads", "trig": "trig",
                  "jsonld": "json-ld"}
_ALIASES = {"ttl": "turtle", "ntriples": "nt", "n-triples": "nt", "nq": "nquads",
            "n-quads": "nquads", "json-ld": "jsonld"}


def check_format(format: str) -> str:
    """kg's name for ``format`` (aliases such as ``ttl`` accepted) or InputError."""
    name = _ALIASES.get(format.lower(), format.lower())
    if name not in RDF_FORMATS:
        raise InputError(f"unknown RDF format {format!r}; use one of {', '.join(RDF_FORMATS)}")
    return name


def guess_format(path: Path | str) -> str:
    """The format of ``path`` from its extension (.ttl .nt .nq .trig .jsonld)."""
    suffix = Path(path).suffix.lower()
    try:
        return EXTENSIONS[suffix]
    except KeyError:
        raise InputError(
            f"cannot tell the RDF format of {path} from its extension; name it .ttl, .nt, "
            ".nq, .trig or .jsonld, or pass the format explicitly") from None


def import_file(store: Store, path: Path | str, format: str | None = None,
                graph: URIRef | str | None = None) -> int:
    """Bulk-load ``path`` into ``store`` with the backend's fastest parser; returns quads added.

    Triples of triple formats (Turtle, N-Triples, JSON-LD without graphs) go to ``graph``
    (the default graph when None); quad formats keep their own graph names.
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"no RDF file at {path}")
    fmt = check_format(format) if format else guess_format(path)
    target = URIRef(str(graph)) if graph is not None else None
    added = store.load(path, fmt, target)
    log.info("imported %d quads from %s (%s) into %s", added, path, fmt, store.url)
    return added
