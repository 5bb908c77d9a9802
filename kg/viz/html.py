"""The interactive graph page: one self-contained HTML file (vis-network inlined).

pyvis 0.3.2's own template fetches Bootstrap from a CDN even with ``cdn_resources=
"in_line"``, and ``Network.from_nx`` is quadratic in the number of nodes, so the page is
built here from kg's template (``template.html``) with the vis-network JavaScript and CSS
that the pyvis package ships, read from its install directory. Nodes and edges are
vis/pyvis dicts written in bulk.

Safety: all graph data travels as one JSON document inside
``<script type="application/json">`` with ``<``, ``>``, ``&`` and line separators escaped;
the page's script builds every label, tooltip and panel from it with ``textContent``
(never HTML), links are only made for http(s) URLs, and a Content-Security-Policy with a
per-page nonce forbids network access and any script the page did not bring itself.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Literal

import networkx as nx

from kg.errors import ConfigError, ExportError, KGError
from kg.query.networkx import ego, to_networkx
from kg.rdf.store.base import Store
from kg.viz.layout import fast_layout, reduce_graph

__all__ = ["write_html", "render_html", "PageInfo", "NODE_STYLES", "EVENT_COLORS",
           "DEFAULT_MAX_NODES", "PHYSICS_MAX_NODES", "vis_assets"]

log = logging.getLogger(__name__)

DEFAULT_MAX_NODES = 1500
#: up to this many nodes the browser runs physics until stable, then stops it;
#: above it positions are precomputed and physics stays off
PHYSICS_MAX_NODES = 300

NODE_STYLES = {
    "Organization": {"color": "#4e79a7", "shape": "dot"},
    "Person": {"color": "#f28e2b", "shape": "diamond"},
    "Product": {"color": "#59a14f", "shape": "triangle"},
    "AIModel": {"color": "#8cd17d", "shape": "triangle"},
    "Entity": {"color": "#bab0ac", "shape": "dot"},
}
EVENT_COLORS = {
    "Acquisition": "#e15759", "Investment": "#76b7b2", "FundingRound": "#edc948",
    "IPO": "#b07aa1", "ProductLaunch": "#59a14f", "Partnership": "#ff9da7",
    "Appointment": "#9c755f", "Financials": "#79706e", "Customer": "#d37295",
    "Valuation": "#a0cbe8", "Subsidiary": "#86bcb6",
}
_PLACEHOLDER = re.compile(r"/\*\{\{([A-Z_]+)\}\}\*/|\{\{([A-Z_]+)\}\}")
_EVENT_FIELDS = ("amount", "currency", "valuation", "valuation_currency", "date", "status",
                 "round", "deal_kind", "role", "metric", "exchange", "period", "stake")


@dataclass(frozen=True)
class PageInfo:
    """What a written page shows: counts in the page and in the whole graph."""

    path: Path
    node_count: int
    edge_count: int
    total_nodes: int
    total_edges: int

    @property
    def reduced(self) -> bool:
        return self.node_count < self.total_nodes

    def __fspath__(self) -> str:
        return str(self.path)

    def __str__(self) -> str:
        if self.reduced:
            return (f"{self.node_count:,} of {self.total_nodes:,} nodes and "
                    f"{self.edge_count:,} of {self.total_edges:,} edges shown")
        return f"{self.node_count:,} nodes, {self.edge_count:,} edges"


def vis_assets() -> tuple[str, str]:
    """vis-network's JavaScript and CSS, from the pyvis package (no network needed)."""
    try:
        import pyvis
    except ImportError:
        raise ConfigError("the pyvis package is not installed; pip install pyvis") from None
    base = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    try:
        return ((base / "vis-network.min.js").read_text(encoding="utf-8"),
                (base / "vis-network.css").read_text(encoding="utf-8"))
    except OSError as e:
        raise ConfigError(f"cannot read vis-network from the pyvis package ({e}); "
                          "reinstall pyvis 0.3.2") from None


def _json_for_script(data: object) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False,
                      default=str)
    return (text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _clean(value: object) -> object:
    if isinstance(value, float) and (value != value or value in (float("inf"), -float("inf"))):
        return None
    return value


def _graph_data(g: nx.MultiDiGraph, positions: dict | None) -> dict:
    index = {n: i for i, n in enumerate(g.nodes)}
    nodes = []
    for n, d in g.nodes(data=True):
        item = {"id": index[n], "label": str(d.get("label") or n), "kind": d.get("kind", "entity"),
                "type": d.get("type", "Entity"), "iri": str(d.get("iri", n))}
        if item["kind"] == "event":
            item.update({k: _clean(d[k]) for k in _EVENT_FIELDS if d.get(k) is not None})
            item["evidence"] = list(d.get("evidence", []))
            item["sources"] = list(d.get("sources", []))
            item["articles"] = list(d.get("articles", []))
        elif d.get("aliases"):
            item["aliases"] = list(d["aliases"])
        if positions is not None and n in positions:
            item["x"], item["y"] = round(positions[n][0], 1), round(positions[n][1], 1)
        nodes.append(item)
    edges = []
    for i, (u, v, d) in enumerate(g.edges(data=True)):
        item = {"id": i, "from": index[u], "to": index[v],
                "relation": str(d.get("relation", "")),
                "event_type": str(d.get("event_type", ""))}
        event = d.get("event")
        if event in index and event != v:
            item["event"] = index[event]  # the event is a node: the panel shows it
        else:
            item.update({k: _clean(d[k]) for k in _EVENT_FIELDS if d.get(k) is not None})
            item["label"] = str(d.get("event_label", ""))
            item["type"] = item["event_type"]
            item["evidence"] = list(d.get("evidence", []))
            item["sources"] = list(d.get("sources", []))
        edges.append(item)
    return {"nodes": nodes, "edges": edges}


def _notice(shown: int, total: int, shown_edges: int, total_edges: int,
            focus: str | None) -> str:
    if shown >= total:
        return ""
    left_nodes, left_edges = total - shown, total_edges - shown_edges
    where = f"around {focus!r}" if focus else "in the graph"
    return (f"Reduced view: showing the {shown:,} most connected of {total:,} nodes {where}; "
            f"{left_nodes:,} nodes and {left_edges:,} edges are left out. To see them, show "
            f"one entity's neighbourhood with --focus NAME (and --hops N), or raise the "
            f"budget with --max-nodes {total} (slower to draw).")


def render_html(
    source: Store | nx.MultiDiGraph,
    focus: str | None = None,
    hops: int = 1,
    events: Literal["nodes", "edges"] = "nodes",
    max_nodes: int = DEFAULT_MAX_NODES,
    title: str = "kg knowledge graph",
    physics: bool | None = None,
) -> tuple[str, dict]:
    """The page's HTML and a dict of its counts (see write_html for the arguments)."""
    if max_nodes < 1:
        raise ConfigError(f"max_nodes must be at least 1, not {max_nodes}")
    if isinstance(source, nx.Graph):
        g = ego(source, focus, hops) if focus else source
    elif isinstance(source, Store):
        g = to_networkx(source, focus=focus, hops=hops, events=events)
    else:
        raise KGError(f"cannot draw a {type(source).__name__}; give a Store or a networkx graph")
    total_nodes, total_edges = g.number_of_nodes(), g.number_of_edges()
    shown = reduce_graph(g, max_nodes)
    use_physics = shown.number_of_nodes() <= PHYSICS_MAX_NODES if physics is None else physics
    positions = None if use_physics else fast_layout(shown)
    data = _graph_data(shown, positions)
    n, m = len(data["nodes"]), len(data["edges"])
    notice = _notice(n, total_nodes, m, total_edges, focus)
    data.update({
        "title": title, "physics": use_physics, "notice": notice,
        "total_nodes": total_nodes, "total_edges": total_edges,
        "node_styles": NODE_STYLES, "event_colors": EVENT_COLORS,
        "events_as": events, "focus": focus or "",
    })
    payload = _json_for_script(data)
    nonce = hashlib.sha256(payload.encode("utf-8")).hexdigest()[:24]
    js, css = vis_assets()
    template = resources.files("kg.viz").joinpath("template.html").read_text(encoding="utf-8")
    values = {"TITLE": html.escape(title), "NONCE": nonce, "NODE_COUNT": str(n),
              "EDGE_COUNT": str(m), "TOTAL_NODES": str(total_nodes),
              "NOTICE": html.escape(notice), "NOTICE_HIDDEN": "" if notice else "hidden",
              "VIS_CSS": css.replace("</", "<\\/"),
              "VIS_JS": js.replace("</script", "<\\/script"), "DATA": payload}
    # one pass, so text inserted for one placeholder is never scanned for another
    page = _PLACEHOLDER.sub(lambda mt: values[mt.group(1) or mt.group(2)], template)
    return page, {"node_count": n, "edge_count": m, "total_nodes": total_nodes,
                  "total_edges": total_edges}


def write_html(
    source: Store | nx.MultiDiGraph,
    out_path: str | Path,
    focus: str | None = None,
    hops: int = 1,
    events: Literal["nodes", "edges"] = "nodes",
    max_nodes: int = DEFAULT_MAX_NODES,
    title: str = "kg knowledge graph",
    physics: bool | None = None,
) -> PageInfo:
    """Write the interactive page for a store (or a graph from ``to_networkx``).

    ``focus`` (name, alias or IRI) with ``hops`` shows one entity's neighbourhood;
    ``events`` draws events as nodes or folds them into edges between participants; above
    ``max_nodes`` the most connected nodes are kept and the page says what was left out.
    ``physics`` None: simulate in the browser for small graphs, precomputed layout for big.
    """
    out = Path(out_path)
    if not out.parent.exists():
        raise ExportError(f"folder {out.parent} does not exist; create it or choose another "
                          "output path")
    page, counts = render_html(source, focus, hops, events, max_nodes, title, physics)
    try:
        out.write_text(page, encoding="utf-8")
    except OSError as e:
        raise ExportError(f"cannot write {out}: {e.strerror or e}") from None
    log.info("wrote %s: %d of %d nodes", out, counts["node_count"], counts["total_nodes"])
    return PageInfo(out, **counts)
