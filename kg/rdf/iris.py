"""Stable IRIs: the same input always mints the same IRI, in any order, in any backend.

Every node kg writes is an IRI (no blank nodes), derived only from what identifies it:

* entities ``ID/<organization|person|product>/<slug of the canonical name>``; the slug is
  taken from ``name_key`` (case, accents, punctuation folded), which is also the key the
  resolver tells entities apart by, so two entities never share an IRI and one entity
  never gets two;
* events ``ID/event/<type-slug>/<slug of the identifying roles>`` (see ``event_key``);
* money ``<event>/<role>/<value>-<currency>[-to-<max>]``;
* mentions ``<event>/mention/<article slug>/<start offset>``;
* articles ``ID/article/<slug>`` and their named graphs ``ID/graph/<slug>``.

Slugs are ``[a-z0-9-]``, never empty, never contain ``--`` (so ``--`` can join parts
unambiguously), and get a short hash suffix whenever folding lost characters (non-Latin
scripts, punctuation in article ids) or the slug had to be shortened.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from rdflib import URIRef

from kg.model import Entity, Event
from kg.rdf.namespace import ID
from kg.resolve.normalize import name_key
from kg.schema import EVENT_TYPES, ROLE_KINDS

__all__ = [
    "slugify",
    "short_hash",
    "type_slug",
    "entity_path",
    "entity_iri",
    "event_key",
    "event_iri",
    "money_iri",
    "mention_iri",
    "article_slug",
    "article_iri",
    "graph_iri",
    "decimal_text",
    "normalize_title",
    "TITLE_SYNONYMS",
]

MAX_SLUG = 80
_SEP = "--"
_ALLOWED = re.compile(r"[a-z0-9]+")

_ENTITY_PATHS = {"Organization": "organization", "Person": "person", "Product": "product",
                 "AIModel": "product"}


def short_hash(text: str, n: int = 8) -> str:
    """First ``n`` hex digits of the sha256 of ``text`` (NFC)."""
    return hashlib.sha256(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()[:n]


def slugify(text: str, max_len: int = MAX_SLUG) -> str:
    """A lowercase ``[a-z0-9-]`` slug of ``text``; adds a hash when anything was lost.

    Lost means: a character that is neither an ASCII letter or digit (after NFKD and
    dropping accents) nor a space or hyphen, or truncation to ``max_len``. The result is
    never empty: text with no Latin letters becomes ``x-<hash>``.
    """
    folded = "".join(c for c in unicodedata.normalize("NFKD", text)
                     if not unicodedata.combining(c)).lower()
    parts = _ALLOWED.findall(folded)
    slug = "-".join(parts)
    lossless = bool(slug) and re.fullmatch(r"[a-z0-9]+(?:[ \t\-]+[a-z0-9]+)*", folded.strip())
    if not slug:
        return f"x-{short_hash(text)}"
    if len(slug) > max_len:
        slug = slug[: max_len - 9].rstrip("-")
        lossless = False
    if not lossless:
        slug = f"{slug}-{short_hash(text)}"
    return slug


def type_slug(event_type: str) -> str:
    """``FundingRound`` -> ``funding-round``, ``IPO`` -> ``ipo``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", event_type).lower()


def entity_path(entity_type: str) -> str:
    """The IRI path segment of an entity class (AIModel lives under ``product``)."""
    try:
        return _ENTITY_PATHS[entity_type]
    except KeyError:
        raise ValueError(f"unknown entity type {entity_type!r}; "
                         f"expected one of {', '.join(_ENTITY_PATHS)}") from None


def entity_iri(entity: Entity | str, entity_type: str | None = None) -> URIRef:
    """IRI of an entity, from its class and canonical name."""
    if isinstance(entity, Entity):
        name, etype = entity.name, entity.type
    else:
        name, etype = entity, entity_type or "Organization"
    key = name_key(name) or name.strip()
    return URIRef(f"{ID}{entity_path(etype)}/{slugify(key)}")


def decimal_text(value: Any) -> str:
    """Canonical plain-decimal text of a number: 7e8 -> ``700000000``, 1.50 -> ``1.5``."""
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise ValueError(f"not a number: {value!r}") from None
    text = format(d.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def _money_slug(money: Any) -> str:
    if not isinstance(money, dict) or "value" not in money:
        return slugify(str(money))
    currency = slugify(str(money.get("currency") or "xxx"))
    out = f"{decimal_text(money['value']).replace('.', 'p')}-{currency}"
    if money.get("value_max") is not None:
        out += f"-to-{decimal_text(money['value_max']).replace('.', 'p')}"
    return out


#: Job titles that name one role, so two reports of one appointment meet.
TITLE_SYNONYMS = {
    "chief executive officer": "CEO", "chief executive": "CEO", "ceo": "CEO",
    "chief technology officer": "CTO", "cto": "CTO",
    "chief financial officer": "CFO", "cfo": "CFO",
    "chief operating officer": "COO", "coo": "COO",
    "chairman": "chair", "chairwoman": "chair", "chairperson": "chair", "chair": "chair",
    "cofounder": "co-founder", "co founder": "co-founder", "co-founder": "co-founder",
}


def normalize_title(title: str) -> str:
    """``chief executive officer`` -> ``CEO``; unknown titles are returned as written."""
    key = " ".join(re.sub(r"[^\w-]+", " ", title.casefold()).split())
    return TITLE_SYNONYMS.get(key, title.strip())


def _role_slug(value: Any, names: dict[str, str]) -> str:
    """Slug of one identifying role value; entity names go through ``names`` (canonical)."""
    if isinstance(value, list):
        return _SEP.join(sorted(_role_slug(v, names) for v in value))
    if isinstance(value, dict):
        return _money_slug(value)
    if isinstance(value, str):
        return slugify(name_key(names.get(value, value)) or value)
    return slugify(decimal_text(value))


# Roles, beyond the required ones, that tell two events of one type apart. The spec's
# required roles alone would merge a company's Series B and Series C (FundingRound needs
# only ``company``) and "co-founder and CEO of X" (two Appointments by convention 1).
# Each entry is tried in order; the first role with a value joins the key.
_DISCRIMINATORS: dict[str, tuple[tuple[str, ...], ...]] = {
    "FundingRound": (("round", "amount", "date"),),
    "Appointment": (("role",),),
    "Financials": (("period", "amount"),),
}
# Required roles that are not identifying when a discriminator above is present.
_SKIP_REQUIRED = {"Financials": {"amount"}}


def event_key(event: Event, names: dict[str, str] | None = None) -> list[str]:
    """The slugs that identify an event: its required roles (canonical names, ``partners``
    sorted) plus the type's discriminating role when present (``_DISCRIMINATORS``).

    ``names`` maps a name as written in ``event.roles`` to its canonical name.
    """
    names = names or {}
    etype = EVENT_TYPES[event.type]
    roles = event.roles
    chosen: list[str] = []
    for group in _DISCRIMINATORS.get(event.type, ()):
        for role in group:
            if roles.get(role) not in (None, "", []):
                chosen.append(role)
                break
    skip = _SKIP_REQUIRED.get(event.type, set()) if chosen else set()
    parts = []
    for role in etype.required:
        if role in skip or role in chosen:
            continue
        value = roles.get(role)
        if value in (None, "", []):
            raise ValueError(f"{event.type} event lacks required role {role!r}; "
                             "only complete events get IRIs")
        parts.append(_role_slug(value, names))
    for role in chosen:
        kind = ROLE_KINDS[role]
        value = roles[role]
        if role == "role" and isinstance(value, str):
            value = normalize_title(value)
        text = slugify(str(value)) if kind == "date" else _role_slug(value, names)
        parts.append(f"{role}-{text}")
    return parts


def event_iri(event: Event, names: dict[str, str] | None = None) -> URIRef:
    """IRI of an event from its type and identifying roles; long keys are hashed."""
    parts = event_key(event, names)
    slug = _SEP.join(parts)
    if len(slug) > MAX_SLUG:
        slug = f"{slug[: MAX_SLUG - 10].rstrip('-')}-{short_hash(slug)}"
    return URIRef(f"{ID}event/{type_slug(event.type)}/{slug}")


def money_iri(event: URIRef, role: str, money: dict[str, Any]) -> URIRef:
    """IRI of a MonetaryAmount: event + role + value + currency (+ max)."""
    return URIRef(f"{event}/{slugify(role)}/{_money_slug(money)}")


def article_slug(article_id: str) -> str:
    return slugify(article_id, max_len=120)


def article_iri(article_id: str) -> URIRef:
    return URIRef(f"{ID}article/{article_slug(article_id)}")


def graph_iri(article_id: str) -> URIRef:
    """The named graph that holds everything one article says."""
    return URIRef(f"{ID}graph/{article_slug(article_id)}")


def mention_iri(event: URIRef, article_id: str, start: int) -> URIRef:
    return URIRef(f"{event}/mention/{article_slug(article_id)}/{int(start)}")
