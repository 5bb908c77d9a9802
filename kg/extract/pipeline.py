"""Loading the spaCy pipeline once, teaching it the gazetteer, and cutting huge texts.

The small English model mislabels the names this domain is made of (company names ending
in "AI" as PERSON, chipmakers as GPE, "AI" alone as a place). A span ruler placed *before*
``ner`` pre-sets the gazetteer's names as entities, so the statistical NER keeps them and
labels the rest around them.
The lemmatizer is switched off: trigger words are listed with their inflections in
``data/lexicon.json``, which is cheaper than lemmatizing every token.
"""

from __future__ import annotations

import importlib.util
import logging
import re
from collections.abc import Iterator

import spacy
from spacy.language import Language

from kg.errors import ModelNotFoundError
from kg.extract.gazetteer import Gazetteer

__all__ = ["load_pipeline", "add_gazetteer_ruler", "chunk_text", "SPACY_LABEL", "CHUNK_CHARS"]

log = logging.getLogger(__name__)

SPACY_LABEL = {"Organization": "ORG", "Person": "PERSON", "Product": "PRODUCT",
               "AIModel": "PRODUCT"}
CHUNK_CHARS = 100_000
_UNNEEDED_PIPES = ("lemmatizer",)


@Language.component("kg_newline_sentences")
def newline_sentences(doc):  # type: ignore[no-untyped-def]
    """Lines are sentences: headlines, bylines and datelines end at a newline, not a period."""
    for tok in doc[:-1]:
        if "\n" in tok.text_with_ws and (tok.is_space or tok.whitespace_ == "" and
                                          "\n" in tok.text):
            doc[tok.i + 1].is_sent_start = True
        elif tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
        elif _DOTTED.match(tok.text) and not tok.is_space:
            doc[tok.i + 1].is_sent_start = False  # "Orbix.AI co-founders": one sentence
    return doc


def load_pipeline(model: str) -> Language:
    """Load the spaCy model package ``model`` (never downloads); pipes we do not use are off."""
    if importlib.util.find_spec(model) is None and not _is_path(model):
        raise ModelNotFoundError(
            f"spaCy model package {model!r} is not installed; pip install it or pass --model NAME")
    try:
        nlp = spacy.load(model, exclude=[p for p in _UNNEEDED_PIPES])
    except OSError as e:
        raise ModelNotFoundError(
            f"spaCy model package {model!r} is not installed; pip install it or pass --model NAME"
        ) from e
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("kg_newline_sentences", before="parser")
    keep_dotted_names(nlp)
    keep_co_words(nlp)
    return nlp


_CO_WORDS = ("co-founded", "co-founder", "co-founders", "co-founding", "co-found", "co-founds",
             "co-led", "co-lead", "co-leads", "co-leading", "co-chair", "co-chairs",
             "co-head", "co-heads", "co-CEO", "co-CEOs", "co-chief")


def keep_co_words(nlp: Language) -> None:
    """"co-founded" split into "co", "-", "founded" leaves the parser a verb "co"; one token
    keeps "X, who co-founded Y in 2019," a relative clause with a verb and an object."""
    from spacy.symbols import ORTH

    for word in _CO_WORDS:
        for form in {word, word[0].upper() + word[1:]}:
            nlp.tokenizer.add_special_case(form, [{ORTH: form}])


_DOTTED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*\.(?:AI|Ai|ai|IO|io)$")


def keep_dotted_names(nlp: Language) -> None:
    """Keep "Orbix.AI"-style names one token: the default infix rule splits "x.AI" and
    the parser then ends the sentence at the period."""
    original = nlp.tokenizer.token_match

    def token_match(text: str):  # type: ignore[no-untyped-def]
        return _DOTTED.match(text) or (original(text) if original else None)

    nlp.tokenizer.token_match = token_match


def _is_path(model: str) -> bool:
    from pathlib import Path

    return Path(model).is_dir()


def add_gazetteer_ruler(nlp: Language, gazetteer: Gazetteer) -> None:
    """Put the gazetteer's names (and aliases) in an entity ruler before ``ner``.

    Names of one character or all-lower-case single words are left out: they would fire on
    ordinary words. Matching is case-sensitive on the written form, as names are.
    """
    if "gazetteer_ruler" in nlp.pipe_names:
        nlp.remove_pipe("gazetteer_ruler")
    before = "ner" if "ner" in nlp.pipe_names else None
    config = {"phrase_matcher_attr": "ORTH", "validate": False, "overwrite_ents": True}
    ruler = nlp.add_pipe("entity_ruler", name="gazetteer_ruler", before=before, config=config)
    patterns = []
    for entry in gazetteer:
        label = SPACY_LABEL.get(entry.type)
        if label is None:
            continue
        for name in entry.names:
            if len(name) < 2 or (name.islower() and " " not in name):
                continue
            patterns.append({"label": label, "pattern": name, "id": entry.name})
    if patterns:
        ruler.add_patterns(patterns)
    log.debug("gazetteer ruler: %d patterns", len(patterns))


def chunk_text(text: str, limit: int = CHUNK_CHARS) -> Iterator[tuple[int, str]]:
    """Cut ``text`` into pieces under ``limit`` characters at paragraph or sentence ends.

    Yields (offset, piece) so that offsets inside a piece map back to the whole text.
    """
    start = 0
    n = len(text)
    while start < n:
        end = min(n, start + limit)
        if end < n:
            cut = text.rfind("\n", start + limit // 2, end)
            if cut == -1:
                cut = text.rfind(". ", start + limit // 2, end)
                cut = cut + 1 if cut != -1 else -1
            if cut == -1:
                cut = text.rfind(" ", start + limit // 2, end)
            if cut > start:
                end = cut
        yield start, text[start:end]
        start = end
