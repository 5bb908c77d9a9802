"""Entity resolution: one canonical Entity per real-world entity, across all articles.

A name as written is resolved, first hit wins, by:

1. the user's alias files (the user knows best);
2. the gazetteer, by any of its names, after dropping corporate suffixes
   ("NVIDIA Corp." -> Nvidia, "Meta Platforms" -> Meta when the gazetteer says so);
3. the article itself: a surname ("Wang") for the one full name ending in it that the
   article used before, a short form ("SambaNova") for a longer name that adds only a
   generic word ("SambaNova Systems"), an acronym ("AMD") for a longer name with those
   initials; never "Google" for "Google DeepMind" (DeepMind is not generic);
4. a short form of one static name that only adds a generic word ("Inflection" for the
   gazetteer's "Inflection AI"); then entities already known (seen earlier in this run,
   or ``seed``-ed from a store), by their suffix-free key;
5. fuzzy matching (difflib ratio >= ``FUZZY_THRESHOLD``, same digits, compatible type)
   against static names only: gazetteer and alias files;
6. otherwise a new entity named by the suffix-free form.

Why fuzzy matching only against static names: matching against entities seen so far
would make an entity's IRI depend on the order articles are read in. Steps 1-3 and 5
depend only on static data and the article itself, and step 4 only chooses among names
with the same key, so building the same input gives the same IRIs in any order; only
the choice of display label between case/punctuation variants follows reading order.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.extract.gazetteer import Gazetteer, load_gazetteer
from kg.model import Article, ArticleExtraction, Entity, Event, Mention
from kg.resolve.aliases import load_alias_files
from kg.resolve.normalize import (
    GENERIC_DESIGNATORS,
    acronym,
    display_name,
    match_key,
    name_key,
)
from kg.schema import ENTITY_ROLE_TYPES, ROLE_KINDS

__all__ = ["Resolver", "ResolvedArticle", "ResolvedEvent", "FUZZY_THRESHOLD",
           "ENTITY_TYPES", "types_compatible", "entity_id"]

log = logging.getLogger(__name__)

FUZZY_THRESHOLD = 0.9
FUZZY_MIN_LENGTH = 6


class _TrigramIndex:
    """Blocks fuzzy matching: only keys that share character trigrams with the query and
    have a compatible length are compared with difflib (a full scan over thousands of
    gazetteer names per unknown name made resolution the slowest stage of a build).

    Two strings with ratio >= 0.9 differ in at most ~10% of their characters, so they
    share most trigrams; requiring a quarter of the query's trigrams keeps every such
    pair while dropping almost every other key.
    """

    def __init__(self, keys: Sequence[str]) -> None:
        self._keys = list(keys)
        self._index: dict[str, list[int]] = {}
        for i, key in enumerate(self._keys):
            for gram in self._grams(key):
                self._index.setdefault(gram, []).append(i)

    @staticmethod
    def _grams(text: str) -> set[str]:
        padded = f"  {text} "
        return {padded[i:i + 3] for i in range(len(padded) - 2)}

    def candidates(self, key: str) -> list[str]:
        grams = self._grams(key)
        counts: dict[int, int] = {}
        for gram in grams:
            for i in self._index.get(gram, ()):
                counts[i] = counts.get(i, 0) + 1
        need = max(1, len(grams) // 4)
        n = len(key)
        return [self._keys[i] for i, c in counts.items()
                if c >= need and 2 * min(n, len(self._keys[i])) / (n + len(self._keys[i]))
                >= FUZZY_THRESHOLD]
ENTITY_TYPES = ("Organization", "Person", "Product", "AIModel")
_DIGITS = re.compile(r"\d+")


def types_compatible(a: str, b: str) -> bool:
    """Same class, or both products (AIModel is a Product)."""
    return a == b or {a, b} <= {"Product", "AIModel"}


def _family(etype: str) -> str:
    return "Product" if etype == "AIModel" else etype


def entity_id(name: str, etype: str) -> tuple[str, str]:
    """What tells two entities apart (and what their IRI is minted from)."""
    return (_family(etype), name_key(name))


@dataclass
class ResolvedEvent:
    """An event whose entity roles are canonical Entities.

    ``entities`` maps each entity role to an Entity (list roles to a list); ``names``
    maps every name as written in ``event.roles`` to its canonical name.
    """

    event: Event
    entities: dict[str, Entity | list[Entity]]
    names: dict[str, str] = field(default_factory=dict)

    @property
    def type(self) -> str:
        return self.event.type

    @property
    def roles(self) -> dict[str, Any]:
        return self.event.roles

    def canonical_roles(self) -> dict[str, Any]:
        """The event's roles in the spec's JSON form with canonical names."""
        out: dict[str, Any] = {}
        for role, value in self.event.roles.items():
            if value in (None, "", []):
                continue
            ent = self.entities.get(role)
            if isinstance(ent, list):
                out[role] = [e.name for e in ent]
            elif isinstance(ent, Entity):
                out[role] = ent.name
            else:
                out[role] = value
        return out


@dataclass
class ResolvedArticle:
    """One article's events with canonical entities.

    ``entities`` are this article's view: each Entity's ``aliases`` are the other
    surface forms this article used for it (what the article's graph records).
    """

    article: Article
    events: list[ResolvedEvent]
    entities: list[Entity]
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class _Static:
    name: str
    type: str | None


@dataclass
class _Context:
    """What an article itself says about names: (name, type, first offset)."""

    names: list[tuple[str, str, int]]
    text: str = ""

    @classmethod
    def of(cls, extraction: ArticleExtraction) -> _Context:
        text = extraction.article.text
        seen: dict[tuple[str, str], int] = {}
        for m in extraction.mentions:
            if m.label in ENTITY_TYPES:
                key = (m.text, m.label)
                seen[key] = min(seen.get(key, m.start), m.start)
        for ev in extraction.events:
            for role, value in ev.roles.items():
                if ROLE_KINDS.get(role) not in ("entity", "entities"):
                    continue
                for name in value if isinstance(value, list) else [value]:
                    if isinstance(name, str) and name.strip():
                        etype = ev.entity_types.get(name) or ENTITY_ROLE_TYPES[role]
                        key = (name, etype)
                        seen.setdefault(key, 10**9)
        ctx = cls([], text)
        longer_first = sorted(seen, key=lambda k: -len(k[0]))
        ctx.names = sorted((n, t, min(p, ctx._standalone(n, [k[0] for k in longer_first])))
                           for (n, t), p in seen.items())
        return ctx

    def _standalone(self, name: str, others: list[str]) -> int:
        """Offset of the first occurrence of ``name`` that is not part of a longer name."""
        if not name.strip():
            return 10**9
        covered: list[tuple[int, int]] = []
        for other in others:
            if len(other) > len(name) and name in other:
                covered += [(m.start(), m.end()) for m in re.finditer(re.escape(other), self.text)]
        for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", self.text):
            if not any(a <= m.start() and m.end() <= b for a, b in covered):
                return m.start()
        return 10**9

    def first(self, name: str) -> int:
        return min((p for n, _, p in self.names if n == name), default=10**9)

    def expand(self, name: str, etype: str) -> str | None:
        """The unique longer name this short form stands for in the article, or None."""
        toks = match_key(name).split()
        if not toks:
            return None
        at = self.first(name)
        found: set[str] = set()
        for long, ltype, pos in self.names:
            if pos > at or not types_compatible(ltype, etype):
                continue
            ltoks = match_key(long).split()
            if len(ltoks) <= len(toks):
                continue
            if etype == "Person" and ltoks[-len(toks):] == toks:
                found.add(long)
            elif etype == "Organization" and (
                (ltoks[:-1] == toks and ltoks[-1] in GENERIC_DESIGNATORS)
                or (len(toks) == 1 and name.strip().isupper() and 2 <= len(toks[0]) <= 6
                    and acronym(long) == toks[0])
            ):
                found.add(long)
        keys = {match_key(f) for f in found}
        if len(keys) == 1:
            return min(found, key=lambda f: (-len(f), f))
        return None


class Resolver:
    """Turns names as written into canonical Entities, remembering what it has seen."""

    def __init__(self, gazetteer: Gazetteer | None = None,
                 alias_files: Sequence[Path] = ()) -> None:
        self.gazetteer = gazetteer if gazetteer is not None else load_gazetteer()
        self._static: dict[str, _Static] = {}
        for entry in self.gazetteer:
            for n in entry.names:
                self._static.setdefault(match_key(n), _Static(entry.name, entry.type))
        # alias files override the gazetteer
        for canonical, aliases in load_alias_files(alias_files).items():
            entry = self.gazetteer.lookup(canonical) or self.gazetteer.lookup(
                display_name(canonical))
            static = _Static(canonical, entry.type if entry else None)
            for n in [canonical, *aliases]:
                self._static[match_key(n)] = static
        self._static_keys = sorted(k for k in self._static if len(k) >= FUZZY_MIN_LENGTH)
        self._fuzzy_index = _TrigramIndex(self._static_keys)
        self._fuzzy_cache: dict[tuple[str, str], _Static | None] = {}
        self._known: dict[tuple[str, str], Entity] = {}
        self._by_match: dict[str, list[tuple[str, str]]] = {}

    # -- knowledge -----------------------------------------------------------------
    @property
    def known_entities(self) -> list[Entity]:
        """Canonical entities seen so far (with every surface form), sorted by type, name."""
        return sorted(self._known.values(), key=lambda e: (e.type, e.name))

    def seed(self, entities: Iterable[Entity]) -> None:
        """Learn entities already in a store so their canonical names are reused."""
        for e in entities:
            self._remember(e.name, e.type, e.aliases)

    def _remember(self, name: str, etype: str, aliases: Iterable[str] = ()) -> Entity:
        eid = entity_id(name, etype)
        old = self._known.get(eid)
        if old is None:
            ent = Entity(name, etype, frozenset(a for a in aliases if a != name))
            self._by_match.setdefault(match_key(name), []).append(eid)
        else:
            etype = "AIModel" if "AIModel" in (old.type, etype) else old.type
            ent = Entity(old.name, etype,
                         old.aliases | frozenset(a for a in aliases if a != old.name))
        self._known[eid] = ent
        return ent

    # -- one name ------------------------------------------------------------------
    def _fuzzy(self, key: str, etype: str) -> _Static | None:
        if len(key) < FUZZY_MIN_LENGTH:
            return None
        cache_key = (key, _family(etype))
        if cache_key not in self._fuzzy_cache:
            hit = None
            digits = _DIGITS.findall(key)
            for cand in difflib.get_close_matches(key, self._fuzzy_index.candidates(key), n=5,
                                                  cutoff=FUZZY_THRESHOLD):
                static = self._static[cand]
                if _DIGITS.findall(cand) != digits:
                    continue
                if static.type is not None and not types_compatible(static.type, etype):
                    continue
                hit = static
                break
            self._fuzzy_cache[cache_key] = hit
        return self._fuzzy_cache[cache_key]

    def _lookup_static(self, name: str, etype: str, fuzzy: bool) -> tuple[str, str] | None:
        key = match_key(name)
        static = self._static.get(key)
        if static is None and fuzzy:
            static = self._fuzzy(key, etype)
            if static is not None:
                log.debug("fuzzy match %r -> %r", name, static.name)
        if static is None:
            return None
        # an exact gazetteer hit knows the class better than the role's default
        return static.name, static.type or etype

    def _static_expansion(self, name: str, etype: str) -> tuple[str, str] | None:
        """A short form of exactly one static name that adds a generic word
        ("Inflection" -> "Inflection AI"); the short form itself is not a static name."""
        if etype != "Organization":
            return None
        key = match_key(name)
        hits = {(s.name, s.type or etype) for d in sorted(GENERIC_DESIGNATORS)
                if (s := self._static.get(f"{key} {d}")) is not None
                and (s.type is None or s.type == "Organization")}
        return hits.pop() if len(hits) == 1 else None

    def resolve_name(self, name: str, etype: str, context: _Context | None = None,
                     canonical_hint: str | None = None) -> tuple[str, str]:
        """(canonical name, entity type) for one name as written."""
        candidates = [c for c in (canonical_hint, name) if c]
        for cand in candidates:
            hit = self._lookup_static(cand, etype, fuzzy=False)
            if hit:
                return hit
        if context is not None:
            longer = context.expand(name, etype)
            if longer is not None and longer != name:
                return self.resolve_name(longer, etype, None)
        longer_static = self._static_expansion(name, etype)
        if longer_static is not None:
            return longer_static
        for cand in candidates:
            for eid in self._by_match.get(match_key(cand), []):
                ent = self._known[eid]
                if types_compatible(ent.type, etype):
                    return ent.name, ent.type
        for cand in candidates:
            hit = self._lookup_static(cand, etype, fuzzy=True)
            if hit:
                return hit
        return display_name(canonical_hint or name), etype

    # -- one article ---------------------------------------------------------------
    def resolve(self, extraction: ArticleExtraction) -> ResolvedArticle:
        """Canonical entities for every entity role of every event of one article."""
        context = _Context.of(extraction)
        mention_types = {m.text: m.label for m in extraction.mentions if m.label in ENTITY_TYPES}
        hints = {m.text: m.canonical for m in extraction.mentions if m.canonical}
        people = {(n, t) for n, t, _ in context.names if t == "Person"}
        local: dict[tuple[str, str], tuple[str, str, set[str]]] = {}
        cache: dict[tuple[str, str], tuple[str, str]] = {}

        def one(name: str, role: str, event: Event) -> tuple[str, str]:
            etype = event.entity_types.get(name) or mention_types.get(name)
            if etype is None and role in ("investor", "investors") and \
                    (name, "Person") in people:
                etype = "Person"  # the article names this investor as a person elsewhere
            etype = etype or ENTITY_ROLE_TYPES[role]
            if role == "product" and etype not in ("Product", "AIModel"):
                etype = "Product"
            if (name, etype) not in cache:
                cache[(name, etype)] = self.resolve_name(name.strip(), etype, context,
                                                         hints.get(name))
            canonical, ctype = cache[(name, etype)]
            eid = entity_id(canonical, ctype)
            prev = local.get(eid)
            forms = prev[2] if prev else set()
            forms.add(" ".join(name.split()))
            if prev and prev[1] == "AIModel":
                ctype = "AIModel"
            local[eid] = (prev[0] if prev else canonical, ctype, forms)
            return canonical, ctype

        resolved_events: list[ResolvedEvent] = []
        pending: list[tuple[Event, dict[str, Any]]] = []
        for event in extraction.events:
            slots: dict[str, Any] = {}
            for role, value in event.roles.items():
                kind = ROLE_KINDS.get(role)
                if kind == "entity" and isinstance(value, str) and value.strip():
                    slots[role] = one(value, role, event)
                elif kind == "entities" and isinstance(value, list):
                    slots[role] = [one(v, role, event) for v in value
                                   if isinstance(v, str) and v.strip()]
            pending.append((event, slots))

        entities: dict[tuple[str, str], Entity] = {}
        for eid, (canonical, ctype, forms) in sorted(local.items()):
            self._remember(canonical, ctype, forms)
            entities[eid] = Entity(canonical, ctype, frozenset(f for f in forms if f != canonical))

        for event, slots in pending:
            ents: dict[str, Entity | list[Entity]] = {}
            names: dict[str, str] = {}
            for role, slot in slots.items():
                if isinstance(slot, list):
                    ents[role] = [entities[entity_id(c, t)] for c, t in slot]
                else:
                    ents[role] = entities[entity_id(*slot)]
            for role, value in event.roles.items():
                ent = ents.get(role)
                if isinstance(ent, list):
                    raw = [v for v in value if isinstance(v, str) and v.strip()]
                    names.update({r: e.name for r, e in zip(raw, ent, strict=True)})
                elif isinstance(ent, Entity):
                    names[value] = ent.name
            resolved_events.append(ResolvedEvent(event, ents, names))
        return ResolvedArticle(extraction.article, resolved_events,
                               sorted(entities.values(), key=lambda e: (e.type, e.name)),
                               list(extraction.mentions))
