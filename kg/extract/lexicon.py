"""The extractor's lexical knowledge (``data/lexicon.json``) as sets and compiled patterns.

Trigger words, titles, hedge cues and name-shape words are data so that a user can read
and extend them without touching the rules; this module only indexes them once.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from typing import Any

__all__ = ["Lexicon", "load_lexicon"]


@dataclass
class Lexicon:
    raw: dict[str, Any]
    verbs: dict[str, set[str]]  # event type -> single-word verb forms
    phrasal: dict[str, set[tuple[str, str]]]  # event type -> (verb, particle)
    nouns: dict[str, set[str]]
    title_rx: re.Pattern[str]
    title_words: set[str]
    weak_titles: set[str]
    drop_modifiers: set[str]
    title_plural: dict[str, str]
    appointment: dict[str, set[str]]
    hedge_sentence: tuple[str, ...]
    hedge_governors: set[str]
    hedge_aux: set[str]
    negation: set[str]
    coref_nouns: set[str]
    org_suffixes: set[str]
    investor_words: set[str]
    places: set[str]
    exchanges: dict[str, str]
    unit_nouns: set[str]
    product_nouns: set[str]
    round_words: set[str]
    metrics: dict[str, str]  # phrase -> metric
    metric_rx: re.Pattern[str]
    forecast_cues: set[str]
    deal_kinds: set[str]
    not_names: set[str]


def _title_regex(core: list[str], modifiers: list[str]) -> re.Pattern[str]:
    def alt(words: list[str]) -> str:
        out = []
        for w in sorted(words, key=len, reverse=True):
            esc = re.escape(w).replace(r"\ ", r"\s+")
            esc = esc.replace(r"co\-", r"co-?\s?")
            out.append(esc)
        return "|".join(out)

    chief = r"chief\s+(?:[A-Za-z&-]+\s+){1,3}officer"
    mods = alt([m for m in modifiers])
    return re.compile(
        rf"\b(?P<title>(?:(?:{mods})[\s-]+)*(?:{chief}|{alt(core)}))\b", re.I)


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Read the lexicon (the packaged one unless ``path`` is given), indexed for the rules."""
    if path is None:
        text = (files("kg.extract.data") / "lexicon.json").read_text("utf-8")
    else:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    raw = json.loads(text)
    verbs: dict[str, set[str]] = {}
    phrasal: dict[str, set[tuple[str, str]]] = {}
    nouns: dict[str, set[str]] = {}
    for etype, spec in raw["triggers"].items():
        verbs[etype] = {v for v in spec["verbs"] if " " not in v}
        phrasal[etype] = {tuple(v.split(" ", 1)) for v in spec["verbs"] if " " in v}
        nouns[etype] = set(spec["nouns"])
    titles = raw["titles"]
    metrics = {p: m for m, phrases in raw["financial_metrics"].items() for p in phrases}
    metric_alt = "|".join(re.escape(p).replace(r"\ ", r"\s+")
                          for p in sorted(metrics, key=len, reverse=True))
    hedges = raw["hedges"]
    return Lexicon(
        raw=raw,
        verbs=verbs,
        phrasal=phrasal,
        nouns=nouns,
        title_rx=_title_regex(titles["core"], titles["modifiers"]),
        title_words={w for t in titles["core"] for w in t.split()} - {"of"},
        weak_titles=set(titles["weak"]),
        drop_modifiers=set(titles["drop_modifiers"]),
        title_plural=dict(titles["plural"]),
        appointment={k: set(v) for k, v in raw["appointment_verbs"].items()},
        hedge_sentence=tuple(hedges["sentence"]),
        hedge_governors=set(hedges["governors"]),
        hedge_aux=set(hedges["aux"]),
        negation=set(hedges["negation"]),
        coref_nouns=set(raw["coref_nouns"]),
        org_suffixes=set(raw["org_suffixes"]),
        investor_words=set(raw["investor_words"]),
        places=set(raw["places"]),
        exchanges=dict(raw["exchanges"]),
        unit_nouns=set(raw["unit_nouns"]),
        product_nouns=set(raw["product_nouns"]),
        round_words=set(raw["round_words"]),
        metrics=metrics,
        metric_rx=re.compile(rf"\b(?:{metric_alt})\b", re.I),
        forecast_cues=set(raw["forecast_cues"]),
        deal_kinds=set(raw["deal_kinds"]),
        not_names=set(raw.get("not_names", [])),
    )
