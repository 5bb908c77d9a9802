"""Issue 4: one event from many reports. Two articles report one deal under different
name forms and disagree on the amount: one event node, two sources, one conflict;
withdrawing articles withdraws exactly their testimony; builds are reproducible."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic

from kg.extract.gazetteer import Gazetteer, GazetteerEntry
from kg.model import Article, ArticleExtraction, Entity, Event, Provenance
from kg.rdf.iris import graph_iri
from kg.rdf.mapping import article_graph
from kg.rdf.namespace import KG
from kg.rdf.provenance import conflicts, event_sources
from kg.rdf.store import open_store
from kg.resolve import Resolver, merge_candidates

ID = "https://w3id.org/aikg/id/"
EVENT = URIRef(f"{ID}event/acquisition/nvidia--run-ai")
NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
BACKENDS = ["memory:", "oxigraph:"]


def _extraction(aid: str, text: str, published: str, acquirer: str, amount: float | None,
                extra: list[Event] | None = None) -> ArticleExtraction:
    prov = Provenance(aid, text, 0, len(text), "test", "1", 0.9)
    roles = {"acquirer": acquirer, "target": "Run:ai"}
    if amount is not None:
        roles["amount"] = {"value": amount, "currency": "USD"}
    events = [Event("Acquisition", roles, prov), *(extra or [])]
    return ArticleExtraction(Article(aid, text, title=aid, published=published), events)


def _reports() -> list[ArticleExtraction]:
    return [
        _extraction("r1", "Nvidia agreed to buy Run:ai for $700 million.", "2024-04-24",
                    "Nvidia", 7e8),
        _extraction("r2", "NVIDIA Corp. has bought Run:ai for $650 million.", "2024-12-30",
                    "NVIDIA Corp.", 6.5e8,
                    [Event("Partnership", {"partners": ["NVIDIA Corp.", "Run:ai"]},
                           Provenance("r2", "...", 60, 90, "test", "1", 0.5))]),
    ]


def _build(url: str, extractions, gazetteer: Gazetteer | None = None):
    store = open_store(url)
    resolver = Resolver(gazetteer if gazetteer is not None else Gazetteer())
    for x in extractions:
        graph, triples = article_graph(resolver.resolve(x), NOW)
        store.replace_graphs({graph: triples})
    return store


def _about(store, node: URIRef) -> set:
    return {(s, p, o) for s, p, o, _ in store.quads() if node in (s, o)}


@pytest.mark.parametrize("url", BACKENDS)
@pytest.mark.parametrize("gazetteer", [Gazetteer(), Gazetteer([GazetteerEntry(
    "Nvidia", "Organization", aliases=["NVIDIA"])])], ids=["no-gazetteer", "gazetteer"])
def test_two_reports_one_event_two_sources_one_conflict(url, gazetteer):
    store = _build(url, _reports(), gazetteer)
    acquisitions = store.query(
        "SELECT DISTINCT ?e WHERE { ?e a <https://w3id.org/aikg/ns#Acquisition> }").rows
    assert acquisitions == [(EVENT,)]
    assert store.graphs() == {graph_iri("r1"), graph_iri("r2")}
    mentions = {s for s, p, o, _ in store.quads() if p == KG.mentionOf and o == EVENT}
    assert mentions == {URIRef(f"{EVENT}/mention/r1/0"), URIRef(f"{EVENT}/mention/r2/0")}
    sources = {s["event"]: s for s in event_sources(store)}
    assert sources[str(EVENT)]["sources"] == 2
    assert sources[str(EVENT)]["mentions"] == 2
    assert sources[str(EVENT)]["first_published"] == "2024-04-24"
    assert sources[str(EVENT)]["last_published"] == "2024-12-30"
    assert sources[str(EVENT)]["label"] == "Nvidia acquired Run:ai"
    partnership = f"{ID}event/partnership/nvidia--run-ai"
    assert sources[partnership]["sources"] == 1
    found = conflicts(store)
    assert found == [{
        "event": str(EVENT), "label": "Nvidia acquired Run:ai", "property": "amount",
        "values": [{"value": {"value": 650000000.0, "currency": "USD"}, "articles": ["r2"]},
                   {"value": {"value": 700000000.0, "currency": "USD"}, "articles": ["r1"]}],
    }]
    nvidia = URIRef(f"{ID}organization/nvidia")
    labels = {o for s, p, o, _ in store.quads() if s == nvidia and p.endswith("#label")}
    assert {str(x) for x in labels} == {"Nvidia"}


@pytest.mark.parametrize("url", BACKENDS)
def test_event_sources_with_bound_event(url):
    store = _build(url, _reports())
    only = event_sources(store, EVENT)
    assert [(s["event"], s["sources"]) for s in only] == [(str(EVENT), 2)]
    assert event_sources(store, URIRef(f"{ID}event/acquisition/none--none")) == []


@pytest.mark.parametrize("url", BACKENDS)
def test_agreeing_reports_are_not_a_conflict(url):
    store = _build(url, [
        _extraction("r1", "Nvidia bought Run:ai for $700 million.", "2024-04-24", "Nvidia", 7e8),
        _extraction("r2", "Nvidia paid $0.7 billion for Run:ai.", "2024-05-01", "NVIDIA", 0.7e9),
        _extraction("r3", "Nvidia bought Run:ai.", "2024-05-02", "Nvidia", None),
    ])
    assert conflicts(store) == []
    assert event_sources(store, EVENT)[0]["sources"] == 3


@pytest.mark.parametrize("url", BACKENDS)
def test_dropping_articles_withdraws_their_testimony(url):
    store = _build(url, _reports())
    store.drop_graphs([graph_iri("r2")])
    assert [(s["event"], s["sources"]) for s in event_sources(store)] == [(str(EVENT), 1)]
    assert conflicts(store) == []
    amounts = {o for s, p, o, _ in store.quads() if s == EVENT and p == KG.amount}
    assert amounts == {URIRef(f"{EVENT}/amount/700000000-usd")}
    store.drop_graphs([graph_iri("r1")])
    assert _about(store, EVENT) == set()
    assert event_sources(store) == []
    assert store.count() == 0


def _union(store) -> Graph:
    g = Graph()
    for s, p, o, _ in store.quads():
        g.add((s, p, o))
    return g


@pytest.mark.parametrize("url", BACKENDS)
def test_building_twice_gives_the_same_store(url):
    first, second = _build(url, _reports()), _build(url, _reports())
    assert set(first.quads()) == set(second.quads())
    assert isomorphic(_union(first), _union(second))
    # and in the other order: the same quads ("NVIDIA Corp." reads as "Nvidia")
    reverse = _build(url, list(reversed(_reports())))
    assert set(reverse.quads()) == set(first.quads())


@pytest.mark.parametrize("url", BACKENDS)
def test_changed_article_replaces_its_old_statements(url):
    store = _build(url, _reports())
    changed = _extraction("r2", "NVIDIA Corp. has bought Run:ai for $700 million.",
                          "2024-12-30", "NVIDIA Corp.", 7e8)
    resolver = Resolver(Gazetteer())
    graph, triples = article_graph(resolver.resolve(changed), NOW)
    store.replace_graphs({graph: triples})
    assert conflicts(store) == []
    assert set(store.quads(graph_iri("r2"))) == {(s, p, o, graph_iri("r2")) for s, p, o in triples}
    assert not any("/event/partnership/" in str(q[0]) for q in store.quads())
    hashes = {str(o) for s, p, o, _ in store.quads() if p == KG.contentHash}
    assert changed.article.content_hash in hashes and len(hashes) == 2


def test_merge_candidates():
    ents = [Entity("Scale", "Organization"), Entity("Scale AI", "Organization"),
            Entity("Wang", "Person"), Entity("Alexandr Wang", "Person"),
            Entity("AMD", "Organization"), Entity("Advanced Micro Devices", "Organization"),
            Entity("Gemini 2.5", "AIModel"), Entity("Gemini 1.5", "AIModel"),
            Entity("OpenAI", "Organization"), Entity("Open AI", "Organization"),
            Entity("Google", "Organization"), Entity("Google DeepMind", "Organization"),
            Entity("Meta", "Organization"), Entity("Meta", "Product"),
            Entity("Facebook", "Organization", frozenset({"Meta Platforms"})),
            Entity("Meta Platforms", "Organization")]
    got = [(a.name, b.name, score) for a, b, score in merge_candidates(ents)]
    assert got == [
        ("Facebook", "Meta Platforms", 0.95),
        ("Open AI", "OpenAI", 0.923),
        ("AMD", "Advanced Micro Devices", 0.9),
        ("Meta", "Meta Platforms", 0.9),
        ("Scale", "Scale AI", 0.9),
        ("Alexandr Wang", "Wang", 0.85),
    ]


@pytest.mark.parametrize("url", BACKENDS)
def test_text_values_differing_in_case_are_not_conflicts(url):
    def ipo(aid, exchange, pub):
        ev = Event("IPO", {"company": "CoreWeave", "exchange": exchange})
        return ArticleExtraction(Article(aid, "x", published=pub), [ev])

    store = _build(url, [ipo("i1", "Nasdaq", "2025-03-01"), ipo("i2", "NASDAQ", "2025-03-02")])
    assert conflicts(store) == []
    store = _build(url, [ipo("i1", "Nasdaq", "2025-03-01"), ipo("i2", "NYSE", "2025-03-02")])
    assert [(c["property"], [v["value"] for v in c["values"]]) for c in conflicts(store)] == [
        ("exchange", ["NYSE", "Nasdaq"])]
