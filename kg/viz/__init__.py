"""The viewer: an interactive self-contained HTML page, timeline pictures, screenshots.

Builds on kg.query (to_networkx); nothing in kg.query imports this package.
"""

from __future__ import annotations

from kg.viz.html import DEFAULT_MAX_NODES, PageInfo, render_html, write_html
from kg.viz.screenshot import screenshot
from kg.viz.timeline import timeline, timeline_figure

__all__ = ["write_html", "render_html", "PageInfo", "DEFAULT_MAX_NODES", "timeline",
           "timeline_figure", "screenshot"]
