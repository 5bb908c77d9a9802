"""Events over time, one row per event type, as a matplotlib picture (PNG or SVG).

Uses ``matplotlib.figure.Figure`` directly (the Agg canvas), never pyplot, so it works
without a display and does not change the backend of a notebook that imports kg.
"""

from __future__ import annotations

import logging
import math
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import ExportError
from kg.query.catalog import run_named
from kg.query.core import to_dataframe
from kg.rdf.store.base import Store
from kg.viz.html import EVENT_COLORS

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["timeline", "timeline_figure", "parse_partial_date"]

log = logging.getLogger(__name__)


def parse_partial_date(text: str) -> date | None:
    """``2025`` -> 1 July 2025, ``2025-06`` -> 15 June 2025, ``2025-06-12`` -> that day."""
    parts = str(text).split("T")[0].split("-")
    try:
        if len(parts) == 1:
            return date(int(parts[0]), 7, 1)
        if len(parts) == 2:
            return date(int(parts[0]), int(parts[1]), 15)
        return date(int(parts[0]), int(parts[1]), int(parts[2][:2]))
    except ValueError:
        return None


def _figure_class() -> type:
    """A matplotlib Figure that Jupyter shows as a picture without pyplot's inline backend
    (kg never imports pyplot, so IPython has no formatter registered for a bare Figure)."""
    from matplotlib.figure import Figure  # imported here: `kg viz` never needs it

    class TimelineFigure(Figure):
        def _repr_png_(self) -> bytes:
            import io

            buffer = io.BytesIO()
            self.savefig(buffer, format="png")
            return buffer.getvalue()

    return TimelineFigure


def timeline_figure(store: Store, focus: str | None = None, title: str | None = None) -> Figure:
    """A strip chart: x = date, one row per event type, marker area grows with the amount."""
    df = to_dataframe(run_named(store, "timeline", {"org": focus} if focus else {}))
    fig = _figure_class()(figsize=(10, 4.5), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    title = title or (f"Events involving {focus}" if focus else "Events over time")
    ax.set_title(title)
    rows = [] if df.empty else sorted(df["type"].unique())
    if not rows:
        ax.text(0.5, 0.5, "no dated events", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
        return fig
    for y, event_type in enumerate(rows):
        sub = df[df["type"] == event_type]
        xs, sizes = [], []
        for _, row in sub.iterrows():
            d = parse_partial_date(row["date"])
            if d is None:
                continue
            xs.append(d)
            amount = row["amount"] if row["amount"] is not None else None
            sizes.append(30 + 12 * max(0.0, math.log10(float(amount)) - 5) ** 1.5
                         if amount and float(amount) > 0 else 30)
        ax.scatter(xs, [y] * len(xs), s=sizes, color=EVENT_COLORS.get(event_type, "#888"),
                   alpha=0.75, edgecolors="#333", linewidths=0.5, label=event_type)
    ax.set_yticks(range(len(rows)),
                  [f"{t} ({int((df['type'] == t).sum())})" for t in rows])
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.grid(axis="x", alpha=0.3)
    ax.set_xlabel("date (a month or year alone is drawn mid-period); marker size: amount")
    fig.autofmt_xdate()
    return fig


def timeline(store: Store, out_path: str | Path, focus: str | None = None,
             title: str | None = None) -> Path:
    """Write the timeline picture to ``out_path`` (``.png`` or ``.svg``)."""
    out = Path(out_path)
    fmt = out.suffix.lower().lstrip(".")
    if fmt not in ("png", "svg"):
        raise ExportError(f"timeline pictures are .png or .svg, not {out.name!r}")
    if not out.parent.exists():
        raise ExportError(f"folder {out.parent} does not exist; create it first")
    fig = timeline_figure(store, focus, title)
    try:
        fig.savefig(out, format=fmt, metadata={"Date": None} if fmt == "svg" else None)
    except OSError as e:
        raise ExportError(f"cannot write {out}: {e.strerror or e}") from None
    log.info("wrote timeline %s", out)
    return out
