"""Resolved articles -> RDF statements, one named graph per article, and back.

Everything an article says lives in its own graph ``ID/graph/<article slug>``: the
article node, the entities it mentions (type, canonical label, the surface forms it
used), the events it reports (type, label, roles, money nodes, direct browsing triples)
and one ``KG.EventMention`` per (event, sentence). Nodes are shared across graphs by
IRI, so the union (what queries see) has one node per entity and per event, with as many
mentions as there are sentences that report it; dropping an article's graph withdraws
exactly its testimony.

Status over time: an Acquisition reported ``agreed`` in one article and ``completed`` in
a later one has both ``KG.status`` values in the union; each sits in the graph of the
article that reported it, whose ``schema:datePublished`` dates it. Nothing is
overwritten, so the history stays queryable: ``kg.rdf.provenance.status_history``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import quote

from rdflib import Literal, URIRef
from rdflib.term import Identifier

from kg.model import Article
from kg.rdf.iris import (
    article_iri,
    decimal_text,
    entity_iri,
    event_iri,
    graph_iri,
    mention_iri,
    money_iri,
    normalize_title,
)
from kg.rdf.namespace import KG, PROV, RDF, RDFS, SDO, XSD
from kg.rdf.store.base import Store, Triple
from kg.resolve.resolver import ResolvedArticle, ResolvedEvent
from kg.schema import EVENT_TYPES, ROLE_KINDS

__all__ = [
    "article_graph",
    "article_triples",
    "date_literal",
    "event_label",
    "events_from_store",
    "ROLE_PROPERTY",
]

log = logging.getLogger(__name__)

#: The property a spec role is written with (list roles use one triple per member).
ROLE_PROPERTY: dict[str, URIRef] = {
    role: KG[{"partners": "partner", "investors": "investor"}.get(role, role)]
    for role in ROLE_KINDS
}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def date_literal(text: Any) -> Literal | None:
    """An ISO-8601 prefix typed by its precision: xsd:gYear, xsd:gYearMonth or xsd:date."""
    if not isinstance(text, str):
        text = str(text) if isinstance(text, int) else ""
    m = _DATE.match(text.strip())
    if not m:
        return None
    year, month, day = m.groups()
    try:
        if day:
            datetime(int(year), int(month), int(day))
            return Literal(f"{year}-{month}-{day}", datatype=XSD.date)
        if month:
            if not 1 <= int(month) <= 12:
                return None
            return Literal(f"{year}-{month}", datatype=XSD.gYearMonth)
    except ValueError:
        return None
    return Literal(year, datatype=XSD.gYear)


def _decimal(value: Any) -> Literal:
    """xsd:decimal in canonical form (no trailing zeros), as Oxigraph stores it, so that
    every backend holds the same quads."""
    return Literal(Decimal(decimal_text(value)), datatype=XSD.decimal)


def _url(url: str) -> URIRef | None:
    """An http(s) URL as an IRI (unsafe characters percent-encoded); other schemes
    (``javascript:``, ``data:``) are dropped: viewers turn schema:url into links."""
    url = url.strip()
    if not re.match(r"^https?://[^\s/]", url, re.IGNORECASE):
        return None
    return URIRef(quote(url, safe=":/?#[]@!$&'()*+,;=%~-._"))


def _money_text(money: dict[str, Any]) -> str:
    value = Decimal(decimal_text(money["value"]))
    for size, word in ((Decimal(10) ** 12, "trillion"), (Decimal(10) ** 9, "billion"),
                       (Decimal(10) ** 6, "million")):
        if value >= size:
            return f"{decimal_text(value / size)} {word} {money.get('currency') or ''}".strip()
    return f"{decimal_text(value)} {money.get('currency') or ''}".strip()


def _join(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def event_label(ev: ResolvedEvent) -> str:
    """A readable label from the event's identifying roles ("Nvidia acquired Run:ai")."""
    r = ev.canonical_roles()
    t = ev.type
    if t == "Acquisition":
        return f"{r['acquirer']} acquired {r['target']}"
    if t == "Investment":
        return f"{r['investor']} invested in {r['investee']}"
    if t == "FundingRound":
        return f"{r['company']} {r['round']} round" if r.get("round") else \
            f"{r['company']} funding round"
    if t == "IPO":
        return f"{r['company']} IPO"
    if t == "ProductLaunch":
        return f"{r['company']} launched {r['product']}"
    if t == "Partnership":
        return f"Partnership of {_join(sorted(r['partners']))}"
    if t == "Appointment":
        return f"{r['person']}, {normalize_title(r['role'])} at {r['organization']}" \
            if r.get("role") else \
            f"{r['person']} at {r['organization']}"
    if t == "Financials":
        return f"{r['company']} {r['metric']} {r.get('period') or _money_text(r['amount'])}"
    if t == "Customer":
        return f"{r['customer']} is a customer of {r['provider']}"
    if t == "Valuation":
        return f"{r['company']} valued at {_money_text(r['amount'])}"
    return f"{r['child']} is part of {r['parent']}"


def _entity_triples(entities: Iterable, out: set[Triple]) -> None:
    for ent in entities:
        node = entity_iri(ent)
        out.add((node, RDF.type, KG[ent.type]))
        if ent.type == "AIModel":
            out.add((node, RDF.type, KG.Product))
        out.add((node, RDFS.label, Literal(ent.name)))
        for alias in ent.aliases:
            out.add((node, KG.alias, Literal(alias)))


def _direct(ev: ResolvedEvent, out: set[Triple]) -> None:
    """Browsing triples between participants (see the ontology's comments)."""
    e = {role: ([entity_iri(x) for x in v] if isinstance(v, list) else entity_iri(v))
         for role, v in ev.entities.items()}
    t = ev.type
    if t == "Acquisition":
        out.add((e["acquirer"], KG.acquired, e["target"]))
    elif t == "Investment":
        out.add((e["investor"], KG.investedIn, e["investee"]))
        if ev.roles.get("stake") not in (None, ""):
            out.add((e["investor"], KG.acquiredStakeIn, e["investee"]))
    elif t == "FundingRound":
        for inv in e.get("investors", []):
            out.add((e["company"], KG.fundedBy, inv))
            out.add((inv, KG.investedIn, e["company"]))
    elif t == "ProductLaunch":
        out.add((e["company"], KG.launched, e["product"]))
    elif t == "Partnership":
        for a in e["partners"]:
            for b in e["partners"]:
                if a != b:
                    out.add((a, KG.partneredWith, b))
    elif t == "Appointment":
        out.add((e["person"], KG.holdsRoleAt, e["organization"]))
    elif t == "Customer":
        out.add((e["customer"], KG.customerOf, e["provider"]))
    elif t == "Subsidiary":
        out.add((e["child"], KG.subsidiaryOf, e["parent"]))


def _event_triples(ev: ResolvedEvent, article: Article, out: set[Triple],
                   mentions: dict[URIRef, tuple[float, list[Triple]]]) -> None:
    node = event_iri(ev.event, ev.names)
    out.add((node, RDF.type, KG[ev.type]))
    out.add((node, RDFS.label, Literal(event_label(ev))))
    for role, value in ev.roles.items():
        if value in (None, "", []):
            continue
        kind, prop = ROLE_KINDS[role], ROLE_PROPERTY[role]
        if kind in ("entity", "entities"):
            ents = ev.entities.get(role)
            for ent in ents if isinstance(ents, list) else [ents] if ents else []:
                out.add((node, prop, entity_iri(ent)))
        elif kind == "money":
            if not isinstance(value, dict) or value.get("value") is None:
                log.warning("%s: skipping %s of %s: not a money object", article.id, role, node)
                continue
            try:
                m = money_iri(node, role, value)
                triples = [(m, RDF.type, KG.MonetaryAmount),
                           (m, KG.value, _decimal(value["value"])),
                           (m, KG.currency, Literal(str(value.get("currency") or "").upper()))]
                if value.get("value_max") is not None:
                    triples.append((m, KG.maxValue, _decimal(value["value_max"])))
            except (ValueError, InvalidOperation):
                log.warning("%s: skipping %s of %s: bad number", article.id, role, node)
                continue
            out.add((node, prop, m))
            out.update(triples)
        elif kind == "date":
            lit = date_literal(value)
            if lit is None:
                log.warning("%s: skipping date %r of %s: not ISO-8601", article.id, value, node)
                continue
            out.add((node, prop, lit))
        elif kind == "percent":
            try:
                out.add((node, prop, _decimal(value)))
            except ValueError:
                log.warning("%s: skipping stake %r of %s", article.id, value, node)
        else:
            out.add((node, prop, Literal(str(value))))
    _direct(ev, out)

    prov = ev.event.provenance
    start = prov.start if prov else 0
    mention = mention_iri(node, article.id, start)
    conf = prov.confidence if prov else 1.0
    triples: list[Triple] = [(mention, RDF.type, KG.EventMention), (mention, KG.mentionOf, node),
                             (mention, PROV.wasDerivedFrom, article_iri(article.id))]
    if prov:
        triples += [
            (mention, KG.sentence, Literal(prov.sentence)),
            (mention, KG.startOffset, Literal(int(prov.start))),
            (mention, KG.endOffset, Literal(int(prov.end))),
            (mention, KG.extractor, Literal(prov.extractor)),
            (mention, KG.extractorVersion, Literal(prov.version)),
            (mention, KG.confidence, _decimal(f"{float(prov.confidence):.3f}")),
        ]
    # one mention per (event, sentence): the most confident reading wins (registered
    # last, so an event that fails above leaves no mention behind)
    if mention not in mentions or conf > mentions[mention][0]:
        mentions[mention] = (conf, triples)


def _article_triples(article: Article, ingested_at: datetime, out: set[Triple]) -> None:
    node = article_iri(article.id)
    out.add((node, RDF.type, KG.Article))
    out.add((node, KG.articleId, Literal(article.id)))
    if article.url:
        url = _url(article.url)
        if url is None:
            log.warning("%s: not an http(s) URL, schema:url left out: %r", article.id,
                        article.url[:80])
        else:
            out.add((node, SDO.url, url))
    if article.title:
        out.add((node, SDO.headline, Literal(article.title)))
    if article.published and (pub := date_literal(article.published)) is not None:
        out.add((node, SDO.datePublished, pub))
    if ingested_at.tzinfo is None:
        ingested_at = ingested_at.replace(tzinfo=UTC)
    out.add((node, KG.ingestedAt, Literal(ingested_at.astimezone(UTC).replace(microsecond=0),
                                          datatype=XSD.dateTime)))
    out.add((node, KG.contentHash, Literal(article.content_hash)))
    out.add((node, KG.section, Literal(article.section)))


def article_triples(resolved: ResolvedArticle, ingested_at: datetime) -> list[Triple]:
    """Every statement one article contributes, sorted (deterministic)."""
    out: set[Triple] = set()
    _article_triples(resolved.article, ingested_at, out)
    _entity_triples(resolved.entities, out)
    mentions: dict[URIRef, tuple[float, list[Triple]]] = {}
    for ev in resolved.events:
        if not ev.event.is_complete:
            log.info("%s: skipping incomplete %s event", resolved.article.id, ev.type)
            continue
        local: set[Triple] = set()  # all of an event or nothing
        try:
            _event_triples(ev, resolved.article, local, mentions)
            out.update(local)
        except (KeyError, ValueError) as e:
            log.warning("%s: skipping %s event: %s", resolved.article.id, ev.type, e)
    for _, triples in mentions.values():
        out.update(triples)
    return sorted(out)


def article_graph(resolved: ResolvedArticle, ingested_at: datetime) -> tuple[URIRef, list[Triple]]:
    """The article's named graph IRI and everything it contributes, ready for
    ``store.replace_graphs({graph: triples})``."""
    return graph_iri(resolved.article.id), article_triples(resolved, ingested_at)


# -- reverse: store -> spec JSON ---------------------------------------------------------

_EVENTS_QUERY = """
PREFIX kg: <https://w3id.org/aikg/ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT DISTINCT ?g ?e ?type ?p ?o ?label ?value ?currency ?max WHERE {
  GRAPH ?g { ?e a ?type ; ?p ?o . }
  VALUES ?type { TYPES }
  OPTIONAL { ?o rdfs:label ?label }
  OPTIONAL { ?o kg:value ?value ; kg:currency ?currency . OPTIONAL { ?o kg:maxValue ?max } }
}
""".replace("TYPES", " ".join(f"kg:{t}" for t in EVENT_TYPES))


def _number(lit: Identifier) -> int | float:
    d = Decimal(str(lit))
    return int(d) if d == d.to_integral_value() else float(d)


def events_from_store(store: Store, article_id: str | None = None) -> list[dict[str, Any]]:
    """Events in the spec's JSON form (canonical names), from one article's graph or all.

    Where the union holds several values for a single-valued role (sources disagree),
    the smallest is returned; ``kg.rdf.provenance.conflicts`` lists them all. List roles
    come back sorted (the lead-investor order is not kept in RDF).
    """
    bindings = {"g": graph_iri(article_id)} if article_id is not None else None
    by_prop = {prop: role for role, prop in ROLE_PROPERTY.items()}
    events: dict[str, dict[str, Any]] = {}
    values: dict[tuple[str, str], set] = {}
    rows = store.query(_EVENTS_QUERY, bindings).rows
    for _g, e, etype, p, o, label, value, currency, vmax in rows:
        tname = str(etype).rsplit("#", 1)[-1]
        events.setdefault(str(e), {"type": tname})
        role = by_prop.get(p)
        if role is None:
            continue
        if role in ("investor", "investors"):  # one property for both roles
            role = "investors" if tname == "FundingRound" else "investor"
        if role not in EVENT_TYPES[tname].roles:
            continue
        kind = ROLE_KINDS[role]
        if kind in ("entity", "entities"):
            v: Any = str(label) if label is not None else str(o)
        elif kind == "money":
            if value is None:
                continue
            money = {"value": _number(value), "currency": str(currency)}
            if vmax is not None:
                money["value_max"] = _number(vmax)
            v = tuple(sorted(money.items()))
        elif kind == "percent":
            v = _number(o)
        else:
            v = str(o)
        values.setdefault((str(e), role), set()).add(v)
    for (e, role), vs in values.items():
        kind = ROLE_KINDS[role]
        ordered = sorted(vs, key=repr)
        if kind == "entities":
            events[e][role] = sorted(ordered)
        elif kind == "money":
            events[e][role] = dict(ordered[0])
        else:
            events[e][role] = ordered[0]
    ordered_events = []
    for ev in events.values():
        roles = EVENT_TYPES[ev["type"]].roles
        ordered_events.append({"type": ev["type"], **{r: ev[r] for r in roles if r in ev}})
    return sorted(ordered_events, key=lambda d: (d["type"], repr(sorted(d.items()))))
