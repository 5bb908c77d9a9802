"""Merge suggestions: pairs of entities that may be one, for ``kg entities`` to show.

The resolver never merges on a guess across articles (that would make IRIs depend on
reading order); it leaves the guesses here, scored, for a person to accept by adding an
alias file line.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable

from kg.model import Entity
from kg.resolve.normalize import GENERIC_DESIGNATORS, acronym, match_key
from kg.resolve.resolver import types_compatible

__all__ = ["merge_candidates", "pair_score"]

_DIGITS = re.compile(r"\d+")
_MAX_BLOCK = 300


def _keys(e: Entity) -> set[str]:
    return {k for k in (match_key(n) for n in (e.name, *e.aliases)) if k}


def pair_score(a: Entity, b: Entity) -> float:
    """How likely two entities are one (0 when their types differ), with the reason's weight:
    a shared name 1.0, an alias of one naming the other 0.95, an acronym or a generic short
    form 0.9, a surname 0.85, else the difflib ratio of their names (same digits only)."""
    if not types_compatible(a.type, b.type):
        return 0.0
    ka, kb = match_key(a.name), match_key(b.name)
    if ka == kb:
        return 1.0
    if _keys(a) & _keys(b):
        return 0.95
    ta, tb = ka.split(), kb.split()
    short, long = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if a.type != "Person" and len(short) == 1 and len(long) >= 2:
        if long[:-1] == short and long[-1] in GENERIC_DESIGNATORS:
            return 0.9
        if acronym(" ".join(long)) == short[0]:
            return 0.9
    if a.type == "Person" and len(short) == 1 and len(long) >= 2 and long[-1] == short[0]:
        return 0.85
    if _DIGITS.findall(ka) != _DIGITS.findall(kb):
        return 0.0
    return round(difflib.SequenceMatcher(None, ka, kb).ratio(), 3)


def merge_candidates(entities: Iterable[Entity], threshold: float = 0.85
                     ) -> list[tuple[Entity, Entity, float]]:
    """Pairs (a, b, score) with score >= threshold, best first, a before b by name.

    Only pairs that share a block (first three letters, a word, or an acronym) are
    scored, so thousands of entities stay fast.
    """
    ents = sorted(set(entities), key=lambda e: (e.type, e.name))
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(ents):
        marks: set[str] = set()
        for k in _keys(e):
            marks.add("p:" + k[:3])
            marks.update("w:" + w for w in k.split() if len(w) > 1)
            acr = acronym(k)
            if acr:
                marks.add("w:" + acr)
        for m in marks:
            blocks[m].append(i)
    pairs: set[tuple[int, int]] = set()
    for members in blocks.values():
        if len(members) > _MAX_BLOCK:
            continue
        for x, i in enumerate(members):
            for j in members[x + 1:]:
                pairs.add((min(i, j), max(i, j)))
    out = []
    for i, j in sorted(pairs):
        score = pair_score(ents[i], ents[j])
        if score >= threshold:
            out.append((ents[i], ents[j], score))
    out.sort(key=lambda t: (-t[2], t[0].name, t[1].name))
    return out
