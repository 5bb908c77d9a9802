"""Write the triples of an RDF file, without graph names, as N-Triples.

The oxigraph backend keeps the union of its named graphs as a deduplicated copy in the
default graph (see kg.rdf.store.oxigraph), and bulk-loads that copy from an N-Triples
file. For N-Quads, the common bulk format, dropping the graph term line by line is several
times faster than parsing into Python objects; anything unusual falls back to the parser.
"""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox

__all__ = ["triples_file"]

_LITERAL = re.compile(rb'"(?:[^"\\]|\\.)*"(?:@[A-Za-z0-9-]+|\^\^<[^>\s]*>)?')


class _Unusual(ValueError):
    pass


def _strip_graph(line: bytes) -> bytes:
    """``S P O [G] .`` -> ``S P O .``; raises _Unusual for anything but plain N-Quads."""
    parts = line.split(None, 2)
    if len(parts) < 3 or parts[0].startswith(b"<<"):
        raise _Unusual
    s, p, rest = parts
    if rest.startswith(b'"'):
        m = _LITERAL.match(rest)
        if not m:
            raise _Unusual
        obj, after = rest[: m.end()], rest[m.end():].split()
    else:
        fields = rest.split()
        obj, after = fields[0], fields[1:]
    if after != [b"."] and not (len(after) == 2 and after[1] == b"."
                                and after[0][:1] in (b"<", b"_")):
        raise _Unusual
    return b"%s %s %s .\n" % (s, p, obj)


def _by_lines(source: Path, target: Path) -> None:
    with source.open("rb") as f, target.open("wb") as out:
        write = out.write
        for line in f:
            stripped = line.strip()
            if not stripped or stripped.startswith(b"#"):
                continue
            write(_strip_graph(stripped))


def _by_parser(source: Path, fmt: ox.RdfFormat, target: Path) -> None:
    triples = (ox.Triple(q.subject, q.predicate, q.object)
               for q in ox.parse(path=str(source), format=fmt))
    ox.serialize(triples, str(target), ox.RdfFormat.N_TRIPLES)


def triples_file(source: Path, fmt: ox.RdfFormat, workdir: Path) -> Path:
    """An N-Triples file with the triples of ``source`` (the file itself when it is one)."""
    if fmt == ox.RdfFormat.N_TRIPLES:
        return source
    target = workdir / "union.nt"
    if fmt == ox.RdfFormat.N_QUADS:
        try:
            _by_lines(source, target)
            return target
        except _Unusual:
            pass
    _by_parser(source, fmt, target)
    return target
