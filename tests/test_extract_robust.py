"""Robustness of extraction: empty, non-English and huge articles, and chunk offsets."""

from __future__ import annotations

from pathlib import Path

import pytest
import spacy

from kg.errors import ModelNotFoundError
from kg.extract import Extractor, load_pipeline
from kg.extract.gazetteer import load_gazetteer
from kg.extract.pipeline import add_gazetteer_ruler, chunk_text
from kg.extract.triggers import build_trigger_matcher
from kg.model import Article

GAZ = Path(__file__).parent / "fixtures" / "extract" / "gazetteer.jsonl"
DEAL = "Quillbyte agreed to acquire Tessaract Labs for $300 million."


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor(gazetteer=load_gazetteer([GAZ], builtin=False))


def _check_offsets(text: str, result) -> None:
    for e in result.events:
        assert text[e.provenance.start:e.provenance.end].strip() == e.provenance.sentence
    for m in result.mentions:
        assert text[m.start:m.end] == m.text


def test_missing_model_is_a_clear_error() -> None:
    with pytest.raises(ModelNotFoundError, match="pip install it or pass --model NAME"):
        load_pipeline("kg_no_such_model_pkg")


@pytest.mark.parametrize("text", ["", "   \n\n  ", "\n"])
def test_empty_articles(ex: Extractor, text: str) -> None:
    result = ex.extract(Article("empty", text))
    assert result.events == []
    assert result.mentions == []
    assert result.article.id == "empty"


@pytest.mark.parametrize("text", [
    "Die Firma hat gestern einen neuen Vorstandschef ernannt. Der Umsatz stieg um 5 %.",
    "人工智能公司昨天宣布完成新一轮融资，估值达到十亿美元。",
    "أعلنت الشركة عن جولة تمويل جديدة بقيمة مئة مليون دولار.",
    "Привет! 😀 $$$ %%% ### \x00 \ufffd",
])
def test_non_english_and_odd_text_finishes(ex: Extractor, text: str) -> None:
    result = ex.extract(Article("x", text, published="2025-01-01"))
    assert result.events == []
    _check_offsets(text, result)


def test_chunk_text_covers_text_in_bounded_pieces() -> None:
    text = ("Lorem ipsum dolor sit amet. " * 40 + "\n") * 9000  # about 10 MB
    assert len(text) > 10_000_000
    pieces = list(chunk_text(text, 100_000))
    assert "".join(p for _, p in pieces) == text
    assert all(len(p) <= 100_000 for _, p in pieces)
    assert all(text[off:off + len(p)] == p for off, p in pieces)
    assert list(chunk_text("", 10)) == []


def test_offsets_survive_chunking(ex: Extractor) -> None:
    filler = "The weather was mild and markets were calm.\n" * 12
    text = filler + DEAL + "\n" + filler + DEAL.replace("$300", "$400")
    old = ex.chunk_chars
    ex.chunk_chars = 300
    try:
        result = ex.extract(Article("long", text, published="2025-06-12"))
    finally:
        ex.chunk_chars = old
    amounts = sorted(e.roles["amount"]["value"] for e in result.events)
    assert amounts == [300_000_000, 400_000_000]
    _check_offsets(text, result)
    starts = sorted(e.provenance.start for e in result.events)
    assert starts == [text.index(DEAL), text.index(DEAL.replace("$300", "$400"))]


@pytest.mark.slow
def test_ten_megabyte_article_finishes(ex: Extractor) -> None:
    """The full 10 MB path (chunking, rules on every sentence, merging) on a fast tokenizer:
    the statistical parser is swapped for the sentencizer so the test takes seconds; the
    rules must cope with docs that carry no parse."""
    para = ("Quillbyte makes chips for robots and sells them in Europe and Asia. "
            "Analysts said demand was steady across the year. ") * 40 + "\n"
    text = para * (10_000_000 // len(para) + 1) + DEAL
    assert len(text) >= 10_000_000
    fast = Extractor.__new__(Extractor)
    fast.__dict__.update(ex.__dict__)
    fast.nlp = spacy.blank("en")
    fast.nlp.add_pipe("sentencizer")
    add_gazetteer_ruler(fast.nlp, ex.gazetteer)
    fast.triggers = build_trigger_matcher(fast.nlp.vocab, ex.lexicon)
    result = fast.extract(Article("huge", text))
    assert result.article.id == "huge"
    tail = [m for m in result.mentions if m.start >= len(text) - len(DEAL)]
    assert [m.text for m in tail] == ["Quillbyte", "Tessaract Labs"]
    for m in result.mentions[-50:]:
        assert text[m.start:m.end] == m.text


def test_trigger_index_on_a_blank_pipeline() -> None:
    """The Matcher is built once from the lexicon; a sentence only enters the rule families
    whose trigger words it contains."""
    from kg.extract.lexicon import load_lexicon
    from kg.extract.triggers import sentence_triggers

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    matcher = build_trigger_matcher(nlp.vocab, load_lexicon())
    doc = nlp("Quillbyte agreed to buy Tessaract Labs. Its customers include banks. "
              "The weather was mild. Lumora AI teamed up with Quillbyte.")
    fired = sentence_triggers(matcher, doc)
    by_text = {s.text: fired.get(s.start, set()) for s in doc.sents}
    # "Labs" is also a unit noun and "buy" also opens compute purchases ("buy capacity
    # from X"): gating is permissive, the rules decide
    assert by_text["Quillbyte agreed to buy Tessaract Labs."] == {
        "Acquisition", "Subsidiary", "Partnership"}
    assert by_text["Its customers include banks."] == {"Customer"}
    assert by_text["The weather was mild."] == set()
    assert "Partnership" in by_text["Lumora AI teamed up with Quillbyte."]


def test_user_gazetteer_files_add_to_the_builtin_one() -> None:
    ex = Extractor(gazetteer_files=[GAZ])
    assert "Quillbyte" in ex.gazetteer and "Dana Okafor" in ex.gazetteer
    builtin_only = load_gazetteer()
    assert len(ex.gazetteer) == len(builtin_only) + sum(
        1 for line in GAZ.read_text("utf-8").splitlines()
        if line.strip() and line.split('"name": "')[1].split('"')[0] not in builtin_only)
    result = ex.extract(Article("g", "Quillbyte named Dana Okafor as chief executive."))
    assert [(e.roles["person"], e.roles["organization"]) for e in result.events] == [
        ("Dana Okafor", "Quillbyte")]
