"""SHACL validation of a store against ontologies/shapes.ttl (pySHACL).

Validation runs over the union of the store's graphs, as queries see it, with the
ontology mixed in (``ont_graph``) so that ``sh:class kg:Event`` accepts a
``kg:Acquisition``. It reads the whole store into memory: meant for ``kg validate`` and
tests, not for every build.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files

from rdflib import Graph
from rdflib.term import Node

from kg.rdf.namespace import SH
from kg.rdf.store.base import Store

__all__ = ["ValidationReport", "validate", "validate_graph", "ontology_graph", "shapes_graph"]

log = logging.getLogger(__name__)


@dataclass
class ValidationReport:
    """The outcome: ``violations`` are (focus node, path, message) sorted; ``text`` is
    pySHACL's own report."""

    conforms: bool
    violations: list[tuple[str, str, str]] = field(default_factory=list)
    text: str = ""


def _resource_graph(name: str) -> Graph:
    g = Graph()
    g.parse(data=(files("kg.ontologies") / name).read_text("utf-8"), format="turtle")
    return g


@lru_cache(maxsize=1)
def _ontology() -> Graph:
    return _resource_graph("kg.ttl")


@lru_cache(maxsize=1)
def _shapes() -> Graph:
    return _resource_graph("shapes.ttl")


def ontology_graph() -> Graph:
    """A fresh copy of the OWL vocabulary (ontologies/kg.ttl)."""
    g = Graph()
    for t in _ontology():
        g.add(t)
    return g


def shapes_graph() -> Graph:
    """A fresh copy of the SHACL shapes (ontologies/shapes.ttl)."""
    g = Graph()
    for t in _shapes():
        g.add(t)
    return g


def _text(node: Node | None) -> str:
    return "" if node is None else str(node)


def validate_graph(data: Graph) -> ValidationReport:
    """Validate one rdflib Graph against the shapes, with the ontology as ont_graph."""
    from pyshacl import validate as shacl_validate

    conforms, results, text = shacl_validate(
        data, shacl_graph=_shapes(), ont_graph=_ontology(), inference="none",
        advanced=False, allow_warnings=True, abort_on_first=False,
    )
    violations = []
    for result in results.subjects(SH.resultSeverity, SH.Violation):
        focus = results.value(result, SH.focusNode)
        path = results.value(result, SH.resultPath)
        message = results.value(result, SH.resultMessage)
        violations.append((_text(focus), _text(path), _text(message)))
    violations.sort()
    return ValidationReport(bool(conforms), violations, str(text))


def validate(store: Store) -> ValidationReport:
    """Validate the union of every graph of ``store``."""
    data = Graph()
    for s, p, o, _ in store.quads():
        data.add((s, p, o))
    log.info("validating %d triples", len(data))
    return validate_graph(data)
