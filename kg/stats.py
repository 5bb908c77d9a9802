"""Counts that describe a store: what ``kg stats`` prints and the notebook summary shows."""

from __future__ import annotations

from typing import Any

from kg.rdf.namespace import KG
from kg.rdf.store import Store
from kg.schema import EVENT_TYPES

__all__ = ["store_stats"]

_COUNT_ENTITIES = """
PREFIX kg: <https://w3id.org/aikg/ns#>
SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {
  VALUES ?cls { kg:Organization kg:Person kg:Product kg:AIModel }
  ?x a ?cls
}
"""
_COUNT_BY_CLASS = """
SELECT ?cls (COUNT(DISTINCT ?x) AS ?n) WHERE {
  ?x a ?cls .
  FILTER(STRSTARTS(STR(?cls), STR(?ns)))
} GROUP BY ?cls
"""


def store_stats(store: Store) -> dict[str, Any]:
    """articles, entities, events, events_by_type (spec type names), quads, graphs."""
    from rdflib import Literal

    rows = store.query(_COUNT_BY_CLASS, bindings={"ns": Literal(str(KG._NS))}).rows
    by_class = {str(cls).rsplit("#", 1)[-1]: int(n.toPython()) for cls, n in rows}
    events_by_type = {t: by_class[t] for t in EVENT_TYPES if by_class.get(t)}
    entities = int(store.query(_COUNT_ENTITIES).rows[0][0].toPython())
    return {
        "articles": by_class.get("Article", 0),
        "entities": entities,
        "events": sum(events_by_type.values()),
        "events_by_type": events_by_type,
        "quads": store.count(),
        "graphs": len(store.graphs()),
    }
