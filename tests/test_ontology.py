"""The OWL vocabulary, the KG namespace and the SHACL shapes agree with each other and
with the event schema; validation finds what is wrong and names the node."""

from __future__ import annotations

from datetime import UTC, datetime
from importlib.resources import files

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace as ns

from kg.extract.gazetteer import Gazetteer
from kg.model import Article, ArticleExtraction, Event, Provenance
from kg.rdf.mapping import article_graph
from kg.rdf.namespace import KG, NS, PROV, TIME
from kg.rdf.store import open_store
from kg.rdf.validate import ValidationReport, validate, validate_graph
from kg.resolve import Resolver
from kg.schema import EVENT_TYPES, ROLE_KINDS

ID = "https://w3id.org/aikg/id/"


@pytest.fixture(scope="module")
def onto() -> Graph:
    g = Graph()
    g.parse(data=(files("kg.ontologies") / "kg.ttl").read_text("utf-8"), format="turtle")
    return g


@pytest.fixture(scope="module")
def shapes() -> Graph:
    g = Graph()
    g.parse(data=(files("kg.ontologies") / "shapes.ttl").read_text("utf-8"), format="turtle")
    return g


def _kg_terms(g: Graph) -> set[str]:
    return {str(s)[len(NS):] for s in g.subjects(ns.RDF.type, None)
            if isinstance(s, URIRef) and str(s).startswith(NS)}


def test_namespace_and_ontology_list_the_same_terms(onto):
    in_namespace = set(KG.__annotations__)
    in_ontology = _kg_terms(onto)
    assert in_namespace - in_ontology == set(), "terms in namespace.py missing from kg.ttl"
    assert in_ontology - in_namespace == set(), "terms in kg.ttl missing from namespace.py"


def test_every_term_has_label_and_comment(onto):
    for name in KG.__annotations__:
        term = KG[name]
        assert onto.value(term, ns.RDFS.label) is not None, name
        comment = onto.value(term, ns.RDFS.comment)
        assert comment is not None and len(str(comment)) > 10, name


def test_event_types_are_event_subclasses(onto):
    for name in EVENT_TYPES:
        assert (KG[name], ns.RDF.type, ns.OWL.Class) in onto
        assert (KG[name], ns.RDFS.subClassOf, KG.Event) in onto
    assert (KG.AIModel, ns.RDFS.subClassOf, KG.Product) in onto


def test_every_role_is_a_property_with_domain_and_range(onto):
    for role, kind in ROLE_KINDS.items():
        prop = KG[{"partners": "partner", "investors": "investor"}.get(role, role)]
        expected = ns.OWL.ObjectProperty if kind in ("entity", "entities", "money") \
            else ns.OWL.DatatypeProperty
        assert (prop, ns.RDF.type, expected) in onto, role
        assert onto.value(prop, ns.RDFS.domain) is not None, role
        assert onto.value(prop, ns.RDFS.range) is not None, role


def test_union_domain_lists_the_event_classes(onto):
    domain = onto.value(KG.investor, ns.RDFS.domain)
    assert isinstance(domain, BNode)
    members = set(onto.items(onto.value(domain, ns.OWL.unionOf)))
    assert members == {KG.Investment, KG.FundingRound}
    date_type = onto.value(KG.PartialDate, ns.OWL.equivalentClass)
    members = set(onto.items(onto.value(date_type, ns.OWL.unionOf)))
    assert members == {ns.XSD.date, ns.XSD.gYearMonth, ns.XSD.gYear}
    assert onto.value(KG.date, ns.RDFS.range) == KG.PartialDate


def test_alignment_with_schema_prov_time(onto):
    assert (KG.Organization, ns.RDFS.subClassOf, ns.SDO.Organization) in onto
    assert (KG.Person, ns.RDFS.subClassOf, ns.SDO.Person) in onto
    assert (KG.Product, ns.RDFS.subClassOf, ns.SDO.Product) in onto
    assert (KG.Article, ns.RDFS.subClassOf, ns.SDO.NewsArticle) in onto
    assert (KG.Article, ns.RDFS.subClassOf, PROV.Entity) in onto
    assert (KG.EventMention, ns.RDFS.subClassOf, PROV.Entity) in onto
    assert (KG.MonetaryAmount, ns.RDFS.subClassOf, ns.SDO.MonetaryAmount) in onto
    assert (KG.value, ns.RDFS.subPropertyOf, ns.SDO.value) in onto
    assert (KG.date, ns.RDFS.seeAlso, TIME.hasTime) in onto


def test_direct_relations(onto):
    assert (KG.acquiredStakeIn, ns.RDFS.subPropertyOf, KG.investedIn) in onto
    assert (KG.partneredWith, ns.RDF.type, ns.OWL.SymmetricProperty) in onto
    for name in ("acquired", "investedIn", "acquiredStakeIn", "fundedBy", "launched",
                 "partneredWith", "holdsRoleAt", "customerOf", "subsidiaryOf"):
        assert "Derived from" in str(onto.value(KG[name], ns.RDFS.comment)), name


def test_shapes_cover_every_event_type_and_required_role(shapes):
    for name, etype in EVENT_TYPES.items():
        shape = next(shapes.subjects(ns.SH.targetClass, KG[name]))
        mins = {}
        for prop in shapes.objects(shape, ns.SH.property):
            path = shapes.value(prop, ns.SH.path)
            if shapes.value(prop, ns.SH.minCount) is not None:
                mins[path] = shapes.value(prop, ns.SH.minCount).toPython()
        for role in etype.required:
            prop = KG[{"partners": "partner"}.get(role, role)]
            assert mins.get(prop) == (2 if role == "partners" else 1), (name, role)


def test_shapes_restrict_status_and_metric(shapes):
    def allowed(shape_class, path):
        shape = next(shapes.subjects(ns.SH.targetClass, shape_class))
        for prop in shapes.objects(shape, ns.SH.property):
            if shapes.value(prop, ns.SH.path) == path:
                return {str(x) for x in shapes.items(shapes.value(prop, ns.SH["in"]))}
        return None

    assert allowed(KG.Acquisition, KG.status) == {"announced", "agreed", "completed"}
    assert allowed(KG.IPO, KG.status) == {"filed", "priced", "listed"}
    assert allowed(KG.Financials, KG.metric) == {"revenue", "capex", "profit", "loss",
                                                  "spending", "arr"}


def _store_with(events, text="Nvidia agreed to buy Run:ai for $700 million.", url="memory:"):
    article = Article("val-1", text, title="Deal", published="2024-04-24")
    prov = Provenance("val-1", text, 0, len(text), "test", "1", 0.9)
    for e in events:
        e.provenance = prov
    resolved = Resolver(Gazetteer()).resolve(ArticleExtraction(article, events))
    graph, triples = article_graph(resolved, datetime(2026, 1, 1, tzinfo=UTC))
    store = open_store(url)
    store.replace_graphs({graph: triples})
    return store


@pytest.mark.parametrize("url", ["memory:", "oxigraph:"])
def test_conforming_graph_passes(url):
    store = _store_with(url=url, events=[
        Event("Acquisition", {"acquirer": "Nvidia", "target": "Run:ai", "status": "agreed",
                              "amount": {"value": 7e8, "currency": "USD"}, "date": "2024-04"}),
        Event("Partnership", {"partners": ["OpenAI", "Cerebras"], "kind": "compute"}),
        Event("Financials", {"company": "Cerebras", "metric": "revenue", "period": "2025",
                             "amount": {"value": 5.1e8, "currency": "USD"}}),
        Event("FundingRound", {"company": "Factory", "investors": ["Sequoia", "Ann Miura-Ko"],
                               "round": "Series C"}, entity_types={"Ann Miura-Ko": "Person"}),
    ])
    report = validate(store)
    assert isinstance(report, ValidationReport)
    assert report.violations == []
    assert report.conforms is True


def test_acquisition_without_target_fails_naming_the_node():
    store = _store_with([Event("Acquisition", {"acquirer": "Nvidia", "target": "Run:ai"})])
    event = URIRef(f"{ID}event/acquisition/nvidia--run-ai")
    triples = [q[:3] for q in store.quads() if q[1] != KG.target]
    data = Graph()
    for t in triples:
        data.add(t)
    report = validate_graph(data)
    assert report.conforms is False
    assert [(f, p) for f, p, _ in report.violations] == [(str(event), str(KG.target))]
    assert "needs a target" in report.violations[0][2]
    assert str(event) in report.text


def test_bad_status_and_money_fail():
    g = Graph()
    ev = URIRef(f"{ID}event/acquisition/a--b")
    a, b = URIRef(f"{ID}organization/a"), URIRef(f"{ID}organization/b")
    money = URIRef(f"{ev}/amount/5-usd")
    for s, p, o in [
        (ev, ns.RDF.type, KG.Acquisition), (ev, ns.RDFS.label, Literal("A acquired B")),
        (ev, KG.acquirer, a), (ev, KG.target, b), (ev, KG.status, Literal("rumoured")),
        (ev, KG.amount, money), (money, ns.RDF.type, KG.MonetaryAmount),
        (money, KG.value, Literal("5", datatype=ns.XSD.decimal)),
        (a, ns.RDF.type, KG.Organization), (a, ns.RDFS.label, Literal("A")),
        (b, ns.RDF.type, KG.Organization), (b, ns.RDFS.label, Literal("B")),
    ]:
        g.add((s, p, o))
    report = validate_graph(g)
    assert sorted((f, p) for f, p, _ in report.violations) == [
        (str(ev), str(KG.status)), (str(money), str(KG.currency))]
