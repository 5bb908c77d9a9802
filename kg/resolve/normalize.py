"""Name normalisation: the keys under which surface forms of one entity meet.

Two keys are used. ``name_key`` only folds what never distinguishes two entities (case,
accents, punctuation, spacing); it is what entity IRIs are minted from, so it must stay
stable across releases. ``match_key`` additionally drops corporate suffixes, a leading
"the" and a trailing possessive, so "NVIDIA Corp." and "Nvidia" meet; it is used for
lookups only, never for IRIs, so "Google DeepMind" keeps its own key (no suffix is a
word like "DeepMind").
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "CORPORATE_SUFFIXES",
    "GENERIC_DESIGNATORS",
    "name_key",
    "match_key",
    "display_name",
    "acronym",
    "tokens",
]

#: Legal-form suffixes that never distinguish two companies (spec: scoring rules).
CORPORATE_SUFFIXES = frozenset(
    {"inc", "corp", "corporation", "ltd", "llc", "plc", "ag", "sa", "gmbh", "co",
     "incorporated", "limited", "company"}
)

#: Trailing words that a short form may leave out ("SambaNova" for "SambaNova Systems",
#: "Scale" for "Scale AI"), inside one article or towards a gazetteer name. Never
#: distinctive words ("Google" is not "Google DeepMind") nor the words of investment arms
#: and labs ("Intel" is not "Intel Capital", "Qualcomm" not "Qualcomm Ventures").
GENERIC_DESIGNATORS = frozenset(
    {"ai", "systems", "technologies", "technology", "group", "holdings", "international",
     "electronics", "robotics", "platforms", "networks", "software", "semiconductor",
     "computing"}
)

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
_POSSESSIVE = re.compile(r"['’]s$|['’]$", re.IGNORECASE)
_SUFFIX_TAIL = re.compile(r"[\s,]+$")


def _fold(text: str) -> str:
    """Casefold and strip accents (NFKD without combining marks)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_key(name: str) -> str:
    """Case-, accent-, punctuation- and space-insensitive key of a name.

    >>> name_key("Run:ai") == name_key("run-AI")
    True
    """
    return " ".join(_NON_WORD.sub(" ", _fold(name)).split())


def display_name(name: str) -> str:
    """A surface form made presentable: spacing collapsed, suffixes/possessive/"the" dropped,
    all-capital words of five letters or more capitalised (acronyms like AMD stay).

    >>> display_name("NVIDIA Corp.")
    'Nvidia'
    >>> display_name("the Meta Platforms, Inc.")
    'Meta Platforms'
    """
    text = " ".join(name.split())
    text = _POSSESSIVE.sub("", text)
    while True:
        words = text.split(" ")
        if len(words) > 1 and name_key(words[-1]) in CORPORATE_SUFFIXES:
            text = _SUFFIX_TAIL.sub("", " ".join(words[:-1]))
            continue
        break
    if text[:4].lower() == "the " and len(text) > 4:
        text = text[4:]
    text = text.strip(" ,;") or " ".join(name.split())
    # press-release capitals ("NVIDIA") read as the name ("Nvidia"); short acronyms stay
    return " ".join(w.capitalize() if len(w) >= 5 and w.isalpha() and w.isupper() else w
                    for w in text.split(" "))


def match_key(name: str) -> str:
    """The lookup key: ``name_key`` of ``display_name`` (suffixes dropped)."""
    return name_key(display_name(name)) or name_key(name)


def tokens(name: str) -> list[str]:
    """The words of a name's match key."""
    return match_key(name).split()


def acronym(name: str) -> str:
    """Initials of a multi-word name ("Advanced Micro Devices" -> "amd"), else ""."""
    words = [w for w in tokens(name) if w not in {"of", "and", "the", "for"}]
    return "".join(w[0] for w in words) if len(words) >= 2 else ""
