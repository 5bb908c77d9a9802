"""Viewer benchmark: does a 20,000-node graph give a page that settles in under 10 s?

Generates a synthetic store in kg's data shape (organisations, people, products, events
with money nodes, mentions and articles, one named graph per article), then measures,
in headless Chromium:

* kg: ``to_networkx`` + ``write_html`` with the default node budget (reduced view) and
  with the whole graph (``max_nodes`` = all; precomputed layout, physics off), and the
  time from opening the page until it has drawn/settled;
* baseline, in the same run: pyvis's defaults, ``Network.from_nx`` then ``write_html``
  with physics on, opened in the same browser, waiting for vis-network to stabilise,
  each step with a time limit.

Usage: python benchmarks/viz.py [--nodes 20000] [--limit 60] [--no-baseline]
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing as mp
import random
import sys
import tempfile
import time
from pathlib import Path

log = logging.getLogger("bench.viz")

KG = "https://w3id.org/aikg/ns#"
ID = "https://w3id.org/aikg/id/"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PROV = "http://www.w3.org/ns/prov#wasDerivedFrom"
SCHEMA = "https://schema.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
TYPES = [("Acquisition", "acquirer", "target"), ("Investment", "investor", "investee"),
         ("Partnership", "partner", "partner"), ("Customer", "provider", "customer"),
         ("Appointment", "person", "organization"), ("ProductLaunch", "company", "product"),
         ("FundingRound", "company", "investor")]


def _lit(text: str, dt: str | None = None) -> str:
    esc = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{esc}"' + (f"^^<{XSD}{dt}>" if dt else "")


def generate(path: Path, nodes: int, seed: int = 1) -> tuple[int, int]:
    """Write an N-Quads file with about ``nodes`` graph nodes (entities + events)."""
    rng = random.Random(seed)
    n_events = int(nodes * 0.63)
    n_orgs, n_people, n_products = int(nodes * 0.36), int(nodes * 0.07), int(nodes * 0.07)
    orgs = [f"{ID}organization/org-{i}" for i in range(n_orgs)]
    people = [f"{ID}person/person-{i}" for i in range(n_people)]
    products = [f"{ID}product/product-{i}" for i in range(n_products)]
    weights = [1.0 / (i + 1) ** 0.8 for i in range(n_orgs)]  # a few hubs, a long tail
    lines: list[str] = []
    per_article = 25
    for e in range(n_events):
        art = e // per_article
        g = f"<{ID}graph/art-{art}>"
        name, r1, r2 = TYPES[e % len(TYPES)]
        a = rng.choices(orgs, weights)[0] if r1 != "person" else rng.choice(people)
        b = rng.choice(products) if r2 == "product" else rng.choices(orgs, weights)[0]
        if b == a:
            b = orgs[(orgs.index(a) + 1) % n_orgs]
        ev = f"{ID}event/{name.lower()}/e{e}"
        day = f"20{22 + e % 4}-{1 + e % 12:02d}-{1 + e % 28:02d}"
        m = f"{ev}/amount/{(e % 900 + 1) * 1000000}-USD"
        mention = f"{ev}/mention/art-{art}/{e * 10}"
        article = f"{ID}article/art-{art}"
        for s, p, o in [
            (ev, RDF_TYPE, f"<{KG}{name}>"), (ev, LABEL, _lit(f"{name} {e}")),
            (ev, KG + r1, f"<{a}>"), (ev, KG + r2, f"<{b}>"), (ev, KG + "date", _lit(day, "date")),
            (ev, KG + "amount", f"<{m}>"), (m, RDF_TYPE, f"<{KG}MonetaryAmount>"),
            (m, KG + "value", _lit(str((e % 900 + 1) * 1000000), "decimal")),
            (m, KG + "currency", _lit("USD")),
            (mention, RDF_TYPE, f"<{KG}EventMention>"), (mention, KG + "mentionOf", f"<{ev}>"),
            (mention, PROV, f"<{article}>"),
            (mention, KG + "sentence", _lit(f"Sentence reporting event {e} <b>&amp;</b>.")),
        ]:
            lines.append(f"<{s}> <{p}> {o} {g} .")
        for ent in (a, b):
            kind = ent.split("/")[-2]
            cls = {"organization": "Organization", "person": "Person"}.get(kind, "Product")
            lines.append(f"<{ent}> <{RDF_TYPE}> <{KG}{cls}> {g} .")
            lines.append(f"<{ent}> <{LABEL}> {_lit(ent.rsplit('/', 1)[-1])} {g} .")
        if e % per_article == 0:
            lines.append(f"<{article}> <{RDF_TYPE}> <{KG}Article> {g} .")
            lines.append(f"<{article}> <{SCHEMA}url> <https://example.com/{art}> {g} .")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return n_events, len(lines)


def open_page(browser, html: Path, expr: str, limit: float) -> float | None:
    """Seconds from navigation until ``expr`` is true, or None past ``limit``."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        start = time.perf_counter()
        page.goto(html.resolve().as_uri(), timeout=limit * 1000, wait_until="load")
        # expressions are arrow functions: a bare expression string is eval'ed in the
        # page, which kg's Content-Security-Policy forbids
        page.wait_for_function(expr, timeout=max(1.0, limit - (time.perf_counter() - start))
                               * 1000)
        return time.perf_counter() - start
    except Exception as e:  # playwright TimeoutError and friends
        log.info("page %s did not settle: %s", html.name, str(e).splitlines()[0])
        return None
    finally:
        page.close()


def _pyvis_baseline(graph_path: str, out: str) -> None:
    import pickle

    from pyvis.network import Network

    with open(graph_path, "rb") as f:
        g = pickle.load(f)
    net = Network(height="900px", width="100%", cdn_resources="in_line")
    net.from_nx(g)
    net.write_html(out)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=20_000)
    ap.add_argument("--limit", type=float, default=60.0, help="seconds per baseline step")
    ap.add_argument("--no-baseline", action="store_true")
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")

    from playwright.sync_api import sync_playwright

    from kg.query.export import flatten_graph
    from kg.query.networkx import to_networkx
    from kg.rdf.store import open_store
    from kg.viz import write_html
    from kg.viz.screenshot import CHROMIUM_ARGS, chromium_path

    exe = chromium_path()
    if exe is None:
        print("no Chromium: cannot measure", file=sys.stderr)
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="kg-bench-viz-"))
    t = time.perf_counter()
    n_events, n_quads = generate(tmp / "data.nq", args.nodes)
    store = open_store("oxigraph:")
    store.load(tmp / "data.nq", "nquads")
    print(f"generated {n_quads:,} quads ({n_events:,} events) in {time.perf_counter() - t:.1f} s")

    rows: list[tuple[str, str]] = []
    t = time.perf_counter()
    g = to_networkx(store)
    t_nx = time.perf_counter() - t
    rows.append(("to_networkx", f"{t_nx:.1f} s ({g.number_of_nodes():,} nodes, "
                                f"{g.number_of_edges():,} edges)"))
    t = time.perf_counter()
    reduced = write_html(g, tmp / "kg-default.html")
    rows.append(("kg write_html, default budget", f"{time.perf_counter() - t:.1f} s "
                                                  f"({reduced.node_count:,} nodes shown)"))
    t = time.perf_counter()
    full = write_html(g, tmp / "kg-full.html", max_nodes=g.number_of_nodes())
    rows.append(("kg write_html, all nodes", f"{time.perf_counter() - t:.1f} s "
                                             f"({full.node_count:,} nodes, precomputed layout)"))
    # the baseline gets the same nodes and attributes as a simple DiGraph (pyvis's
    # from_nx would take multigraph edge keys as vis edge ids, which collide)
    import pickle

    import networkx as nx

    graphml = tmp / "g.pickle"
    with graphml.open("wb") as f:
        pickle.dump(nx.DiGraph(flatten_graph(g)), f)

    settled = "() => window.kgGraph && window.kgGraph.settled === true"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        for label, page in (("kg page settles, default budget", reduced),
                            ("kg page settles, all nodes", full)):
            secs = open_page(browser, page.path, settled, 120.0)
            verdict = "n/a" if secs is None else ("PASS" if secs < 10 else "FAIL")
            rows.append((label, f"{secs:.1f} s  [{verdict} < 10 s]" if secs is not None
                         else "did not settle in 120 s"))
        if not args.no_baseline:
            ctx = mp.get_context("spawn")
            proc = ctx.Process(target=_pyvis_baseline, args=(str(graphml),
                                                             str(tmp / "pyvis.html")))
            t = time.perf_counter()
            proc.start()
            proc.join(args.limit)
            if proc.is_alive():
                proc.terminate()
                proc.join()
                rows.append(("baseline pyvis from_nx + write_html",
                             f"> {args.limit:.0f} s (stopped at the limit)"))
            else:
                rows.append(("baseline pyvis from_nx + write_html",
                             f"{time.perf_counter() - t:.1f} s"))
                # pyvis's template keeps a global `network`; stabilised = physics settled
                expr = ("() => typeof network !== 'undefined' && network.physics &&"
                        " network.physics.stabilized === true")
                secs = open_page(browser, tmp / "pyvis.html", expr, args.limit)
                rows.append(("baseline pyvis page stabilises (physics on)",
                             f"{secs:.1f} s" if secs is not None
                             else f"> {args.limit:.0f} s (stopped at the limit)"))
        browser.close()
    width = max(len(r[0]) for r in rows)
    print(f"\nviz benchmark, {g.number_of_nodes():,}-node store (files in {tmp})")
    for name, value in rows:
        print(f"  {name.ljust(width)}  {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
