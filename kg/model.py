"""The plain dataclasses that travel between stages.

ingest makes Articles; extract makes Mentions and Events (each with its Provenance);
resolve turns names into Entities; rdf maps all of them to quads. None of these classes
knows about spaCy or rdflib, so every stage can be tested and replaced on its own.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from kg.schema import EVENT_TYPES, ROLE_KINDS

__all__ = ["Article", "Mention", "Entity", "Provenance", "Event", "ArticleExtraction"]


@dataclass(frozen=True)
class Article:
    """One unit of text to read, with what is known about where it came from.

    ``id`` is stable: the JSONL id, a file's stem, or a hash of the URL or text.
    ``published`` is an ISO-8601 date (prefix) or None; relative dates in the text are
    resolved against it. ``section`` separates a page's main story from blocks such as
    "related stories" that report other events and keep their own provenance.
    """

    id: str
    text: str
    title: str | None = None
    published: str | None = None
    url: str | None = None
    source: str | None = None
    section: str = "main"
    author: str | None = None

    @property
    def content_hash(self) -> str:
        """sha256 of what extraction reads; a changed hash means a changed article."""
        h = hashlib.sha256()
        for part in (self.title or "", self.published or "", self.url or "", self.text):
            h.update(part.encode("utf-8", "surrogatepass"))
            h.update(b"\x00")
        return h.hexdigest()


@dataclass(frozen=True)
class Mention:
    """A name found in an article's text, with character offsets into ``Article.text``.

    ``label`` is one of Organization, Person, Product (entity classes of the ontology)
    or a value label (Money, Percent, Date). ``canonical`` is the gazetteer's or the
    coreference's name for it when known.
    """

    text: str
    start: int
    end: int
    label: str
    canonical: str | None = None


@dataclass(frozen=True)
class Entity:
    """A real-world entity: one canonical name, one class, every other name it goes by."""

    name: str
    type: str  # Organization | Person | Product
    aliases: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Provenance:
    """Where a fact was read: article, sentence with its offsets, which extractor, how sure."""

    article_id: str
    sentence: str
    start: int
    end: int
    extractor: str
    version: str
    confidence: float


@dataclass
class Event:
    """One event in the spec's JSON form, plus its provenance.

    ``roles`` holds the spec's role names with the spec's value forms: entity roles are
    names as written (str), list roles are lists of names, money is
    ``{"value", "currency"[, "value_max"]}``, stake a number, dates ISO prefixes.
    ``entity_types`` maps an entity name used in ``roles`` to its class when extraction
    knows better than the role's default (an investor that is a Person).
    """

    type: str
    roles: dict[str, Any]
    provenance: Provenance | None = None
    entity_types: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.type not in EVENT_TYPES:
            raise ValueError(f"unknown event type {self.type!r}")
        unknown = set(self.roles) - set(ROLE_KINDS)
        if unknown:
            raise ValueError(f"unknown roles for {self.type}: {sorted(unknown)}")

    @property
    def is_complete(self) -> bool:
        """True when every required role of the type has a value."""
        return all(self.roles.get(r) not in (None, "", []) for r in EVENT_TYPES[self.type].required)

    def to_json(self) -> dict[str, Any]:
        """The spec's JSON form, with ``evidence`` and ``confidence`` when known."""
        out: dict[str, Any] = {"type": self.type}
        out.update({k: v for k, v in self.roles.items() if v not in (None, "", [])})
        if self.provenance is not None:
            out["evidence"] = self.provenance.sentence
            out["confidence"] = round(self.provenance.confidence, 3)
        return out


@dataclass
class ArticleExtraction:
    """What extraction returns for one article: the events and every typed mention."""

    article: Article
    events: list[Event]
    mentions: list[Mention] = field(default_factory=list)
