"""``KnowledgeGraph``: the store as a Jupyter-friendly object.

One object gives a notebook everything: an escaped HTML summary when displayed, queries
(named or SPARQL) as DataFrames, the interactive graph inline, the timeline figure,
networkx and exports. It only wires together kg.query and kg.viz; the work is there.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from kg.query import named_queries, query_df
from kg.query.export import export as _export
from kg.query.networkx import to_networkx
from kg.rdf.store import Store, open_store

if TYPE_CHECKING:
    import networkx as nx
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["KnowledgeGraph"]


class KnowledgeGraph:
    """A kg store with notebook conveniences.

    ``KnowledgeGraph()`` opens the configured store (KG_STORE, kg.toml, or
    ``./kg-store``); pass a URL such as ``"memory:"`` or ``"oxigraph:./kg-store"``, or an
    open Store.
    """

    def __init__(self, store: str | Store | None = None) -> None:
        if isinstance(store, Store):
            self.store = store
        else:
            from kg.config import load_settings

            self.store = open_store(load_settings(store=store).store)

    # -- building ------------------------------------------------------------------
    def build(self, inputs: Sequence[str | Path], **options: Any) -> Any:
        """Read articles into this store (see kg.build.build); returns its BuildReport."""
        from kg.build import build

        return build(list(inputs), self.store, **options)

    # -- summary -------------------------------------------------------------------
    def stats(self) -> dict[str, Any]:
        """Counts of articles, entities, events (by type), quads and graphs."""
        from kg.stats import store_stats

        return store_stats(self.store)

    def _repr_html_(self) -> str:
        s = self.stats()
        rows = "".join(
            f"<tr><td>{html.escape(t)}</td><td style='text-align:right'>{n:,}</td></tr>"
            for t, n in sorted(s["events_by_type"].items(), key=lambda kv: (-kv[1], kv[0])))
        return (
            "<div class='kg-summary'>"
            f"<strong>KnowledgeGraph</strong> <code>{html.escape(self.store.url)}</code><br>"
            f"{s['articles']:,} articles, {s['entities']:,} entities, {s['events']:,} events, "
            f"{s['quads']:,} quads in {s['graphs']:,} graphs"
            + (f"<table><thead><tr><th>event type</th><th>events</th></tr></thead>"
               f"<tbody>{rows}</tbody></table>" if rows else "")
            + "</div>"
        )

    def __repr__(self) -> str:
        return f"KnowledgeGraph({self.store.url!r})"

    # -- questions -----------------------------------------------------------------
    def query(self, sparql_or_name: str | Path, **params: Any) -> pd.DataFrame:
        """A DataFrame for a named query (``kg.query("deals-of", org="Nvidia")``), SPARQL
        text, or a ``.rq`` file; keyword arguments are bound as RDF terms."""
        return query_df(self.store, sparql_or_name, **params)

    def named_queries(self) -> pd.DataFrame:
        """The shipped named queries with their descriptions and parameters."""
        import pandas as pd

        return pd.DataFrame(
            [{"name": q.name, "description": q.description,
              "params": ", ".join(p.name + ("" if p.required else "?") for p in q.params)}
             for q in named_queries().values()])

    # -- pictures ------------------------------------------------------------------
    def show(self, focus: str | None = None, hops: int = 1,
             events: Literal["nodes", "edges"] = "nodes", max_nodes: int = 1500,
             height: int = 650, title: str = "kg knowledge graph") -> Any:
        """The interactive graph inline: the self-contained page in a sandboxed iframe."""
        from IPython.display import HTML

        from kg.viz import render_html

        page, _ = render_html(self.store, focus=focus, hops=hops, events=events,
                              max_nodes=max_nodes, title=title)
        return HTML(
            f'<div class="kg-graph"><iframe srcdoc="{html.escape(page, quote=True)}" '
            f'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
            f'style="width:100%;height:{int(height)}px;border:1px solid #ddd" '
            f'title="{html.escape(title, quote=True)}"></iframe></div>')

    def write_html(self, out_path: str | Path, **options: Any) -> Any:
        """Write the interactive page to a file (see kg.viz.write_html)."""
        from kg.viz import write_html

        return write_html(self.store, out_path, **options)

    def timeline(self, focus: str | None = None) -> Figure:
        """Events over time by type, as a matplotlib Figure."""
        from kg.viz import timeline_figure

        return timeline_figure(self.store, focus)

    # -- other tools ---------------------------------------------------------------
    def to_networkx(self, focus: str | None = None, hops: int = 1,
                    events: Literal["nodes", "edges"] = "nodes") -> nx.MultiDiGraph:
        """Entities and events as a networkx MultiDiGraph (see kg.query.networkx)."""
        return to_networkx(self.store, focus=focus, hops=hops, events=events)

    def export(self, fmt: str, out_path: str | Path) -> Path:
        """Write the graph as turtle, nt, nquads, trig, jsonld, graphml, gexf or neo4j."""
        return _export(self.store, fmt, out_path)
