"""kg's RDF vocabulary (ontologies/kg.ttl is its OWL form) and the IRI bases of its data.

The shape of the data, which named queries, the viewer and the exporters rely on:

* entities: ``ID/organization/<slug>``, ``ID/person/<slug>``, ``ID/product/<slug>``,
  typed ``KG.Organization`` / ``KG.Person`` / ``KG.Product`` (``KG.AIModel`` is a
  subclass of Product), with ``rdfs:label`` (canonical name) and ``KG.alias`` (other names).
* events: ``ID/event/<type-slug>/<slug of required roles>``, typed with the spec's
  type name (``KG.Acquisition`` ...; all subclasses of ``KG.Event``), ``rdfs:label``,
  one object property per entity role (``KG.acquirer`` ... ; ``KG.partner`` for each of
  ``partners``, ``KG.investor`` for each of a round's ``investors``), money roles as
  ``KG.amount`` / ``KG.valuation`` pointing to a ``KG.MonetaryAmount`` node
  (``KG.value`` xsd:decimal, ``KG.currency`` ISO code, ``KG.maxValue``) whose IRI is
  derived from event, role, value and currency, and literal roles ``KG.stake``,
  ``KG.status``, ``KG.round``, ``KG.kind``, ``KG.role``, ``KG.metric``, ``KG.exchange``,
  ``KG.period`` (strings / decimals) and ``KG.date`` (xsd:date, xsd:gYearMonth or xsd:gYear).
* direct browsing triples between participants (``KG.acquired``, ``KG.investedIn``,
  ``KG.acquiredStakeIn``, ``KG.fundedBy``, ``KG.launched``, ``KG.partneredWith``,
  ``KG.holdsRoleAt``, ``KG.customerOf``, ``KG.subsidiaryOf``), derived from events.
* provenance: each (event, article, sentence) is a ``KG.EventMention`` at
  ``<event IRI>/mention/<article slug>/<start offset>`` with ``KG.mentionOf`` the event,
  ``prov:wasDerivedFrom`` the article, ``KG.sentence``, ``KG.startOffset``,
  ``KG.endOffset``, ``KG.extractor``, ``KG.extractorVersion``, ``KG.confidence``.
* articles: ``ID/article/<slug>`` typed ``KG.Article`` with ``KG.articleId``,
  ``schema:url``, ``schema:headline``, ``schema:datePublished``, ``KG.ingestedAt``
  (xsd:dateTime), ``KG.contentHash``.
* every statement read from an article lives in the named graph ``ID/graph/<article slug>``.
"""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import OWL, PROV, RDF, RDFS, SDO, SH, XSD, DefinedNamespace

__all__ = ["KG", "ID", "NS", "SDO", "PROV", "RDF", "RDFS", "OWL", "XSD", "SH", "TIME", "PREFIXES"]

NS = "https://w3id.org/aikg/ns#"
ID = Namespace("https://w3id.org/aikg/id/")
TIME = Namespace("http://www.w3.org/2006/time#")


class KG(DefinedNamespace):
    """Terms of the kg vocabulary."""

    _NS = Namespace(NS)
    _fail = True

    # classes: participants
    Organization: object
    Person: object
    Product: object
    AIModel: object
    Article: object
    MonetaryAmount: object
    EventMention: object
    # classes: events (the spec's type names)
    Event: object
    Acquisition: object
    Investment: object
    FundingRound: object
    IPO: object
    ProductLaunch: object
    Partnership: object
    Appointment: object
    Financials: object
    Customer: object
    Valuation: object
    Subsidiary: object
    # datatypes
    PartialDate: object  # xsd:date | xsd:gYearMonth | xsd:gYear, the range of KG.date

    # entity roles
    acquirer: object
    target: object
    investor: object
    investee: object
    company: object
    product: object
    partner: object
    person: object
    organization: object
    provider: object
    customer: object
    parent: object
    child: object
    # value roles
    amount: object
    valuation: object
    value: object
    maxValue: object
    currency: object
    stake: object
    status: object
    round: object
    kind: object
    role: object
    metric: object
    exchange: object
    period: object
    date: object
    # direct browsing relations
    acquired: object
    investedIn: object
    acquiredStakeIn: object
    fundedBy: object
    launched: object
    partneredWith: object
    holdsRoleAt: object
    customerOf: object
    subsidiaryOf: object
    # names
    alias: object
    # provenance
    mentionOf: object
    sentence: object
    startOffset: object
    endOffset: object
    extractor: object
    extractorVersion: object
    confidence: object
    articleId: object
    ingestedAt: object
    contentHash: object
    section: object


PREFIXES = {
    "kg": NS,
    "id": str(ID),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "schema": str(SDO),
    "prov": str(PROV),
    "sh": str(SH),
    "time": str(TIME),
}
