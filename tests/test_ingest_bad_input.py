"""Bad input never raises out of read_articles: it becomes a Problem with an exact message."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.ingest import Problem, Problems, read_articles

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


@pytest.fixture(autouse=True)
def _in_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)


def read(*names: str | Path, **kwargs) -> tuple[list, Problems]:
    problems = Problems()
    return list(read_articles(names, problems=problems, **kwargs)), problems


def test_empty_file() -> None:
    articles, problems = read("empty.txt")
    assert articles == []
    assert problems.first() == ["empty.txt: empty file; skipped"]
    assert list(problems) == [Problem("empty.txt", None, "empty file; skipped")]


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.md"
    path.write_text("\n   \n\t\n", encoding="utf-8")
    articles, problems = read(path)
    assert articles == []
    assert problems.first() == [f"{path}: empty file; skipped"]


def test_binary_file() -> None:
    articles, problems = read("binary.bin")
    assert articles == []
    assert problems.first() == ["binary.bin: binary file (contains NUL bytes); skipped"]


def test_control_characters_without_nul(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes([1, 2, 3, 4, 5, 6, 7, 65]) * 50)
    articles, problems = read(path)
    assert articles == []
    assert problems.first() == [
        f"{path}: binary file (350 control characters in the first 400 bytes); skipped"
    ]


def test_latin1_is_decoded_and_noted() -> None:
    (article,), problems = read("latin1.txt")
    assert article.title == "Mistral AI ouvre un bureau à Singapour"
    assert "où l'équipe commerciale" in article.text
    assert article.text.endswith(
        "Le président a précisé que les recrutements débuteront en février."
    )
    assert problems.count == 1
    assert problems.first() == ["latin1.txt: not valid UTF-8; decoded as cp1252"]


def test_utf16_with_bom_is_text_not_binary(tmp_path: Path) -> None:
    path = tmp_path / "wide.txt"
    path.write_bytes("Falcon AI acquired Perch Labs.".encode("utf-16"))
    (article,), problems = read(path)
    assert article.text == "Falcon AI acquired Perch Labs."
    assert problems.count == 0


def test_huge_file_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"Kiwi AI hired engineers. " * 80_000)  # 2.0 MB
    articles, problems = read(path, max_bytes=1_000_000)
    assert articles == []
    assert problems.first() == [
        f"{path}: 2.0 MB is over the size limit of 1.0 MB; skipped (raise max_bytes to read it)"
    ]
    (article,) = read_articles([path], max_bytes=3_000_000)
    assert article.id == "huge"


def test_huge_stdin_is_skipped() -> None:
    import io

    problems = Problems()
    stdin = io.BytesIO(b"Kiwi AI hired engineers. " * 1000)
    assert list(read_articles(["-"], problems=problems, max_bytes=10_000, stdin=stdin)) == []
    assert problems.first() == [
        "<stdin>: input is over the size limit of 10.0 kB; skipped (raise max_bytes to read it)"
    ]


def test_jsonl_records_are_streamed_regardless_of_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as f:
        for i in range(3000):
            f.write(f'{{"id": "r{i}", "text": "Record {i}: Lark AI shipped version {i}."}}\n')
    assert path.stat().st_size > 100_000
    problems = Problems()
    articles = read_articles([path], problems=problems, max_bytes=50_000)
    assert next(articles).id == "r0"
    assert sum(1 for _ in articles) == 2999
    assert problems.count == 0


def test_malformed_html_still_extracted() -> None:
    (article,), problems = read("malformed.html")
    assert problems.count == 0
    assert article.title == "Verdant Cloud signs a long-term power deal"
    assert article.text.startswith(
        "Verdant Cloud signs a long-term power deal\n\nVerdant Cloud, which rents out"
    )
    assert article.text.endswith("covers 300 megawatts of capacity for its data centres.")


def test_html_without_text(tmp_path: Path) -> None:
    path = tmp_path / "shell.html"
    path.write_text("<html><head><title>x</title></head><body><nav></nav></body></html>")
    articles, problems = read(path)
    assert articles == []
    assert problems.first() == [f"{path}: no article text found in the page; main story skipped"]


def test_broken_rss_keeps_recovered_entries() -> None:
    articles, problems = read("broken.rss")
    assert [(a.title, a.published) for a in articles] == [
        ("Nimbus Speech raises seed funding", "2025-02-03")
    ]
    assert problems.first() == [
        "broken.rss: malformed feed (<unknown>:9:88: not well-formed (invalid token)); "
        "read the 2 entries found",
        "broken.rss: entry 2 has no title and no text; skipped",
    ]


def test_hopeless_feed_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "garbage.rss"
    path.write_text("<rss><channel><<<>>>", encoding="utf-8")
    articles, problems = read(path)
    assert articles == []
    assert problems.count == 1
    assert problems.first()[0].startswith(f"{path}: malformed feed (")
    assert problems.first()[0].endswith("); no entries; skipped")


def test_bad_jsonl_line_is_skipped_and_reading_goes_on(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="kg.ingest"):
        articles, problems = read("bad.jsonl")
    assert [a.id for a in articles] == ["bad-1", "bad-2", "bad-4"]
    message = "bad.jsonl line 3: invalid JSON (Expecting ',' delimiter at column 89); line skipped"
    assert problems.first() == [message]
    assert [r.getMessage() for r in caplog.records] == [message]
    assert problems.items[0].line == 3


def test_missing_text_and_wrong_types() -> None:
    articles, problems = read("missing-text.jsonl")
    assert [(a.id, a.title, a.published) for a in articles] == [("mt-3", None, None)]
    assert problems.first(10) == [
        'missing-text.jsonl line 1: no "text" field; line skipped',
        'missing-text.jsonl line 2: "text" is a number, not a string; line skipped',
        'missing-text.jsonl line 3: "title" is an array, not a string; field ignored',
        "missing-text.jsonl line 3: unrecognised date 'someday'; published left empty",
        "missing-text.jsonl line 5: an array where an object is expected; line skipped",
        'missing-text.jsonl line 6: "text" is empty; line skipped',
    ]
    assert problems.first(2) == problems.first(10)[:2]
    assert problems.count == 6


def test_nonexistent_input_raises_before_reading_anything(tmp_path: Path) -> None:
    problems = Problems()
    with pytest.raises(InputError) as err:
        read_articles(["story.txt", "missing/nowhere.txt"], problems=problems)
    assert str(err.value) == "no such file or directory: missing/nowhere.txt"
    assert problems.count == 0


def test_glob_matching_nothing_raises() -> None:
    with pytest.raises(InputError) as err:
        read_articles(["*.nothing"])
    assert str(err.value) == "no such file or directory: *.nothing (the pattern matches no file)"


def test_one_bad_file_does_not_stop_the_others() -> None:
    articles, problems = read("empty.txt", "binary.bin", "story.txt", "bad.jsonl")
    assert [a.id for a in articles] == ["story", "bad-1", "bad-2", "bad-4"]
    assert problems.count == 3


def test_html_declared_charset_is_used_without_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    body = "<p>La société Mistral AI a levé des fonds auprès d'investisseurs européens.</p>"
    html = f'<html><head><meta charset="iso-8859-1"></head><body>{body}</body></html>'
    path.write_bytes(html.encode("latin-1"))
    (article,), problems = read(path)
    assert (
        article.text == "La société Mistral AI a levé des fonds auprès d'investisseurs européens."
    )
    assert problems.count == 0


def test_html_served_as_utf8_despite_declaring_latin1(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    body = "<p>La société Mistral AI a levé des fonds auprès d'investisseurs européens.</p>"
    html = f'<html><head><meta charset="iso-8859-1"></head><body>{body}</body></html>'
    path.write_bytes(html.encode("utf-8"))
    (article,), problems = read(path)
    assert (
        article.text == "La société Mistral AI a levé des fonds auprès d'investisseurs européens."
    )
    assert problems.count == 0


def test_jsonl_line_over_the_size_limit_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    long_text = "Vireo AI hired engineers. " * 4000  # 104 kB
    path.write_text(
        f'{{"id": "l1", "text": "{long_text}"}}\n{{"id": "l2", "text": "Vireo AI shipped."}}\n',
        encoding="utf-8",
    )
    articles, problems = read(path, max_bytes=100_000)
    assert [a.id for a in articles] == ["l2"]
    assert problems.first() == [
        f"{path} line 1: line of 104.0 kB is over the size limit of 100.0 kB; line skipped"
    ]


def test_csv_field_over_the_size_limit_is_skipped(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    long_text = "Vireo AI hired engineers. " * 6000  # 156 kB
    path.write_text(f'id,text\nc1,"{long_text}"\nc2,Vireo AI shipped.\n', encoding="utf-8")
    articles, problems = read(path, max_bytes=100_000)
    assert [a.id for a in articles] == ["c2"]
    assert problems.count == 1
    assert problems.first()[0].startswith(f"{path} line 2: malformed CSV (field larger than")
