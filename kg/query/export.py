"""Writing the graph out: RDF serialisations (from the store), graph formats (from networkx).

RDF formats (turtle, nt, nquads, trig, jsonld) are the store's own ``dump``: quads and
provenance stay exact. GraphML and GEXF are written by networkx from ``to_networkx``;
their attributes must be scalars, so lists (evidence sentences, source URLs, aliases) are
joined with newlines and unset values are left out. ``neo4j`` writes ``nodes.csv`` and
``relationships.csv`` with the headers ``neo4j-admin database import`` reads, into a
directory or, when the path ends in ``.zip``, a zip file (list values hold newlines:
import with ``--multiline-fields=true``).
"""

from __future__ import annotations

import csv
import io
import logging
import zipfile
from pathlib import Path

import networkx as nx

from kg.errors import ExportError
from kg.query.networkx import to_networkx
from kg.rdf.store.base import RDF_FORMATS, Store

__all__ = ["export", "EXPORT_FORMATS", "GRAPH_FORMATS", "flatten_graph", "neo4j_tables"]

log = logging.getLogger(__name__)

GRAPH_FORMATS = ("graphml", "gexf", "neo4j")
EXPORT_FORMATS = tuple(RDF_FORMATS) + GRAPH_FORMATS
LIST_SEPARATOR = "\n"

_NODE_COLUMNS = ("label", "type", "kind", "iri", "aliases", "date", "amount", "currency",
                 "valuation", "valuation_currency", "status", "round", "deal_kind",
                 "role", "metric", "exchange", "period", "stake", "evidence", "sources")
_EDGE_COLUMNS = ("relation", "event", "event_type", "amount", "currency", "date", "evidence",
                 "sources")
_NUMERIC = {"amount", "valuation", "stake"}


def _scalar(value: object) -> str | int | float | bool | None:
    if value is None:
        return None
    if isinstance(value, list | tuple | set):
        items = [str(v) for v in value if v is not None]
        return LIST_SEPARATOR.join(items) if items else None
    if isinstance(value, bool | int | float | str):
        return value
    return str(value)


def flatten_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``g`` whose attributes are all strings or numbers (lists joined by newlines)."""
    out = nx.MultiDiGraph()
    out.graph.update({k: v for k, v in ((k, _scalar(v)) for k, v in g.graph.items())
                      if v is not None})
    for n, d in g.nodes(data=True):
        out.add_node(n, **{k: v for k, v in ((k, _scalar(v)) for k, v in d.items())
                           if v is not None})
    for u, v, k, d in g.edges(keys=True, data=True):
        out.add_edge(u, v, key=k, **{a: b for a, b in ((a, _scalar(b)) for a, b in d.items())
                                     if b is not None})
    return out


def neo4j_tables(g: nx.MultiDiGraph) -> tuple[str, str]:
    """The text of nodes.csv and relationships.csv for ``neo4j-admin database import``."""
    flat = flatten_graph(g)
    node_cols = [c for c in _NODE_COLUMNS if any(c in d for _, d in flat.nodes(data=True))]
    nodes = io.StringIO()
    w = csv.writer(nodes, lineterminator="\n")
    w.writerow([":ID", *(f"{c}:double" if c in _NUMERIC else c for c in node_cols), ":LABEL"])
    for n, d in sorted(flat.nodes(data=True)):
        labels = ["Event", d["type"]] if d.get("kind") == "event" else [d.get("type", "Entity")]
        w.writerow([n, *(d.get(c, "") for c in node_cols), ";".join(labels)])
    edge_cols = [c for c in _EDGE_COLUMNS[1:] if any(c in d for *_, d in flat.edges(data=True))]
    rels = io.StringIO()
    w = csv.writer(rels, lineterminator="\n")
    w.writerow([":START_ID", ":END_ID", ":TYPE",
                *(f"{c}:double" if c in _NUMERIC else c for c in edge_cols)])
    for u, v, d in sorted(flat.edges(data=True), key=lambda e: (e[0], e[1], e[2]["relation"])):
        rel_type = "".join(ch if ch.isalnum() else "_" for ch in d["relation"]).upper()
        w.writerow([u, v, rel_type, *(d.get(c, "") for c in edge_cols)])
    return nodes.getvalue(), rels.getvalue()


def export(store: Store, fmt: str, out_path: str | Path, *, focus: str | None = None,
           hops: int = 1) -> Path:
    """Write the graph in ``fmt`` (one of EXPORT_FORMATS) to ``out_path``; returns the path.

    ``focus``/``hops`` restrict the graph formats to one entity's neighbourhood; RDF
    formats always hold everything.
    """
    fmt = fmt.lower()
    out = Path(out_path)
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    if fmt != "neo4j" or out.suffix == ".zip":
        if out.parent and not out.parent.exists():
            raise ExportError(f"folder {out.parent} does not exist; create it or choose "
                              "another output path")
    try:
        if fmt in RDF_FORMATS:
            with out.open("wb") as f:
                store.dump(f, fmt)
        elif fmt == "graphml":
            nx.write_graphml(flatten_graph(to_networkx(store, focus, hops)), out)
        elif fmt == "gexf":
            nx.write_gexf(flatten_graph(to_networkx(store, focus, hops)), out)
        else:
            nodes, rels = neo4j_tables(to_networkx(store, focus, hops))
            if out.suffix == ".zip":
                with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
                    z.writestr("nodes.csv", nodes)
                    z.writestr("relationships.csv", rels)
            else:
                out.mkdir(parents=True, exist_ok=True)
                (out / "nodes.csv").write_text(nodes, encoding="utf-8")
                (out / "relationships.csv").write_text(rels, encoding="utf-8")
    except OSError as e:
        raise ExportError(f"cannot write {out}: {e.strerror or e}") from None
    log.info("exported %s to %s", fmt, out)
    return out
