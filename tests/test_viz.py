"""The page writer without a browser: self-containment, escaping, budget, layout, timeline."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from kg.errors import ExportError, QueryError
from kg.query.networkx import to_networkx
from kg.rdf.store import open_store
from kg.viz import render_html, timeline, write_html
from kg.viz.layout import fast_layout, reduce_graph
from kg.viz.timeline import parse_partial_date

FIXTURE = Path(__file__).parent / "fixtures" / "small.trig"
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def store():
    s = open_store("memory:")
    s.load(FIXTURE, "trig")
    return s


def _data(page: str) -> dict:
    m = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    assert m
    return json.loads(m.group(1))


def test_page_is_self_contained(store, tmp_path):
    info = write_html(store, tmp_path / "g.html", title="AI deals")
    page = info.path.read_text(encoding="utf-8")
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)\s*=", page)
    assert "default-src 'none'" in page
    assert "new vis.Network" in page and "vis-network" in page  # vis inlined
    assert "{{" not in page.split('<script nonce=')[0]  # every placeholder filled
    assert '<h1 id="kg-title">AI deals</h1>' in page
    assert 'data-node-count="20"' in page and info.node_count == 20
    assert str(info) == "20 nodes, 18 edges"
    assert str(write_html(store, tmp_path / "r.html", max_nodes=8)) == \
        "7 of 20 nodes and 5 of 18 edges shown"


def test_hostile_text_never_reaches_markup(store):
    page, _ = render_html(store, title=HOSTILE)
    assert HOSTILE not in page  # neither in the data block nor the title
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    data = _data(page)
    assert HOSTILE in [n["label"] for n in data["nodes"]]
    # closing the data block early is impossible: no raw "<" in it at all
    block = page.split('id="kg-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block and "&" not in block


def test_events_as_edges_and_focus(store):
    page, counts = render_html(store, events="edges")
    assert counts["node_count"] == 12 and counts["edge_count"] == 10
    acq = next(e for e in _data(page)["edges"] if e["relation"] == "Acquisition")
    assert (acq["type"], acq["label"], acq["amount"]) == \
        ("Acquisition", "Nvidia acquires Run:ai", 700000000.0)
    page, counts = render_html(store, focus="Meta", hops=1)
    data = _data(page)
    labels = sorted(n["label"] for n in data["nodes"] if n["kind"] == "entity")
    assert labels == ["Alexandr Wang", "Meta", "Muse Spark", "Scale AI"]
    with pytest.raises(QueryError, match="no entity named"):
        render_html(store, focus="Nobody Inc")


def test_budget_notice(store):
    page, counts = render_html(store, max_nodes=8)
    assert counts == {"node_count": 7, "edge_count": 5, "total_nodes": 20, "total_edges": 18}
    data = _data(page)
    assert "13 nodes and 13 edges are left out" in data["notice"]
    assert "--max-nodes 20" in data["notice"] and "--focus NAME" in data["notice"]
    full, _ = render_html(store)
    assert _data(full)["notice"] == ""


def test_reduce_graph_keeps_whole_events(store):
    g = to_networkx(store)
    small = reduce_graph(g, 8)
    assert small.number_of_nodes() <= 8
    for n, d in small.nodes(data=True):
        if d["kind"] == "event":  # every kept event has all its participants
            assert set(g.successors(n)) <= set(small.nodes)
    assert reduce_graph(g, 100) is g


def test_fast_layout_places_every_node():
    g = nx.MultiDiGraph()
    g.add_edges_from((f"hub{i % 5}", f"leaf{i}") for i in range(400))
    g.add_edges_from([("a", "b"), ("c", "d")])  # small separate components
    g.add_node("alone")
    pos = fast_layout(g, core_size=20)
    assert set(pos) == set(g.nodes)
    assert len({(round(x), round(y)) for x, y in pos.values()}) > 0.9 * len(pos)
    assert fast_layout(g, core_size=20) == pos  # deterministic


def test_big_graph_gets_positions_and_no_physics(store):
    page, _ = render_html(store, physics=False)
    data = _data(page)
    assert data["physics"] is False
    assert all("x" in n and "y" in n for n in data["nodes"])
    assert _data(render_html(store)[0])["physics"] is True


@pytest.mark.parametrize("suffix,magic", [(".png", b"\x89PNG"), (".svg", b"<?xml")])
def test_timeline_picture(store, tmp_path, suffix, magic):
    out = timeline(store, tmp_path / f"t{suffix}", focus="Meta")
    assert out.read_bytes()[:5].startswith(magic)


def test_timeline_errors(store, tmp_path):
    with pytest.raises(ExportError, match=r"\.png or \.svg"):
        timeline(store, tmp_path / "t.gif")
    with pytest.raises(ExportError, match="does not exist"):
        write_html(store, tmp_path / "missing" / "g.html")


def test_parse_partial_date():
    assert str(parse_partial_date("2025")) == "2025-07-01"
    assert str(parse_partial_date("2025-06")) == "2025-06-15"
    assert str(parse_partial_date("2025-06-12")) == "2025-06-12"
    assert parse_partial_date("soon") is None


def test_knowledge_graph_for_notebooks(store, tmp_path):
    from kg.knowledge_graph import KnowledgeGraph

    kg = KnowledgeGraph(store)
    summary = kg._repr_html_()
    assert "2 articles, 11 entities, 9 events" in summary
    assert "<td>FundingRound</td><td style='text-align:right'>3</td>" in summary
    df = kg.query("deals-of", org="Scale AI")
    assert sorted(df["type"]) == ["Appointment", "Investment"]
    assert "deals-of" in set(kg.named_queries()["name"])
    shown = kg.show(focus="Anthropic").data
    assert shown.startswith('<div class="kg-graph"><iframe srcdoc="')
    assert 'sandbox="allow-scripts allow-popups' in shown
    assert "<script" not in shown and HOSTILE not in shown
    assert kg.timeline().axes[0].get_title() == "Events over time"
    assert kg.to_networkx().number_of_nodes() == 20
    assert kg.export("nt", tmp_path / "g.nt").read_text(encoding="utf-8").count("\n") == 224
    memory = KnowledgeGraph("memory:")
    assert "0 articles" in memory._repr_html_()


def test_any_networkx_graph_can_be_drawn(tmp_path):
    from datetime import date
    from decimal import Decimal

    g = nx.MultiDiGraph()
    g.add_node("a", label="A", kind="entity", type="Organization")
    g.add_node("e", label="deal", kind="event", type="Acquisition", amount=Decimal("5"),
               date=date(2025, 1, 2), evidence=["x"], sources=["javascript:alert(1)"])
    g.add_node("plain")  # no attributes at all
    g.add_edge("e", "a", relation="acquirer", event="e", event_type="Acquisition")
    info = write_html(g, tmp_path / "g.html")
    assert (info.node_count, info.edge_count) == (3, 1)
    data = _data(info.path.read_text(encoding="utf-8"))
    event = next(n for n in data["nodes"] if n["label"] == "deal")
    assert (event["amount"], event["date"]) == ("5", "2025-01-02")
    assert next(n for n in data["nodes"] if n["iri"] == "plain")["label"] == "plain"
