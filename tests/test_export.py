"""Exports: RDF formats round-trip through rdflib; GraphML/GEXF through networkx's readers;
the Neo4j CSVs have the import headers and one row per node and edge."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from kg.errors import ExportError, QueryError
from kg.query.export import EXPORT_FORMATS, export, flatten_graph
from kg.query.networkx import to_networkx
from kg.rdf.store import open_store

FIXTURE = Path(__file__).parent / "fixtures" / "small.trig"
ID = "https://w3id.org/aikg/id/"
ACQ = ID + "event/acquisition/nvidia-run-ai"


@pytest.fixture(scope="module")
def store():
    s = open_store("memory:")
    s.load(FIXTURE, "trig")
    return s


def _fixture_union() -> Graph:
    ds = Dataset()
    ds.parse(FIXTURE, format="trig")
    union = Graph()
    for s, p, o, _ in ds.quads():
        union.add((s, p, o))
    return union


def test_to_networkx_nodes_and_edges(store):
    g = to_networkx(store)
    entities = [n for n, d in g.nodes(data=True) if d["kind"] == "entity"]
    events = [n for n, d in g.nodes(data=True) if d["kind"] == "event"]
    assert len(entities) == 11 and len(events) == 9
    acq = g.nodes[ACQ]
    assert (acq["type"], acq["amount"], acq["currency"], acq["date"]) == \
        ("Acquisition", 700000000.0, "USD", "2024-12")
    assert acq["sources"] == ["https://example.com/news/a1", "https://example.com/news/a2"]
    assert len(acq["evidence"]) == 2
    edges = {(u, v, d["relation"]) for u, v, d in g.out_edges(ACQ, data=True)}
    assert edges == {(ACQ, ID + "organization/nvidia", "acquirer"),
                     (ACQ, ID + "organization/run-ai", "target")}
    assert g.nodes[ID + "product/muse-spark"]["type"] == "AIModel"
    assert g.nodes[ID + "event/partnership/microsoft-openai"]["deal_kind"] == "compute"


def test_events_folded_into_edges(store):
    g = to_networkx(store, events="edges")
    edge = g.get_edge_data(ID + "organization/nvidia", ID + "organization/run-ai")
    assert list(edge) == [ACQ]
    assert edge[ACQ]["relation"] == "Acquisition" and edge[ACQ]["amount"] == 700000000.0
    # a round without named investors has one participant and stays a node
    assert g.nodes[ID + "event/funding-round/img-src-x-onerror-alert-1"]["kind"] == "event"


def test_focus_and_hops(store):
    one = to_networkx(store, focus="NVIDIA Corp")
    assert set(one) == {ACQ, ID + "organization/nvidia", ID + "organization/run-ai"}
    two = to_networkx(store, focus="Alexandr Wang", hops=2)
    assert ID + "product/muse-spark" in two and ID + "organization/openai" not in two
    with pytest.raises(QueryError, match="no entity named"):
        to_networkx(store, focus="Nobody")


@pytest.mark.parametrize("fmt,parse", [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld")])
def test_rdf_triple_formats_round_trip(store, tmp_path, fmt, parse):
    out = export(store, fmt, tmp_path / f"g.{fmt}")
    assert isomorphic(Graph().parse(out, format=parse), _fixture_union())


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_rdf_quad_formats_keep_graphs(store, tmp_path, fmt):
    out = export(store, fmt, tmp_path / f"g.{fmt}")
    ds = Dataset()
    ds.parse(out, format=fmt)
    names = {str(g.identifier) for g in ds.graphs() if len(g)}
    assert names == {ID + "graph/a1", ID + "graph/a2"}
    expected = Dataset()
    expected.parse(FIXTURE, format="trig")
    for name in names:
        assert isomorphic(ds.graph(URIRef(name)), expected.graph(URIRef(name)))


@pytest.mark.parametrize("fmt,reader", [("graphml", nx.read_graphml), ("gexf", nx.read_gexf)])
def test_graph_formats_round_trip(store, tmp_path, fmt, reader):
    g = flatten_graph(to_networkx(store))
    back = reader(export(store, fmt, tmp_path / f"g.{fmt}"))
    assert set(back.nodes) == set(g.nodes)
    assert sorted((u, v) for u, v in back.edges()) == sorted((u, v) for u, v, _ in g.edges)
    for n, d in g.nodes(data=True):
        assert {k: back.nodes[n][k] for k in d} == d
    assert back.nodes[ACQ]["evidence"].split("\n")[0] == \
        "Nvidia completed its $700 million purchase of Run:ai in December."
    assert back.nodes[ID + "organization/img-src-x-onerror-alert-1"]["label"] == \
        "<img src=x onerror=alert(1)>"


def test_neo4j_csv(store, tmp_path):
    out = export(store, "neo4j", tmp_path / "neo")
    nodes = list(csv.DictReader((out / "nodes.csv").open(encoding="utf-8")))
    rels = list(csv.DictReader((out / "relationships.csv").open(encoding="utf-8")))
    assert ":ID" in nodes[0] and ":LABEL" in nodes[0]
    assert list(rels[0])[:3] == [":START_ID", ":END_ID", ":TYPE"]
    assert len(nodes) == 20 and len(rels) == 18
    by_id = {n[":ID"]: n for n in nodes}
    assert by_id[ACQ][":LABEL"] == "Event;Acquisition"
    assert by_id[ACQ]["amount:double"] == "700000000.0"
    assert {(r[":END_ID"], r[":TYPE"]) for r in rels if r[":START_ID"] == ACQ} == \
        {(ID + "organization/nvidia", "ACQUIRER"), (ID + "organization/run-ai", "TARGET")}
    ids = set(by_id)
    assert all(r[":START_ID"] in ids and r[":END_ID"] in ids for r in rels)
    zipped = export(store, "neo4j", tmp_path / "neo.zip")
    with zipfile.ZipFile(zipped) as z:
        assert sorted(z.namelist()) == ["nodes.csv", "relationships.csv"]
        text = z.read("nodes.csv").decode()
    assert list(csv.DictReader(io.StringIO(text))) == nodes


def test_export_errors(store, tmp_path):
    with pytest.raises(ExportError, match="unknown export format 'png'"):
        export(store, "png", tmp_path / "x.png")
    with pytest.raises(ExportError, match="does not exist"):
        export(store, "turtle", tmp_path / "missing" / "x.ttl")
    assert set(EXPORT_FORMATS) >= {"turtle", "graphml", "gexf", "neo4j"}


def test_to_networkx_same_on_every_engine(store):
    ox = open_store("oxigraph:")
    ox.load(FIXTURE, "trig")
    a, b = to_networkx(store), to_networkx(ox)
    assert dict(a.nodes(data=True)) == dict(b.nodes(data=True))
    assert sorted(a.edges(keys=True)) == sorted(b.edges(keys=True))
