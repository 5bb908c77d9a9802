"""The event schema of shared/spec/events.md, as data.

Every stage reads the contract from here: extraction knows which roles an event type
needs, the RDF mapping knows which roles are entities and which are literals, and
evaluation output is checked against the same table. Keeping it in one place is what
stops the ontology, the extractor and the scorer from drifting apart.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "EVENT_TYPES",
    "EventType",
    "ROLE_KINDS",
    "ENTITY_ROLE_TYPES",
    "STATUSES",
    "METRICS",
    "event_type",
]


@dataclass(frozen=True)
class EventType:
    """One row of the spec's table: a type with its required and optional roles."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def roles(self) -> tuple[str, ...]:
        return self.required + self.optional


EVENT_TYPES: dict[str, EventType] = {
    t.name: t
    for t in (
        EventType("Acquisition", ("acquirer", "target"), ("amount", "date", "status")),
        EventType("Investment", ("investor", "investee"), ("amount", "stake", "date")),
        EventType(
            "FundingRound", ("company",), ("amount", "round", "valuation", "investors", "date")
        ),
        EventType("IPO", ("company",), ("exchange", "valuation", "amount", "date", "status")),
        EventType("ProductLaunch", ("company", "product"), ("date",)),
        EventType("Partnership", ("partners",), ("amount", "kind", "date")),
        EventType("Appointment", ("person", "organization"), ("role", "date")),
        EventType("Financials", ("company", "metric", "amount"), ("period",)),
        EventType("Customer", ("provider", "customer"), ()),
        EventType("Valuation", ("company", "amount"), ("date",)),
        EventType("Subsidiary", ("parent", "child"), ()),
    )
}

# How a role's value is written in the spec's JSON form.
#   entity: a name (str);  entities: a list of names;  money: {"value", "currency"[, "value_max"]}
#   percent: a number 0-100;  date: an ISO-8601 prefix;  period: "2025", "2025-Q3", "FY2025";
#   text: free text
ROLE_KINDS: dict[str, str] = {
    **dict.fromkeys(
        (
            "acquirer", "target", "investor", "investee", "company", "person",
            "organization", "provider", "customer", "parent", "child", "product",
        ),
        "entity",
    ),
    "partners": "entities",
    "investors": "entities",
    "amount": "money",
    "valuation": "money",
    "stake": "percent",
    "date": "date",
    "period": "period",
    **dict.fromkeys(("status", "metric", "round", "role", "kind", "exchange"), "text"),
}

# The entity class a role's filler belongs to when nothing better is known.
# (An investor can be a person: the resolver may override from the mention's label.)
ENTITY_ROLE_TYPES: dict[str, str] = {
    **dict.fromkeys(
        (
            "acquirer", "target", "investor", "investee", "company", "organization",
            "provider", "customer", "parent", "child", "partners", "investors",
        ),
        "Organization",
    ),
    "person": "Person",
    "product": "Product",
}

STATUSES = ("announced", "agreed", "completed", "filed", "priced", "listed")
METRICS = ("revenue", "capex", "profit", "loss", "spending", "arr")


def event_type(name: str) -> EventType:
    """The schema row for ``name``; raises KeyError naming the known types."""
    try:
        return EVENT_TYPES[name]
    except KeyError:
        raise KeyError(f"unknown event type {name!r}; known: {', '.join(EVENT_TYPES)}") from None
