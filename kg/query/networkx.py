"""The knowledge graph as a networkx MultiDiGraph: entities and events, with provenance.

Built from five DISTINCT SELECTs (participants, entities, event values, money, mentions)
so it works on any Store and costs one pass over the data, not one query per node.
Node ids are IRIs. Entity nodes have ``kind="entity"``, ``type`` (Organization, Person,
Product, AIModel), ``label``, ``iri``, ``aliases``. Event nodes (``events="nodes"``, the
default) have ``kind="event"``, ``type`` = the event type, ``label``, ``iri``, ``amount``,
``currency``, ``valuation``, ``date`` and the literal roles (``status``, ``round`` ...;
a Partnership's ``kind`` is ``deal_kind``),
``evidence`` (list of sentences), ``sources`` (list of article URLs or IRIs) and
``articles`` (list of headlines). Edges go from the event to each participant with
``relation`` = the role (acquirer, target, investor ...) and the event's ``event_type``,
``amount``, ``currency``, ``date``, ``evidence`` and ``sources`` copied on, so a viewer
can show an edge's story without looking up its event.

With ``events="edges"`` an event with two or more participants becomes edges between
them instead (``relation`` = the event type, ``event`` = its IRI); an event with a single
participant (a round without named investors, an IPO) stays a node.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from typing import Literal

import networkx as nx

from kg.errors import QueryError
from kg.query.core import term_to_python
from kg.rdf.store.base import Store
from kg.schema import EVENT_TYPES

__all__ = ["to_networkx", "find_entities", "ego", "ROLE_ORDER", "EVENT_TYPE_NAMES"]

log = logging.getLogger(__name__)

NS = "https://w3id.org/aikg/ns#"
EVENT_TYPE_NAMES = tuple(EVENT_TYPES)
# who points at whom when an event is folded into an edge: earlier roles are sources
ROLE_ORDER = ("acquirer", "investor", "parent", "provider", "person", "company", "partner",
              "target", "investee", "child", "customer", "organization", "product")
_LITERAL_ROLES = ("status", "round", "kind", "role", "metric", "exchange", "period", "stake")
_ENTITY_CLASSES = ("Organization", "Person", "Product", "AIModel")

_PREFIX = (
    "PREFIX kg: <https://w3id.org/aikg/ns#>\n"
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
    "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
    "PREFIX schema: <https://schema.org/>\n"
)
_TYPES = "VALUES ?typeIri { " + " ".join(f"kg:{t}" for t in EVENT_TYPE_NAMES) + " }"
_ROLES = "VALUES ?roleProp { " + " ".join(f"kg:{r}" for r in ROLE_ORDER) + " }"

Q_PARTICIPANTS = _PREFIX + f"""SELECT DISTINCT ?event ?typeIri ?roleProp ?ent WHERE {{
  {_TYPES} ?event a ?typeIri . {_ROLES} ?event ?roleProp ?ent . }}"""
Q_ENTITIES = _PREFIX + """SELECT DISTINCT ?ent ?class WHERE {
  VALUES ?class { kg:Organization kg:Person kg:Product kg:AIModel } ?ent a ?class . }"""
# labels, aliases and literal roles of every subject; rows of non-events/entities are
# ignored (filtering by class in SPARQL costs more than the extra rows)
Q_VALUES = _PREFIX + f"""SELECT DISTINCT ?s ?p ?o WHERE {{
  VALUES ?p {{ rdfs:label kg:alias kg:date {" ".join("kg:" + r for r in _LITERAL_ROLES)} }}
  ?s ?p ?o . }}"""
Q_MONEY = _PREFIX + """SELECT DISTINCT ?event ?p ?value ?currency WHERE {
  VALUES ?p { kg:amount kg:valuation }
  ?event ?p ?m . ?m kg:value ?value . OPTIONAL { ?m kg:currency ?currency } }"""
Q_MENTIONS = _PREFIX + """SELECT DISTINCT ?event ?sentence ?article ?url ?headline ?start WHERE {
  ?mention kg:mentionOf ?event ; prov:wasDerivedFrom ?article .
  OPTIONAL { ?mention kg:sentence ?sentence } OPTIONAL { ?mention kg:startOffset ?start }
  OPTIONAL { ?article schema:url ?url } OPTIONAL { ?article schema:headline ?headline } }"""


def _local(iri: object) -> str:
    s = str(iri)
    return s[len(NS):] if s.startswith(NS) else s.rsplit("/", 1)[-1]


def _full_graph(store: Store) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    for ent, cls in sorted(store.query(Q_ENTITIES).rows, key=lambda r: (str(r[0]), str(r[1]))):
        node = str(ent)
        if node not in g:
            g.add_node(node, kind="entity", type=_local(cls), iri=node, label=_local(ent),
                       aliases=[])
        elif _local(cls) == "AIModel":
            g.nodes[node]["type"] = "AIModel"  # the more specific class wins over Product
    participants = sorted(store.query(Q_PARTICIPANTS).rows,
                          key=lambda r: (str(r[0]), str(r[2]), str(r[3])))
    for event, type_iri, _, _ in participants:
        node = str(event)
        if node not in g:
            g.add_node(node, kind="event", type=_local(type_iri), iri=node, label=_local(event),
                       evidence=[], sources=[], articles=[])
    nodes = g.nodes
    for s, p, o in store.query(Q_VALUES).rows:
        data = nodes.get(str(s))
        if data is None:
            continue
        key = "label" if str(p).endswith("#label") else _local(p)
        if key == "alias":
            if data["kind"] == "entity" and str(o) not in data["aliases"]:
                data["aliases"].append(str(o))
        elif key == "label" or data["kind"] == "event":
            data["deal_kind" if key == "kind" else key] = term_to_python(o)
    for _, data in g.nodes(data=True):
        if data["kind"] == "entity":
            data["aliases"].sort(key=str.casefold)
    for event, p, value, currency in store.query(Q_MONEY).rows:
        data = nodes.get(str(event))
        if data is None or data["kind"] != "event":
            continue
        key = _local(p)
        data[key] = term_to_python(value)
        if currency is not None:
            data["currency" if key == "amount" else f"{key}_currency"] = str(currency)
    mentions = defaultdict(list)
    for event, sentence, article, url, headline, start in store.query(Q_MENTIONS).rows:
        if nodes.get(str(event), {}).get("kind") == "event":
            mentions[str(event)].append((str(url or article), term_to_python(start) or 0,
                                         str(sentence or ""), str(headline or "")))
    for event, items in mentions.items():
        data = g.nodes[event]
        for source, _, sentence, headline in sorted(items):
            if sentence and sentence not in data["evidence"]:
                data["evidence"].append(sentence)
            if source not in data["sources"]:
                data["sources"].append(source)
                data["articles"].append(headline)
    for event, _, role_prop, ent in participants:
        target = str(ent)
        if target not in g:  # a participant without a class: still show it
            g.add_node(target, kind="entity", type="Entity", iri=target, label=_local(ent),
                       aliases=[])
        ev = g.nodes[str(event)]
        g.add_edge(str(event), target, key=_local(role_prop), relation=_local(role_prop),
                   event=str(event), event_type=ev["type"], **_edge_facts(ev))
    return g


def _edge_facts(ev: dict) -> dict:
    return {k: ev[k] for k in ("amount", "currency", "date", "evidence", "sources")
            if ev.get(k) is not None}


def _fold_events(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    out = nx.MultiDiGraph()
    out.add_nodes_from((n, d) for n, d in g.nodes(data=True) if d["kind"] == "entity")
    rank = {r: i for i, r in enumerate(ROLE_ORDER)}
    for event, data in g.nodes(data=True):
        if data["kind"] != "event":
            continue
        roles = sorted(((d["relation"], t) for _, t, d in g.out_edges(event, data=True)),
                       key=lambda rt: (rank.get(rt[0], 99), rt[1]))
        people = list(dict.fromkeys(t for _, t in roles))
        if len(people) < 2:
            out.add_node(event, **data)
            for _, t, k, d in g.out_edges(event, keys=True, data=True):
                out.add_edge(event, t, key=k, **d)
            continue
        head_role = roles[0][0]
        heads = [t for r, t in roles if r == head_role]
        tails = [t for t in people if t not in heads] or heads[1:]
        facts = {k: v for k, v in data.items() if k not in ("kind", "type", "iri", "label")}
        for h in heads:
            for t in tails:
                if h != t:
                    out.add_edge(h, t, key=event, relation=data["type"], event=event,
                                 event_type=data["type"], event_label=data.get("label", ""),
                                 **facts)
    return out


def find_entities(g: nx.MultiDiGraph, name: str) -> list[str]:
    """Node ids whose IRI, label or alias equals ``name`` (case-insensitive)."""
    wanted = name.strip().casefold()
    if name in g:
        return [name]
    return sorted(n for n, d in g.nodes(data=True)
                  if d.get("label", "").casefold() == wanted
                  or any(a.casefold() == wanted for a in d.get("aliases", ())))


def ego(g: nx.MultiDiGraph, focus: str, hops: int = 1) -> nx.MultiDiGraph:
    """The part of ``g`` within ``hops`` entity steps of ``focus`` (a name or IRI).

    One entity step crosses one event: entity -> event -> entity when events are nodes.
    Raises QueryError when no entity has that name.
    """
    centres = find_entities(g, focus)
    if not centres:
        raise QueryError(f"no entity named {focus!r} in the graph; list names with "
                         "`kg query --named entities`")
    has_event_nodes = any(d.get("kind") == "event" for _, d in g.nodes(data=True))
    radius = max(0, hops) * (2 if has_event_nodes else 1)
    undirected = g.to_undirected(as_view=True)
    keep: set[str] = set()
    for c in centres:
        keep |= set(nx.single_source_shortest_path_length(undirected, c, cutoff=radius))
    return g.subgraph(keep).copy()


def to_networkx(
    store: Store,
    focus: str | None = None,
    hops: int = 1,
    events: Literal["nodes", "edges"] = "nodes",
) -> nx.MultiDiGraph:
    """The store's entities and events as a MultiDiGraph (see the module docstring).

    ``focus`` (a name, alias or IRI) keeps only its neighbourhood of ``hops`` entity steps.
    """
    if events not in ("nodes", "edges"):
        raise QueryError(f"events must be 'nodes' or 'edges', not {events!r}")
    g = _full_graph(store)
    if focus:
        g = ego(g, focus, hops)
    if events == "edges":
        g = _fold_events(g)
    g.graph.update(focus=focus or "", hops=hops, events=events)
    log.info("graph: %d nodes, %d edges", g.number_of_nodes(), g.number_of_edges())
    return g
