"""Questions about where facts came from: sources per event, disagreements, status history.

All answers are SPARQL over the store (any backend), with values passed as bound
variables, never pasted into query text. Bound variables are always projected
(Oxigraph substitutes only projected variables). They rely on the data's shape: an event's
sources are the distinct articles behind its ``KG.EventMention`` nodes; each article's
statements sit in its own named graph, so "who said this value" is ``GRAPH ?g``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rdflib import URIRef
from rdflib.term import Identifier, Literal

from kg.rdf.namespace import KG
from kg.rdf.store.base import Store

__all__ = ["event_sources", "conflicts", "status_history", "CONFLICT_PROPERTIES"]

#: Single-valued facts of an event: two different values from sources is a conflict.
#: (``status`` is not here: it changes over time, see ``status_history``.)
CONFLICT_PROPERTIES = (KG.amount, KG.valuation, KG.stake, KG.date, KG.exchange, KG.round)

_PREFIXES = """
PREFIX kg: <https://w3id.org/aikg/ns#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX schema: <https://schema.org/>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
"""

_SOURCES = _PREFIXES + """
SELECT ?event (MIN(STR(?lab)) AS ?label) (COUNT(DISTINCT ?article) AS ?sources)
       (COUNT(DISTINCT ?m) AS ?mentions)
       (MIN(?pub) AS ?firstPublished) (MAX(?pub) AS ?lastPublished)
       (MIN(?ing) AS ?firstIngested) (MAX(?ing) AS ?lastIngested)
WHERE {
  ?m a kg:EventMention ; kg:mentionOf ?event ; prov:wasDerivedFrom ?article .
  OPTIONAL { ?event rdfs:label ?lab }
  OPTIONAL { ?article schema:datePublished ?p . BIND(STR(?p) AS ?pub) }
  OPTIONAL { ?article kg:ingestedAt ?i . BIND(STR(?i) AS ?ing) }
}
GROUP BY ?event
ORDER BY ?event
"""

_CANDIDATES = _PREFIXES + """
SELECT ?event ?prop (COUNT(DISTINCT ?o) AS ?n)
WHERE { ?event ?prop ?o . VALUES ?prop { PROPS } }
GROUP BY ?event ?prop
HAVING (COUNT(DISTINCT ?o) > 1)
ORDER BY ?event ?prop
""".replace("PROPS", " ".join(f"<{p}>" for p in CONFLICT_PROPERTIES))

_VALUES = _PREFIXES + """
SELECT DISTINCT ?event ?prop ?o ?value ?currency ?max ?articleId ?label WHERE {
  GRAPH ?g { ?event ?prop ?o . ?article a kg:Article ; kg:articleId ?articleId . }
  OPTIONAL { ?o kg:value ?value ; kg:currency ?currency . OPTIONAL { ?o kg:maxValue ?max } }
  OPTIONAL { ?event rdfs:label ?label }
}
ORDER BY ?o ?articleId
"""

# An event reported at two stages (agreed, then completed) has two dates legitimately.
_STAGES = _PREFIXES + """
SELECT ?event WHERE { ?event kg:status ?a , ?b . FILTER(?a != ?b) } LIMIT 1
"""

_STATUS = _PREFIXES + """
SELECT DISTINCT ?event ?label ?status ?published ?articleId WHERE {
  GRAPH ?g {
    ?event kg:status ?status .
    ?article a kg:Article ; kg:articleId ?articleId .
    OPTIONAL { ?article schema:datePublished ?pub . BIND(STR(?pub) AS ?published) }
  }
  OPTIONAL { ?event rdfs:label ?label }
}
ORDER BY ?event ?published ?articleId
"""


def _py(term: Identifier | None) -> Any:
    if term is None:
        return None
    if isinstance(term, Literal):
        value = term.toPython()
        if isinstance(value, Decimal):
            return float(value)
        if isinstance(value, bool | int | float | str):
            return value
        return str(term)  # dates, gYear, dateTime: their ISO text
    return str(term)


def event_sources(store: Store, event: URIRef | None = None) -> list[dict[str, Any]]:
    """Per event: label, number of distinct source articles and of mentions, and first/last
    seen (article publication dates as ISO text, and ingestion times)."""
    bindings = {"event": event} if event is not None else None
    rows = store.query(_SOURCES, bindings).rows
    out = []
    for ev, label, sources, mentions, fp, lp, fi, li in rows:
        if ev is None:
            continue
        out.append({
            "event": str(ev), "label": _py(label), "sources": int(sources),
            "mentions": int(mentions), "first_published": _py(fp), "last_published": _py(lp),
            "first_ingested": _py(fi), "last_ingested": _py(li),
        })
    return out


def _dates_agree(values: list[str]) -> bool:
    """Dates of different precision agree when one is a prefix of the other."""
    ordered = sorted(values, key=len)
    return all(v.startswith(ordered[0]) for v in ordered) and all(
        b.startswith(a) for a, b in zip(ordered, ordered[1:], strict=False))


def conflicts(store: Store) -> list[dict[str, Any]]:
    """Events whose sources disagree on a single-valued fact.

    Each: ``{"event", "label", "property", "values": [{"value", "articles"}]}``; money
    values are ``{"value", "currency"[, "value_max"]}``. Dates of different precision
    that agree ("2025-06" and "2025-06-12"), or belong to different reported stages of a
    deal (agreed, completed), are not conflicts.
    """
    out = []
    for ev, prop, _n in store.query(_CANDIDATES).rows:
        rows = store.query(_VALUES, {"event": ev, "prop": prop}).rows
        values: dict[str, dict[str, Any]] = {}
        label = None
        for _e, _p, o, value, currency, vmax, article_id, lab in rows:
            label = label or _py(lab)
            if value is not None:
                shown: Any = {"value": _py(value), "currency": _py(currency)}
                if vmax is not None:
                    shown["value_max"] = _py(vmax)
            else:
                shown = _py(o)
            entry = values.setdefault(str(o), {"value": shown, "articles": []})
            if str(article_id) not in entry["articles"]:
                entry["articles"].append(str(article_id))
        if prop == KG.date and (_dates_agree([str(k) for k in values])
                                or bool(store.query(_STAGES, {"event": ev}).rows)):
            continue
        if prop in (KG.exchange, KG.round) and len(
                {" ".join(str(k).casefold().split()) for k in values}) < 2:
            continue  # "Nasdaq" and "NASDAQ" agree
        if len(values) < 2:
            continue
        out.append({"event": str(ev), "label": label, "property": str(prop).rsplit("#", 1)[-1],
                    "values": [values[k] for k in sorted(values)]})
    return out


def status_history(store: Store, event: URIRef | None = None) -> list[dict[str, Any]]:
    """Every reported status of deals (Acquisition, IPO) with the article and its date,
    oldest first per event: the union keeps ``agreed`` and ``completed`` side by side,
    each dated by the article that reported it."""
    bindings = {"event": event} if event is not None else None
    return [
        {"event": str(ev), "label": _py(label), "status": str(status),
         "published": _py(published), "article": str(article_id)}
        for ev, label, status, published, article_id in store.query(_STATUS, bindings).rows
    ]
