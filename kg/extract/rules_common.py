"""Helpers the money rules share: where the subject organisation is, what a round is called."""

from __future__ import annotations

import re

from spacy.tokens import Token

from kg.extract.mentions import ORG, PER, Ent
from kg.extract.sentence import Sent

__all__ = ["ROUND_RX", "IPO_RX", "round_name", "subject_org", "nearest_left_org"]

ROUND_RX = re.compile(
    r"\b(Series\s+[A-K](?:-?\d)?\+?|(?:pre-)?seed|late-stage|growth[- ]stage|growth|angel|"
    r"bridge|pre-IPO|Series\s+[A-K]\s+extension)(?=\s+(?:round|funding|financing|extension|"
    r"investment|raise)|\b)", re.I)

IPO_RX = re.compile(r"\b(?:ipo|initial public offering|went public|go(?:es)? public|listed on|"
                     r"listed in|"
                     r"listing|market debut|nasdaq debut|nyse debut|stock market debut|"
                     r"began trading|begin trading|first day of trading|trading debut)\b", re.I)


def round_name(s: Sent) -> str | None:
    for m in ROUND_RX.finditer(s.text):
        word = m.group(1)
        if word.lower().startswith("series"):
            return " ".join(word.split())
        after = s.text[m.end():m.end() + 12].lower()
        if after.lstrip().startswith(("round", "funding", "financing", "extension")):
            return word
    return None

def nearest_left_org(s: Sent, i: int) -> Ent | None:
    best = None
    for e in s.ents:
        if e.label == ORG and e.end <= i:
            best = e
    return best


def subject_org(s: Sent, verb: Token, label: str = ORG) -> Ent | None:
    subj = s.subject(verb)
    if subj is not None:
        for t in s.conj_all(subj)[:1]:
            ent = s.org(t) if label == ORG else s.actx.resolve(t, label)
            if ent is not None and ent.label in (ORG, PER):
                return ent
    return None


