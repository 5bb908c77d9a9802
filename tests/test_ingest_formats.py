"""Each ingest format read from a fixture, with exact Article fields."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from kg.ingest import Problems, detect_format, formats, read_articles
from kg.ingest.base import Source
from kg.model import Article

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def read(*names: str, **kwargs) -> tuple[list[Article], Problems]:
    problems = Problems()
    articles = list(read_articles(names, problems=problems, **kwargs))
    return articles, problems


@pytest.fixture(autouse=True)
def _in_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)


def test_registry_lists_builtin_formats() -> None:
    assert formats.names() == ["csv", "feed", "html", "jsonl", "markdown", "text"]
    assert formats.get("html").extensions == (".html", ".htm", ".xhtml")


def test_plain_text_title_from_first_line() -> None:
    (article,), problems = read("story.txt")
    assert problems.count == 0
    assert article.id == "story"
    assert article.title == "Halcyon Cloud agrees to supply GPUs to Meridian Labs"
    assert article.text.startswith("Halcyon Cloud agrees to supply GPUs to Meridian Labs\n\n")
    assert article.text.endswith("according to a filing.")
    assert article.published is None
    assert article.source == "story.txt"
    assert article.section == "main"


def test_markdown_front_matter_and_markup_removed() -> None:
    (article,), problems = read("post.md")
    assert problems.count == 0
    assert article == Article(
        id="post",
        text=(
            "Ridgeback AI opens a research lab in Zurich\n\n"
            "Ridgeback AI said on Monday that it has opened a research lab in Zurich, led by "
            "former university professor Ines Moreau.\n\n"
            "The lab will start with twenty researchers.\n"
            "It will focus on robotics and planning.\n\n"
            '"Zurich has the talent we need," the company said.'
        ),
        title="Ridgeback AI opens a research lab in Zurich",
        published="2024-12-30",
        url="https://blog.example.com/ridgeback-zurich",
        source="post.md",
        author="Jonas Weber",
    )


def test_text_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "note.txt"
    path.write_text(
        "---\ntitle: Osprey Vision hires a CFO\npublished: June 13, 2025\n"
        "url: https://example.com/osprey\nauthor: 'Sam Ortiz'\nbroken line\n---\n"
        "Osprey Vision named Carla Mendes as chief financial officer.\n",
        encoding="utf-8",
    )
    problems = Problems()
    (article,) = read_articles([path], problems=problems)
    assert (article.id, article.title, article.published, article.url, article.author) == (
        "note",
        "Osprey Vision hires a CFO",
        "2025-06-13",
        "https://example.com/osprey",
        "Sam Ortiz",
    )
    assert article.text == (
        "Osprey Vision hires a CFO\n\nOsprey Vision named Carla Mendes as chief financial officer."
    )
    assert problems.first() == [f"{path} line 6: front-matter line is not 'key: value'; ignored"]


def test_html_main_story_metadata_and_no_page_furniture() -> None:
    articles, problems = read("news-page.html")
    assert problems.count == 0
    main = articles[0]
    assert main.id == "news-page"
    assert main.section == "main"
    assert main.title == "Lumen Robotics raises $120 million to build warehouse humanoids"
    assert main.published == "2025-03-11"  # JSON-LD datePublished, local date kept
    assert main.url == "https://news.example.com/2025/03/lumen-robotics-series-b"
    assert main.author == "Priya Raman"
    assert main.text.startswith(
        "Lumen Robotics raises $120 million to build warehouse humanoids\n\n"
        "Lumen Robotics, a Pittsburgh startup"
    )
    assert main.text.endswith("to a logistics customer in the autumn, according to a statement.")
    for furniture in ("Artificial intelligence", "Privacy policy", "Orbital AI", "Helix"):
        assert furniture not in main.text


def test_html_related_stories_are_separate_articles() -> None:
    articles, _ = read("news-page.html")
    related = articles[1:]
    assert [a.id for a in related] == ["news-page#related-1", "news-page#related-2"]
    assert {a.section for a in related} == {"related"}
    first, second = related
    assert first.title == "Orbital AI agrees to buy Quantis Labs"
    assert first.text == (
        "Orbital AI agrees to buy Quantis Labs\n\n"
        "The deal, announced last month, gives Orbital AI a team of forty compiler engineers."
    )
    assert first.url == "https://news.example.com/2025/02/orbital-ai-acquires-quantis"
    assert first.published == "2025-02-20"
    assert first.source == "news-page.html"
    assert second.title == "Helix Chips closes $75 million round"
    assert second.url == "https://other.example.org/helix-chips-funding"
    assert second.published == "2025-03-11"  # no <time> of its own: the page's date
    assert second.text.endswith("said Granite Peak Capital led the financing.")
    assert "Read more" not in second.text


def test_html_related_section_under_heading_without_markup_hints(tmp_path: Path) -> None:
    page = tmp_path / "plain.html"
    page.write_text(
        "<html><head><title>Wren AI</title></head><body><article>"
        "<h1>Wren AI signs a cloud deal</h1>"
        + "<p>Wren AI agreed to rent computing capacity from Stratus Cloud for three years, "
        "the companies said on Monday.</p>" * 3 + "</article><div><h2>More stories</h2>"
        '<p><a href="https://example.com/a">Finch Labs raises $12 million from Oakline</a></p>'
        "</div></body></html>",
        encoding="utf-8",
    )
    articles = list(read_articles([page]))
    assert [(a.id, a.section, a.title, a.url) for a in articles] == [
        ("plain", "main", "Wren AI signs a cloud deal", None),
        (
            "plain#related-1",
            "related",
            "Finch Labs raises $12 million from Oakline",
            "https://example.com/a",
        ),
    ]
    assert articles[1].text == "Finch Labs raises $12 million from Oakline"
    assert "Finch" not in articles[0].text


def test_rss_content_encoded_preferred_over_description() -> None:
    articles, problems = read("feed.rss")
    assert problems.count == 0
    first, second = articles
    assert first.id == "feed-" + hashlib.sha256(b"wire-2025-0412").hexdigest()[:12]
    assert first.title == "Corvid Labs releases Sparrow 2 language model"
    assert first.text == (
        "Corvid Labs releases Sparrow 2 language model\n\n"
        "Corvid Labs on Saturday released Sparrow 2, a language model that it says answers "
        "questions twice as fast as its predecessor.\n\n"
        "The model is available to paying customers through the company\u2019s API from today."
    )
    assert first.url == "https://wire.example.com/corvid-sparrow-2"
    assert first.published == "2025-04-12"
    assert first.author == "Tomas Lindqvist"
    # no guid: the link is the stable key
    assert second.id == (
        "feed-" + hashlib.sha256(b"https://wire.example.com/brightline-cfo").hexdigest()[:12]
    )
    assert second.published == "2025-04-10"
    assert second.text.endswith("as chief financial officer, effective next month.")


def test_atom_content_and_summary() -> None:
    articles, problems = read("feed.atom")
    assert problems.count == 0
    first, second = articles
    assert first.title == "Tessellate Semiconductor opens a design centre in Austin"
    assert first.published == "2025-05-01"  # published, not updated
    assert first.author == "Mei Chen"
    assert first.url == "https://chips.example.net/notes/tessellate-austin"
    assert first.text.endswith("The centre will work on accelerators for training large models.")
    assert "opens an Austin office" not in first.text  # summary not used when content exists
    assert second.published == "2025-04-28"  # only <updated>
    assert second.text == (
        "Quill Analytics partners with Harbor Bank\n\n"
        "Quill Analytics and Harbor Bank agreed to build fraud-detection tools together."
    )


def test_feed_ids_stable_across_file_names(tmp_path: Path) -> None:
    copy = tmp_path / "snapshot-2.xml"
    copy.write_bytes((FIXTURES / "feed.rss").read_bytes())
    original = [a.id for a in read_articles(["feed.rss"])]
    assert [a.id for a in read_articles([copy])] == original


def test_jsonl_fields_and_dates() -> None:
    articles, _ = read("bad.jsonl")
    assert [(a.id, a.published, a.title) for a in articles] == [
        ("bad-1", "2025-01-15", "Arbor AI buys Fernwood Data"),
        ("bad-2", "2025-06-13", None),
        ("bad-4", "2025-03-04", None),
    ]
    assert articles[0].url == "https://example.com/arbor-fernwood"
    assert articles[0].source == "bad.jsonl"


def test_jsonl_without_id_uses_stem_and_line(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    path.write_text('\n{"text": "Alpha Robotics opened an office."}\n', encoding="utf-8")
    (article,) = read_articles([path])
    assert article.id == "batch-2"


def test_csv_detects_columns() -> None:
    articles, problems = read("articles.csv")
    assert [(a.id, a.title, a.published, a.url) for a in articles] == [
        ("csv-1", "Saltmarsh AI raises $30 million", "2025-04-07", "https://example.com/saltmarsh"),
        ("csv-2", "Quarry Compute lists on Nasdaq", "2025-04-09", "https://example.com/quarry-ipo"),
        ("articles-4", "Untitled note", None, None),
    ]
    assert articles[1].text == (
        "Quarry Compute began trading on the Nasdaq on Wednesday, opening above its offer "
        "price of $18 a share."
    )
    assert problems.first() == ['articles.csv line 5: "text" is empty; line skipped']


def test_csv_text_column_parameter(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "key;Story\nx1;Marlin AI signed a licensing deal with a publisher.\n", encoding="utf-8"
    )
    problems = Problems()
    assert list(read_articles([path], problems=problems)) == []
    assert problems.first() == [
        f"{path}: no text column (text, body, content or article) among key, Story; "
        "skipped (pass text_column to choose one)"
    ]
    (article,) = read_articles([path], text_column="story")
    assert (article.id, article.text) == (
        "export-2",
        "Marlin AI signed a licensing deal with a publisher.",
    )


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b'<?xml version="1.0"?>\n<rss version="2.0"><channel>', "feed"),
        (b'<feed xmlns="http://www.w3.org/2005/Atom">', "feed"),
        (b"<!DOCTYPE html><html><body><p>Hi</p>", "html"),
        (b"<p>Kite AI raised money.</p>\n<p>More soon.</p>", "html"),
        (b"<3 Kite AI raised money.", "text"),
        (b'{"id": "a", "text": "Kite AI raised money."}\n', "jsonl"),
        (b"id,title,text\n1,A,Kite AI raised money.\n", "csv"),
        (b"# Kite AI\n\nKite AI raised money.\n", "markdown"),
        (b"Kite AI raised money, its founder said.\n", "text"),
    ],
)
def test_sniffing(head: bytes, expected: str) -> None:
    assert detect_format(Source(name="<stdin>", stem="stdin", head=head)).name == expected


def test_extension_wins_over_content() -> None:
    source = Source(name="x.txt", stem="x", path=Path("x.txt"), head=b"<html><body>")
    assert detect_format(source).name == "text"


def test_single_path_instead_of_a_list() -> None:
    assert [a.id for a in read_articles("story.txt")] == ["story"]
    assert [a.id for a in read_articles(Path("story.txt"))] == ["story"]
