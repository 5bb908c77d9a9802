"""The graph page in a real browser (Playwright + Debian's Chromium, never downloaded).

Checks what only a browser can: no console errors, no network access outside file://,
the node count, filters hiding nodes, the hostile entity name shown as text with no
dialog, and the evidence panel after a real click on an event node and on an edge.
Skips loudly without Chromium; fails instead when CI=true.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kg.rdf.store import open_store
from kg.viz import write_html
from kg.viz.screenshot import CHROMIUM_ARGS, chromium_path

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).parent / "fixtures" / "small.trig"
HOSTILE = "<img src=x onerror=alert(1)>"


def _skip_or_fail(reason: str) -> None:
    from tests.conftest import skip_or_fail

    skip_or_fail(reason)


@pytest.fixture(scope="module")
def browser():
    exe = chromium_path()
    if exe is None:
        _skip_or_fail("no Chromium at /usr/bin/chromium (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _skip_or_fail("playwright is not installed (pip install playwright)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="module")
def store():
    s = open_store("memory:")
    s.load(FIXTURE, "trig")
    return s


class Page:
    """A loaded page with what it logged, requested and popped up."""

    def __init__(self, browser, path: Path):
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page = browser.new_page(viewport={"width": 1400, "height": 900})
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(path.resolve().as_uri())
        self.page.wait_for_function("() => window.kgGraph && window.kgGraph.settled === true",
                                    timeout=30_000)

    def js(self, expr: str, arg=None):
        return self.page.evaluate(expr, arg)

    def click_node(self, label: str) -> None:
        node_id = self.js("l => window.kgGraph.nodeIdByLabel(l)", label)
        assert node_id is not None, label
        self._click_at(self.js("id => window.kgGraph.domPosition(id)", node_id))

    def _click_at(self, pos: dict) -> None:
        box = self.page.locator("#kg-network canvas").bounding_box()
        self.page.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])


@pytest.fixture()
def page(browser, store, tmp_path):
    out = tmp_path / "graph.html"
    info = write_html(store, out)
    p = Page(browser, out)
    p.info = info
    yield p
    p.page.close()


def test_loads_offline_without_errors(page):
    assert page.errors == []
    assert page.requests and all(u.startswith("file://") for u in page.requests), page.requests
    assert page.dialogs == []


def test_node_count_matches(page):
    assert page.info.node_count == 20
    assert page.page.locator("#kg-app").get_attribute("data-node-count") == "20"
    assert page.js("window.kgGraph.visibleNodeIds().length") == 20
    assert page.js("window.kgGraph.network.body.data.nodes.length") == 20


def test_unticking_an_event_type_hides_its_nodes(page):
    page.page.locator("input[data-event-type='FundingRound']").uncheck()
    visible = page.js("window.kgGraph.visibleNodeIds()")
    types = page.js("ids => ids.map(i => window.kgGraph.data.nodes[i].type)", visible)
    assert "FundingRound" not in types
    assert len(visible) == 17  # three funding rounds hidden
    page.page.locator("input[data-event-type='FundingRound']").check()
    assert len(page.js("window.kgGraph.visibleNodeIds()")) == 20


def test_date_range_filter(page):
    page.page.fill("#kg-date-from", "2025-06")
    page.page.fill("#kg-date-to", "2025-12-31")
    visible = page.js("window.kgGraph.visibleNodeIds()")
    dates = page.js("ids => ids.map(i => window.kgGraph.data.nodes[i])"
                    ".filter(d => d.kind === 'event').map(d => d.date || '')", visible)
    # 2025 (year only) overlaps the range; the undated Appointment stays (box ticked)
    assert sorted(dates) == ["", "2025", "2025-06", "2025-06-12", "2025-07-15"]
    page.page.locator("#kg-undated").uncheck()
    visible = page.js("window.kgGraph.visibleNodeIds()")
    dates = page.js("ids => ids.map(i => window.kgGraph.data.nodes[i])"
                    ".filter(d => d.kind === 'event').map(d => d.date || '')", visible)
    assert "" not in dates


def test_hostile_name_is_text(page):
    page.page.hover("#kg-title")
    page.click_node(HOSTILE)
    panel = page.page.locator("#kg-panel")
    panel.wait_for(state="visible")
    assert page.page.locator("#kg-panel h2").inner_text() == HOSTILE
    assert page.page.locator("img").count() == 0
    options = page.js("[...document.querySelectorAll('#kg-names option')].map(o => o.value)")
    assert HOSTILE in options
    page.page.fill("#kg-search-input", HOSTILE)
    page.page.click("#kg-search button")
    assert page.page.locator("#kg-panel h2").inner_text() == HOSTILE
    page.page.wait_for_timeout(200)
    assert page.dialogs == [] and page.errors == []


def test_clicking_an_event_shows_evidence_and_sources(page):
    page.click_node("Nvidia acquires Run:ai")
    page.page.locator("#kg-panel").wait_for(state="visible")
    quotes = page.page.locator("#kg-panel blockquote").all_inner_texts()
    assert quotes == ["Nvidia completed its $700 million purchase of Run:ai in December.",
                      "Nvidia, which bought Run:ai for $700 million last year, ..."]
    links = page.page.locator("#kg-panel a")
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == \
        ["https://example.com/news/a1", "https://example.com/news/a2"]
    assert "USD 700 million" in page.page.locator("#kg-panel").inner_text()


def test_clicking_an_edge_shows_evidence(browser, store, tmp_path):
    out = tmp_path / "edges.html"
    write_html(store, out, events="edges")
    p = Page(browser, out)
    try:
        ids = p.js("['Nvidia', 'Run:ai'].map(window.kgGraph.nodeIdByLabel)")
        a, b = (p.js("id => window.kgGraph.domPosition(id)", i) for i in ids)
        p._click_at({"x": (a["x"] + b["x"]) / 2, "y": (a["y"] + b["y"]) / 2})
        p.page.locator("#kg-panel").wait_for(state="visible")
        assert p.page.locator("#kg-panel").get_attribute("data-kind") == "edge"
        assert p.page.locator("#kg-panel blockquote").first.inner_text() == \
            "Nvidia completed its $700 million purchase of Run:ai in December."
        p.page.locator("#kg-panel-close").click()
        box = p.page.locator("#kg-network canvas").bounding_box()
        p.page.mouse.move(box["x"] + (a["x"] + b["x"]) / 2 + 1, box["y"] + (a["y"] + b["y"]) / 2)
        tip = p.page.locator(".vis-tooltip")
        tip.wait_for(state="visible", timeout=5000)
        assert tip.locator("strong").inner_text() == "Nvidia acquires Run:ai"
        assert "undefined" not in tip.inner_text()
        assert p.errors == []
    finally:
        p.page.close()


def test_reduced_view_says_what_was_left_out(browser, store, tmp_path):
    out = tmp_path / "small.html"
    info = write_html(store, out, max_nodes=8)
    p = Page(browser, out)
    try:
        assert p.js("window.kgGraph.visibleNodeIds().length") == info.node_count == 7
        notice = p.page.locator("#kg-notice").inner_text()
        assert "7 most connected of 20 nodes" in notice
        assert "--focus NAME" in notice and "--max-nodes 20" in notice
    finally:
        p.page.close()


def test_big_graph_uses_precomputed_layout(browser, store, tmp_path):
    out = tmp_path / "static.html"
    write_html(store, out, physics=False)
    p = Page(browser, out)
    try:
        assert p.js("window.kgGraph.data.physics") is False
        assert p.js("window.kgGraph.data.nodes.every(n => typeof n.x === 'number')")
        assert p.errors == []
    finally:
        p.page.close()


def test_screenshot(store, tmp_path, browser):
    out = tmp_path / "g.html"
    write_html(store, out)
    # the sync Playwright API cannot nest inside the running one of the fixture
    code = ("import sys; from kg.viz.screenshot import screenshot; "
            "screenshot(sys.argv[1], sys.argv[2], width=800, height=600)")
    subprocess.run([sys.executable, "-c", code, str(out), str(tmp_path / "g.png")],
                   check=True, timeout=120)
    png = (tmp_path / "g.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == 800  # IHDR width


def test_tooltip_shows_hostile_name_as_text(page):
    node_id = page.js("l => window.kgGraph.nodeIdByLabel(l)", HOSTILE)
    pos = page.js("id => window.kgGraph.domPosition(id)", node_id)
    box = page.page.locator("#kg-network canvas").bounding_box()
    page.page.mouse.move(box["x"] + pos["x"], box["y"] + pos["y"])
    tip = page.page.locator(".vis-tooltip")
    tip.wait_for(state="visible", timeout=5000)
    assert tip.locator("strong").inner_text() == HOSTILE
    assert page.page.locator("img").count() == 0 and page.dialogs == []


def test_search_by_alias_focuses_entity(page):
    page.page.fill("#kg-search-input", "facebook")
    page.page.click("#kg-search button")
    assert page.page.locator("#kg-panel h2").inner_text() == "Meta"
    selected = page.js("window.kgGraph.network.getSelectedNodes()")
    assert selected == [page.js("l => window.kgGraph.nodeIdByLabel(l)", "Meta")]
    page.page.fill("#kg-search-input", "Nobody Inc")
    page.page.click("#kg-search button")
    assert "No entity named" in page.page.locator("#kg-status").inner_text()


def test_only_web_links_become_links(browser, tmp_path):
    import networkx as nx

    g = nx.MultiDiGraph()
    g.add_node("a", label="A", kind="entity", type="Organization")
    g.add_node("e", label="deal", kind="event", type="Acquisition", evidence=["said so"],
               sources=["javascript:alert(1)", "https://example.com/ok"])
    g.add_edge("e", "a", relation="acquirer", event="e", event_type="Acquisition")
    out = tmp_path / "links.html"
    write_html(g, out)
    p = Page(browser, out)
    try:
        p.click_node("deal")
        p.page.locator("#kg-panel").wait_for(state="visible")
        hrefs = p.page.locator("#kg-panel a").evaluate_all("as => as.map(a => a.href)")
        assert hrefs == ["https://example.com/ok"]
        assert "javascript:alert(1)" in p.page.locator("#kg-panel").inner_text()
        assert p.dialogs == [] and p.errors == []
    finally:
        p.page.close()


def test_empty_graph_says_so(browser, tmp_path):
    out = tmp_path / "empty.html"
    info = write_html(open_store("memory:"), out)
    assert info.node_count == 0
    p = Page(browser, out)
    try:
        assert "the graph is empty" in p.page.locator(".kg-empty").inner_text()
        assert p.errors == []
    finally:
        p.page.close()
