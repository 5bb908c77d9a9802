"""``oxigraph:PATH`` - the default store: pyoxigraph on disk (RocksDB), native parsers.

pyoxigraph is used directly rather than through rdflib: its parsers and query engine are
8-50x faster than rdflib's over the same store. ``rdflib_dataset()`` still offers an rdflib
view (via oxrdflib) for code that speaks rdflib.

The union default graph is materialised. pyoxigraph 0.5's ``use_default_graph_as_union``
is a multiset union (oxigraph issue #1919, fixed only in 0.6): a triple stated by N
articles matches N times, so COUNTs are inflated and joins over entity triples that every
article restates explode (a named query went from 0.2 s to minutes). So the store's
default graph holds the deduplicated union of all named graphs, kept in step by every
write inside the same transaction, and queries run against it. Nothing else is ever
written to the default graph; triples loaded without a graph go to ``DEFAULT_GRAPH``.
Blank nodes are stored as skolem IRIs (``terms.GENID``): pyoxigraph renames blank nodes
on every load and its DELETE skips them, so the copy could not follow them otherwise.

Atomicity: ``replace_graphs``, ``drop_graphs``, ``update`` and small loads are one
transaction each, so a crash or ``kill -9`` leaves each write fully there or not at all.
Files of ``BULK_THRESHOLD`` bytes or more go through ``bulk_load``, which commits in
batches; a marker graph is set for the duration, and a store opened with the marker
still there rebuilds its union copy first.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from rdflib.term import Identifier, URIRef

from kg.errors import QueryError, StoreError, StoreNotFoundError
from kg.rdf.store._ntcopy import (
    has_blank_nodes,
    prepare,
    quick_strip_graphs,
    split_lines,
)
from kg.rdf.store._timeout import collect
from kg.rdf.store.base import DEFAULT_GRAPH, Quad, QueryResult, Store, Triple
from kg.rdf.store.files import check_format
from kg.rdf.store.terms import (
    check_variable,
    from_ox,
    inject_values,
    nt_skolem,
    nt_term,
    to_ox,
)

__all__ = ["OxigraphStore", "OX_FORMATS", "BULK_THRESHOLD", "is_oxigraph_store"]

log = logging.getLogger(__name__)

OX_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "nquads": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG, "jsonld": ox.RdfFormat.JSON_LD,
}
#: files at least this big are loaded with bulk_load (batched) instead of one transaction
BULK_THRESHOLD = 64 * 1024 * 1024
#: a bulk load splits the named graphs' file into this many parts, loaded side by side
BULK_PARTS = max(1, min(os.cpu_count() or 1, 8))
#: quads written by replace_graphs between two flushes of RocksDB's write buffers
FLUSH_EVERY = 200_000
_DEFAULT = ox.DefaultGraph()
#: an empty named graph present while a bulk load runs: the union copy may be incomplete
_STALE = ox.NamedNode("urn:x-kg:internal:union-incomplete")
# Make the default graph the union of the named graphs again (after arbitrary updates).
_SYNC = ("DELETE { ?s ?p ?o } WHERE { ?s ?p ?o FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } } ;\n"
         "INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } FILTER NOT EXISTS { ?s ?p ?o } }")


def is_oxigraph_store(path: Path) -> bool:
    """Whether ``path`` holds an Oxigraph (RocksDB) database."""
    return (path / "CURRENT").is_file() and (path / "IDENTITY").is_file()


def _unshare(names: list[str]) -> str:
    """Update removing from the union copy the triples only the graphs ``names`` state."""
    values = " ".join(names)
    others = ", ".join(names)
    return ("DELETE { ?s ?p ?o } WHERE { VALUES ?g { " + values + " } GRAPH ?g { ?s ?p ?o } "
            "FILTER NOT EXISTS { GRAPH ?h { ?s ?p ?o } FILTER(?h NOT IN (" + others + ")) } }")


class OxigraphStore(Store):
    """A pyoxigraph store on disk (or in memory when ``path`` is empty)."""

    def __init__(self, path: Path | str | None, url: str | None = None, *,
                 create: bool = True) -> None:
        self.path = Path(path) if path else None
        self.url = url or f"oxigraph:{path or ''}"
        self._unflushed = 0
        if self.path is None:
            self._store: ox.Store | None = ox.Store()
            return
        p = self.path
        if p.exists() and not p.is_dir():
            raise StoreError(f"{p} is a file, not a store folder; pass a folder path")
        if not is_oxigraph_store(p):
            if not create:
                raise StoreNotFoundError(
                    f"no store at {p}; run `kg build INPUT --store {p}` first")
            if p.exists() and any(p.iterdir()):
                raise StoreError(f"{p} is a non-empty folder that is not an Oxigraph store; "
                                 "pass a new or empty folder")
        try:
            self._store = ox.Store(str(p))
        except OSError as e:
            if "lock" in str(e).lower():
                raise StoreError(f"store {p} is in use by another process (a running "
                                 "`kg serve`?); stop it or work on a copy") from None
            raise StoreError(f"cannot open store {p}: {e}") from None
        if self._store.contains_named_graph(_STALE):
            log.warning("%s: a bulk load was interrupted; rebuilding the union graph", p)
            self._write(_SYNC)
            self._store.remove_graph(_STALE)

    # -- access --------------------------------------------------------------------
    @property
    def pyoxigraph(self) -> ox.Store:
        """The underlying ``pyoxigraph.Store``; its default graph is kg's union copy."""
        if self._store is None:
            raise StoreError(f"store {self.url} is closed")
        return self._store

    def rdflib_dataset(self):  # -> rdflib.Dataset, imported lazily
        """An rdflib ``Dataset`` over this store (oxrdflib); its default graph is the union."""
        from oxrdflib import OxigraphStore as OxRdflibStore
        from rdflib import Dataset

        return Dataset(store=OxRdflibStore(store=self.pyoxigraph), default_union=False)

    # -- writing -------------------------------------------------------------------
    def replace_graphs(self, graphs: Mapping[URIRef, Iterable[Triple]]) -> None:
        names: list[str] = []
        data: list[str] = []
        union: list[str] = []
        for name, triples in graphs.items():
            g = nt_term(URIRef(name))
            names.append(g)
            lines = [f"{nt_skolem(s)} {nt_term(p)} {nt_skolem(o)} ." for s, p, o in triples]
            if lines:
                data.append(f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}")
                union.extend(lines)
        if not names:
            return
        ops = [_unshare(names)] + [f"DROP SILENT GRAPH {g}" for g in names]
        if data:
            ops.append("INSERT DATA {\n" + "\n".join(data) + "\n" + "\n".join(union) + "\n}")
        self._write(" ;\n".join(ops))
        self._flush_now_and_then(len(union) * 2)

    def _flush_now_and_then(self, written: int) -> None:
        """Flush RocksDB's in-memory write buffers every ``FLUSH_EVERY`` quads.

        Oxigraph keeps a write buffer per index; left alone they grow with every batch
        of a long build (about 130 MiB per 1,000 articles), so a 10,000-article build
        would hold gigabytes. Flushing moves them to disk and keeps memory flat.
        """
        self._unflushed += written
        if self._unflushed >= FLUSH_EVERY and self._store is not None:
            self._store.flush()
            self._unflushed = 0

    def drop_graphs(self, graphs: Iterable[URIRef]) -> None:
        names = [nt_term(URIRef(g)) for g in graphs]
        if names:
            self._write(" ;\n".join([_unshare(names)] + [f"DROP SILENT GRAPH {g}"
                                                          for g in names]))

    def _write(self, update: str) -> None:
        try:
            self.pyoxigraph.update(update)
        except SyntaxError as e:
            raise QueryError(f"SPARQL update is not valid: {e}") from None
        except OSError as e:
            raise StoreError(f"writing to {self.url} failed: {e}") from None

    def update(self, sparql: str) -> None:
        """Run a SPARQL Update on the named graphs, then re-derive the union, atomically.

        Write to named graphs (``GRAPH <g> { }``): the default graph is the derived union
        and triples written straight into it are removed again. Re-deriving scans the
        store, so on big stores prefer ``replace_graphs``.
        """
        text = sparql.rstrip()
        joiner = "\n" if text.endswith(";") else "\n;\n"
        self._write(text + joiner + _SYNC)

    def load(self, source: Path | IO[bytes], format: str, graph: URIRef | None = None) -> int:
        """Load with pyoxigraph's native parser: the named graphs, then the union copy.

        Files of ``BULK_THRESHOLD`` bytes or more use ``bulk_load`` (batched commits),
        smaller ones ``Store.load`` (one transaction each). While the two steps run, a
        marker graph says the union copy may be incomplete; if the process dies, the next
        open rebuilds the copy, so every committed quad stays and is queryable.
        """
        fmt = OX_FORMATS[check_format(format)]
        target = ox.NamedNode(str(graph or DEFAULT_GRAPH))
        store = self.pyoxigraph
        before = self.count()
        work = Path(tempfile.mkdtemp(prefix="kg-load-"))
        try:
            if isinstance(source, (str, Path)):
                path = Path(source)
            else:  # a stream: spool it, the union copy reads the file a second time
                path = work / f"input.{fmt.file_extension}"
                with path.open("wb") as f:
                    shutil.copyfileobj(source, f)
            bulk = path.stat().st_size >= BULK_THRESHOLD
            store.add_graph(_STALE)
            self._load_both(path, fmt, target, work, bulk)
            store.remove_graph(_STALE)
        except SyntaxError as e:
            raise StoreError(f"cannot parse {_name(source)} as {format}: {e}") from None
        except (OSError, ValueError) as e:
            raise StoreError(f"cannot load {_name(source)} into {self.url}: {e}") from None
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return self.count() - before

    def _load_both(self, path: Path, fmt: ox.RdfFormat, target: ox.NamedNode, work: Path,
                   bulk: bool) -> None:
        copy: Path | None
        if fmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES) and not has_blank_nodes(path):
            # N-Triples are their own copy; the N-Quads' copy is cut while they load
            named, named_fmt, copy = path, fmt, (path if fmt == ox.RdfFormat.N_TRIPLES else None)
        else:
            named, named_fmt, copy = prepare(path, fmt, target, work)

        def checked_copy() -> Path:
            return copy if copy is not None else prepare(path, fmt, target, work)[2]

        if not bulk:
            self._load_file(named, named_fmt, target, bulk=False)
            self._load_file(checked_copy(), ox.RdfFormat.N_TRIPLES, _DEFAULT, bulk=False)
            return

        # pyoxigraph's bulk loader works on one core and releases the GIL, and RocksDB
        # ingests files from several loaders at once: so the named graphs (N-Quads or
        # N-Triples by now) load as one part per core, in threads, beside the union
        # copy. The copy loads as one file: the default graph then lies in few SST files
        # and each lookup a query makes is faster (deals-of at 1M triples 480 -> 385 ms).
        # 1M quads on 2 cores: 16.5 s one step after the other, about 8 s this way;
        # pyoxigraph's own bulk_load 8-11 s.
        def union_copy() -> None:
            if copy is None:
                quick = work / "union-quick.nt"
                if quick_strip_graphs(path, quick):
                    try:
                        self._load_file(quick, ox.RdfFormat.N_TRIPLES, _DEFAULT, bulk=True)
                        return
                    except SyntaxError as e:  # an unusual line: take the checked path
                        log.debug("quick union copy of %s failed (%s); checking lines",
                                  path, e)
            self._load_file(checked_copy(), ox.RdfFormat.N_TRIPLES, _DEFAULT, bulk=True)

        parts = split_lines(named, work, BULK_PARTS)
        jobs = [partial(self._load_file, part, named_fmt, target, bulk=True) for part in parts]
        with ThreadPoolExecutor(len(jobs) + 1, thread_name_prefix="kg-load") as pool:
            futures = [pool.submit(job) for job in [*jobs, union_copy]]
        for future in futures:  # every load has stopped: raise the first failure
            future.result()

    def _load_file(self, path: Path, fmt: ox.RdfFormat, graph: ox.NamedNode | ox.DefaultGraph,
                   *, bulk: bool) -> None:
        store = self.pyoxigraph
        if graph is _DEFAULT:  # the copy: its data was validated by the named graphs' load
            load = store.bulk_load if bulk else store.load
            load(path=str(path), format=fmt, to_graph=graph, lenient=True)
        elif bulk:
            store.bulk_load(path=str(path), format=fmt, to_graph=graph)
        else:
            store.load(path=str(path), format=fmt, to_graph=graph)

    # -- reading -------------------------------------------------------------------
    def query(
        self,
        sparql: str,
        bindings: Mapping[str, Identifier] | None = None,
        timeout: float | None = None,
        *,
        max_rows: int | None = None,
    ) -> QueryResult:
        subs = {ox.Variable(check_variable(k)): to_ox(v) for k, v in (bindings or {}).items()}
        store = self.pyoxigraph
        meta: dict[str, object] = {}

        # pyoxigraph result iterators must stay on the thread that made them, so the
        # whole query runs in the worker.
        def produce() -> Iterator[object]:
            try:
                result = store.query(sparql, substitutions=subs or None)
            except RuntimeError as e:
                # SEP-0007 substitution only binds projected variables; otherwise bind
                # with a VALUES block of escaped terms opening the WHERE group.
                if not subs or "projection" not in str(e):
                    raise QueryError(f"SPARQL query failed: {e}") from None
                result = store.query(inject_values(sparql, bindings))
            if isinstance(result, ox.QueryBoolean):
                meta["kind"] = "ask"
                return iter([bool(result)])
            if isinstance(result, ox.QuerySolutions):
                keys = list(result.variables)
                meta["kind"], meta["vars"] = "select", [v.value for v in keys]
                return (tuple(from_ox(sol[k]) for k in keys) for sol in result)
            meta["kind"] = "graph"
            return ((from_ox(t.subject), from_ox(t.predicate), from_ox(t.object))
                    for t in result)

        limit = max_rows + 1 if max_rows is not None else None
        try:
            items = collect(produce, timeout, limit)
        except SyntaxError as e:
            raise QueryError(f"SPARQL query is not valid: {e}") from None
        except OSError as e:
            raise QueryError(f"SPARQL query failed: {e}") from None
        truncated = max_rows is not None and len(items) > max_rows
        if truncated:
            del items[max_rows:]
        if meta["kind"] == "ask":
            return QueryResult("ask", boolean=bool(items[0]))
        if meta["kind"] == "select":
            return QueryResult("select", meta["vars"], items,  # type: ignore[arg-type]
                               truncated=truncated)
        return QueryResult("graph", triples=items, truncated=truncated)  # type: ignore[arg-type]

    def quads(self, graph: URIRef | None = None) -> Iterator[Quad]:
        g = ox.NamedNode(str(graph)) if graph is not None else None
        for q in self.pyoxigraph.quads_for_pattern(None, None, None, g):
            if isinstance(q.graph_name, ox.NamedNode):
                yield (from_ox(q.subject), from_ox(q.predicate), from_ox(q.object),
                       URIRef(q.graph_name.value))  # type: ignore[misc]

    def graphs(self) -> set[URIRef]:
        store = self.pyoxigraph
        return {URIRef(g.value) for g in store.named_graphs()
                if isinstance(g, ox.NamedNode)
                and next(iter(store.quads_for_pattern(None, None, None, g)), None) is not None}

    def count(self, graph: URIRef | None = None) -> int:
        where = f"GRAPH {nt_term(URIRef(graph))} {{ ?s ?p ?o }}" if graph is not None \
            else "?s ?p ?o"
        res = self.pyoxigraph.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
        n = int(next(iter(res))["n"].value)
        return n if graph is not None else len(self.pyoxigraph) - n

    def dump(self, out: Path | IO[bytes], format: str) -> None:
        name = check_format(format)
        fmt = OX_FORMATS[name]
        target = str(out) if isinstance(out, Path) else out
        store = self.pyoxigraph
        try:
            if name in ("nquads", "trig"):
                ox.serialize((q for q in store.quads_for_pattern(None, None, None, None)
                              if isinstance(q.graph_name, ox.NamedNode)), target, fmt)
            else:
                store.dump(target, fmt, from_graph=_DEFAULT)
        except OSError as e:
            raise StoreError(f"cannot write {name} to {_name(out)}: {e}") from None

    def close(self) -> None:
        if self._store is not None:
            try:
                self._store.flush()
            except OSError as e:  # pragma: no cover - disk trouble on exit
                log.warning("flushing %s failed: %s", self.url, e)
            self._store = None


def _name(source: object) -> str:
    if isinstance(source, (str, Path)):
        return str(source)
    return str(getattr(source, "name", "stream"))
