"""``kg demo``: the whole road from articles to an answered question, on bundled stories.

The stories in examples/articles (shipped in the package as ``kg.demo_articles``) are
our own writing about real AI-industry deals.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import as_file, files

from kg.build import build
from kg.config import load_settings
from kg.rdf.store import open_store
from kg.stats import store_stats

__all__ = ["run_demo", "DEMO_QUERY", "DEMO_PARAMS"]

DEMO_QUERY = "deals-of"
DEMO_PARAMS = {"org": "Nvidia"}


def run_demo(
    store_url: str | None = None,
    output: str = "kg-demo.html",
    *,
    quiet: bool = False,
    echo: Callable[[str], object] = print,
) -> dict:
    """Build the examples into the store, print counts, write HTML, print a named query."""
    from kg.query import format_result, run_named
    from kg.viz import write_html

    url = load_settings(store=store_url).store
    with as_file(files("kg.demo_articles")) as folder, open_store(url, create=True) as store:
        report = build([str(folder)], store, quiet=quiet)
        stats = store_stats(store)
        echo(f"Built {report.articles_read} example articles into {store.url}: "
             f"{stats['entities']} entities, {stats['events']} events, {stats['quads']} quads")
        echo("Events by type:")
        for etype, n in stats["events_by_type"].items():
            echo(f"  {etype:<14}{n:>5}")
        info = write_html(store, output)
        echo(f"Graph page: {output} ({info})")
        params = " ".join(f"--param {k}={v}" for k, v in DEMO_PARAMS.items())
        echo(f"\n$ kg query --named {DEMO_QUERY} {params}")
        echo(format_result(run_named(store, DEMO_QUERY, DEMO_PARAMS), "table"))
    return stats
