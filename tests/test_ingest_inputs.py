"""Inputs: directories, globs, standard input, duplicate text, id collisions, dates."""

from __future__ import annotations

import contextlib
import io
import logging
import os
from pathlib import Path

import pytest

from kg.ingest import IngestStats, Problems, expand_inputs, normalise_date, read_articles

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    write(tmp_path / "b.txt", "Beta Robotics opened a lab in Leeds.")
    write(tmp_path / "a.txt", "Alpha AI raised $5 million.")
    write(tmp_path / "a" / "z.md", "Zeta Labs hired a research director.")
    write(tmp_path / "a" / "c" / "d.txt", "Delta Compute bought a data centre.")
    write(tmp_path / ".hidden.txt", "Hidden AI should never be read.")
    write(tmp_path / ".git" / "x.txt", "Git AI should never be read.")
    write(tmp_path / "notes.pdf", "Not a format kg reads.")
    write(tmp_path / "a" / "e.jsonl", '{"id": "e1", "text": "Epsilon AI launched a model."}\n')
    return tmp_path


def test_directory_recursion_order_and_hidden_files(tree: Path) -> None:
    assert [p.relative_to(tree).as_posix() for p in expand_inputs([tree])] == [
        "a/c/d.txt",
        "a/e.jsonl",
        "a/z.md",
        "a.txt",
        "b.txt",
    ]
    assert [a.id for a in read_articles([tree])] == ["d", "e1", "z", "a", "b"]


def test_glob_patterns(tree: Path) -> None:
    ids = [a.id for a in read_articles([str(tree / "*.txt")])]
    assert ids == ["a", "b"]  # hidden files are not matched
    ids = [a.id for a in read_articles([str(tree / "**" / "*.txt")])]
    assert ids == ["d", "a", "b"]


def test_same_text_under_two_names_is_read_once(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write(tmp_path / "first.txt", "Orca AI agreed to buy Pelican Data.\n")
    write(tmp_path / "second.txt", "Orca AI  agreed to buy\r\nPelican Data.")
    problems = Problems()
    with caplog.at_level(logging.INFO, logger="kg.ingest"):
        articles = list(read_articles([tmp_path], problems=problems))
    assert [a.id for a in articles] == ["first"]
    assert problems.count == 0
    assert (
        f"{tmp_path / 'second.txt'}: article 'second' has the same text as article 'first'; "
        "skipped as a duplicate"
    ) in caplog.messages


def test_same_id_different_text_is_renamed(tmp_path: Path) -> None:
    write(tmp_path / "x" / "story.txt", "Puffin AI hired a chief scientist.")
    write(tmp_path / "y" / "story.txt", "Gannet Robotics raised a seed round.")
    problems = Problems()
    assert [a.id for a in read_articles([tmp_path], problems=problems)] == ["story", "story-2"]
    assert problems.first() == [
        f"{tmp_path / 'y' / 'story.txt'}: article id 'story' is already used; renamed 'story-2'"
    ]


def test_stdin_text_stream_sniffed_as_jsonl() -> None:
    stdin = io.StringIO(
        '{"id": "s1", "text": "Heron AI raised $9 million."}\n'
        '{"id": "s2", "text": "Tern Labs released a speech model."}\n'
    )
    articles = list(read_articles(["-"], stdin=stdin))
    assert [(a.id, a.source) for a in articles] == [("s1", "<stdin>"), ("s2", "<stdin>")]


def test_stdin_binary_stream_sniffed_as_html() -> None:
    page = (FIXTURES / "news-page.html").read_bytes()
    articles = list(read_articles(["-"], stdin=io.BytesIO(page)))
    assert [a.id for a in articles] == ["stdin", "stdin#related-1", "stdin#related-2"]
    assert articles[0].title == "Lumen Robotics raises $120 million to build warehouse humanoids"


def test_stdin_plain_text_longer_than_the_sniffed_head() -> None:
    text = "Kite AI raised money. " * 1000  # 22 kB, more than the 8 kB head
    (article,) = read_articles(["-"], stdin=io.BytesIO(text.encode()))
    assert (article.id, article.text) == ("stdin", text.strip())


def test_stdin_feed() -> None:
    feed = (FIXTURES / "feed.atom").read_bytes()
    titles = [a.title for a in read_articles(["-"], stdin=io.BytesIO(feed))]
    assert titles == [
        "Tessellate Semiconductor opens a design centre in Austin",
        "Quill Analytics partners with Harbor Bank",
    ]


def test_stdin_empty() -> None:
    problems = Problems()
    assert list(read_articles(["-"], problems=problems, stdin=io.BytesIO(b""))) == []
    assert problems.first() == ["<stdin>: empty file; skipped"]


def test_unknown_extension_given_explicitly_is_sniffed(tmp_path: Path) -> None:
    path = write(tmp_path / "export.data", '{"id": "u1", "text": "Loon AI opened in Oslo."}\n')
    (article,) = read_articles([path])
    assert article.id == "u1"


def test_inputs_are_read_lazily(tmp_path: Path) -> None:
    write(tmp_path / "one.txt", "Wren AI raised money.")
    articles = read_articles([tmp_path / "one.txt"])
    (tmp_path / "one.txt").write_text("Robin Labs was acquired.", encoding="utf-8")
    assert next(articles).text == "Robin Labs was acquired."


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("2024-12-30", "2024-12-30"),
        ("2025-06-13T23:30:00-07:00", "2025-06-13"),
        ("Fri, 13 Jun 2025 09:30:00 GMT", "2025-06-13"),
        ("13 Jun 2025 09:30:00 +0000", "2025-06-13"),
        ("June 13, 2025", "2025-06-13"),
        ("Friday, June 13, 2025", "2025-06-13"),
        ("13 June 2025", "2025-06-13"),
        ("Jun. 13th, 2025", "2025-06-13"),
        ("2025/06/13", "2025-06-13"),
        ("06/13/2025", "2025-06-13"),
        ("13/06/2025", "2025-06-13"),
        ("13.06.2025", "2025-06-13"),
        ("20250613", "2025-06-13"),
        ("June 2025", "2025-06"),
        ("2025", "2025"),
        ("2025-02-30", None),
        ("next week", None),
        ("", None),
        (None, None),
        (20250613, None),
    ],
)
def test_normalise_date(raw: object, iso: str | None) -> None:
    assert normalise_date(raw) == iso


def test_named_pipe_is_read_once_as_a_stream(tmp_path: Path) -> None:
    fifo_read, fifo_write = os.pipe()
    os.write(fifo_write, b'{"id": "p1", "text": "Swift AI raised $3 million."}\n')
    os.close(fifo_write)
    try:
        (article,) = read_articles([f"/dev/fd/{fifo_read}"])
    finally:
        with contextlib.suppress(OSError):
            os.close(fifo_read)
    assert (article.id, article.text) == ("p1", "Swift AI raised $3 million.")


def test_stats_count_inputs_articles_teasers_and_duplicates(tmp_path: Path) -> None:
    write(tmp_path / "copy.txt", (FIXTURES / "story.txt").read_text(encoding="utf-8"))
    stats = IngestStats()
    articles = list(
        read_articles(
            [FIXTURES / "story.txt", tmp_path / "copy.txt", FIXTURES / "news-page.html"],
            stats=stats,
        )
    )
    assert len(articles) == 4
    assert stats == IngestStats(inputs=3, articles=4, related=2, duplicates=1)


def test_jsonl_line_in_another_encoding_after_the_head(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    good = "".join(
        f'{{"id": "g{i}", "text": "Zephyr AI opened office number {i} in Lyon."}}\n'
        for i in range(200)
    )
    assert len(good) > 8192  # past the head used to choose the file's encoding
    latin = '{"id": "m2", "text": "Zéphyr AI a ouvert un bureau à Lyon, près de la gare."}\n'
    path.write_bytes(good.encode() + latin.encode("latin-1"))
    problems = Problems()
    articles = list(read_articles([path], problems=problems))
    assert len(articles) == 201
    assert articles[-1].text == "Zéphyr AI a ouvert un bureau à Lyon, près de la gare."
    assert problems.count == 1
    assert problems.items[0].line == 201
    assert problems.items[0].message.startswith("not valid utf-8; decoded as ")


def test_jsonl_in_utf16(tmp_path: Path) -> None:
    path = tmp_path / "wide.jsonl"
    lines = (
        '{"id": "w1", "text": "Ibis AI hired a CFO."}\n{"id": "w2", "text": "Kea AI shipped."}\n'
    )
    path.write_bytes(lines.encode("utf-16"))
    assert [a.id for a in read_articles([path])] == ["w1", "w2"]


def test_csv_quoted_multiline_field(tmp_path: Path) -> None:
    path = tmp_path / "multi.csv"
    path.write_text(
        'id,text\nq1,"Magpie AI raised money.\n\nThe round was led by Rook Capital."\n'
        'q2,"Jay Labs, a startup, was acquired."\n',
        encoding="utf-8",
    )
    articles = list(read_articles([path]))
    assert [(a.id, a.text) for a in articles] == [
        ("q1", "Magpie AI raised money.\n\nThe round was led by Rook Capital."),
        ("q2", "Jay Labs, a startup, was acquired."),
    ]
