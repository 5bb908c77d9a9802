"""Record-per-line formats: JSON Lines and CSV, read as streams.

A corpus export can be gigabytes, so both are read one record at a time, never whole; the
size limit applies to each record, not to the file. A broken record is a problem with its
line number and the reader goes on with the next one.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from typing import Any

import charset_normalizer

from kg.ingest.base import (
    Format,
    ReadContext,
    Source,
    detect_stream_encoding,
    formats,
    human_size,
)
from kg.ingest.dates import normalise_date
from kg.model import Article

__all__ = ["read_jsonl", "read_csv", "TEXT_COLUMNS"]

#: Column names taken as the article text when no ``text_column`` is given, in this order.
TEXT_COLUMNS = ("text", "body", "content", "article")
_OPTIONAL = ("title", "published", "url", "author")
_JSON_TYPES = {
    dict: "an object",
    list: "an array",
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
}


def _json_type(value: Any) -> str:
    """The JSON name of a value's type, with its article (``an array``, ``a number``)."""
    return _JSON_TYPES.get(type(value), f"a {type(value).__name__}")


def _record_article(
    record: dict[str, Any], source: Source, ctx: ReadContext, line: int, default_id: str
) -> Article | None:
    """An Article from one JSON object or CSV row; None (problem recorded) if unusable."""
    text = record.get("text")
    if text is None:
        ctx.problems.add(source.name, 'no "text" field; line skipped', line=line)
        return None
    if not isinstance(text, str):
        ctx.problems.add(
            source.name, f'"text" is {_json_type(text)}, not a string; line skipped', line=line
        )
        return None
    if not text.strip():
        ctx.problems.add(source.name, '"text" is empty; line skipped', line=line)
        return None
    raw_id = record.get("id")
    if isinstance(raw_id, bool) or not isinstance(raw_id, str | int | type(None)):
        ctx.problems.add(
            source.name,
            f'"id" is {_json_type(raw_id)}, not a string; using {default_id!r}',
            line=line,
        )
        raw_id = None
    article_id = str(raw_id).strip() if raw_id is not None else ""
    fields: dict[str, str | None] = {}
    for key in _OPTIONAL:
        value = record.get(key)
        if value is None or value == "":
            fields[key] = None
        elif not isinstance(value, str):
            ctx.problems.add(
                source.name,
                f'"{key}" is {_json_type(value)}, not a string; field ignored',
                line=line,
            )
            fields[key] = None
        else:
            fields[key] = value.strip() or None
    published = None
    if fields["published"] is not None:
        published = normalise_date(fields["published"])
        if published is None:
            ctx.problems.add(
                source.name,
                f"unrecognised date {fields['published']!r}; published left empty",
                line=line,
            )
    return Article(
        id=article_id or default_id,
        text=text,
        title=fields["title"],
        published=published,
        url=fields["url"],
        source=source.name,
        author=fields["author"],
    )


_JSON_ERROR = re.compile(r"^(.*): line \d+ column (\d+) \(char \d+\)$")


def _json_error(e: json.JSONDecodeError) -> str:
    """``Expecting value: line 1 column 1 (char 0)`` -> ``Expecting value at column 1``."""
    m = _JSON_ERROR.match(str(e))
    return f"{m.group(1)} at column {m.group(2)}" if m else str(e)


def read_jsonl(source: Source, ctx: ReadContext) -> Iterator[Article]:
    """One Article per JSON object line; other keys than id/text/title/published/url/author
    are ignored. Blank lines are skipped silently."""
    encoding = detect_stream_encoding(source, ctx)
    with source.open() as f:
        for number, line in enumerate(_decoded_lines(f, encoding, source, ctx), start=1):
            line = line.strip()
            if number == 1:
                line = line.lstrip("\ufeff")
            if not line:
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                ctx.problems.add(
                    source.name, f"invalid JSON ({_json_error(e)}); line skipped", line=number
                )
                continue
            if not isinstance(record, dict):
                ctx.problems.add(
                    source.name,
                    f"{_json_type(record)} where an object is expected; line skipped",
                    line=number,
                )
                continue
            article = _record_article(record, source, ctx, number, f"{source.stem}-{number}")
            if article is not None:
                yield article


def _decoded_lines(f: Any, encoding: str, source: Source, ctx: ReadContext) -> Iterator[str]:
    """Lines of a binary stream as text, one at a time.

    A line that is not valid in the file's encoding (a Latin-1 record pasted into a UTF-8
    export) is decoded on its own with a guessed encoding and noted as a problem.
    """
    if encoding.startswith(("utf-16", "utf-32")):  # newlines are not single bytes
        yield from io.TextIOWrapper(_Readable(f), encoding=encoding, errors="replace")
        return
    for number, raw in enumerate(f, start=1):
        if len(raw) > ctx.max_bytes:
            ctx.problems.add(
                source.name,
                f"line of {human_size(len(raw))} is over the size limit of "
                f"{human_size(ctx.max_bytes)}; line skipped",
                line=number,
            )
            yield ""
            continue
        try:
            yield raw.decode(encoding)
        except UnicodeDecodeError:
            best = charset_normalizer.from_bytes(raw).best()
            guess = best.encoding if best is not None else "latin-1"
            ctx.problems.add(source.name, f"not valid {encoding}; decoded as {guess}", line=number)
            yield raw.decode(guess, errors="replace")


def _pick_column(names: list[str], wanted: str | None, candidates: tuple[str, ...]) -> str | None:
    folded = {n.strip().casefold(): n for n in names}
    if wanted is not None:
        return folded.get(wanted.strip().casefold())
    for c in candidates:
        if c in folded:
            return folded[c]
    return None


def read_csv(source: Source, ctx: ReadContext) -> Iterator[Article]:
    """One Article per row. The text column is ``ctx.text_column`` or the first of
    :data:`TEXT_COLUMNS` present (case-insensitive); id, title, published (or date), url
    (or link) and author columns are used when present."""
    encoding = detect_stream_encoding(source, ctx)
    sample = source.head.decode(encoding, errors="ignore")
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            sample.split("\n", 1)[0], delimiters=",;\t|"
        )
    except csv.Error:
        dialect = csv.excel
    previous = csv.field_size_limit(min(sys.maxsize, max(ctx.max_bytes, 131072)))
    try:
        yield from _csv_articles(source, ctx, encoding, dialect)
    finally:
        csv.field_size_limit(previous)  # a process-wide setting: put it back


def _csv_articles(
    source: Source, ctx: ReadContext, encoding: str, dialect: type[csv.Dialect] | csv.Dialect
) -> Iterator[Article]:
    with source.open() as raw:
        stream = io.TextIOWrapper(_Readable(raw), encoding=encoding, errors="replace", newline="")
        reader = csv.reader(stream, dialect)
        try:
            header = next(reader)
        except StopIteration:
            ctx.problems.add(source.name, "no header row; skipped")
            return
        except csv.Error as e:
            ctx.problems.add(source.name, f"not readable as CSV ({e}); skipped")
            return
        header = [h.lstrip("\ufeff").strip() for h in header]
        text_col = _pick_column(header, ctx.text_column, TEXT_COLUMNS)
        if text_col is None:
            wanted = (
                f"no column {ctx.text_column!r}"
                if ctx.text_column
                else "no text column (text, body, content or article)"
            )
            ctx.problems.add(
                source.name,
                f"{wanted} among {', '.join(header)}; skipped (pass text_column to choose one)",
            )
            return
        columns = {
            "text": text_col,
            "id": _pick_column(header, None, ("id",)),
            "title": _pick_column(header, None, ("title", "headline")),
            "published": _pick_column(header, None, ("published", "date", "pubdate")),
            "url": _pick_column(header, None, ("url", "link")),
            "author": _pick_column(header, None, ("author",)),
        }
        index = {name: i for i, name in enumerate(header)}
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                ctx.problems.add(
                    source.name, f"malformed CSV ({e}); row skipped", line=reader.line_num
                )
                continue
            if not any(cell.strip() for cell in row):
                continue
            line = reader.line_num
            if len(row) != len(header):
                ctx.problems.add(
                    source.name,
                    f"{len(row)} fields where the header has {len(header)}; row skipped",
                    line=line,
                )
                continue
            record = {key: row[index[col]] for key, col in columns.items() if col is not None}
            article = _record_article(record, source, ctx, line, f"{source.stem}-{line}")
            if article is not None:
                yield article


class _Readable(io.RawIOBase):
    """Adapts any object with ``read(n)`` to what :class:`io.TextIOWrapper` needs."""

    def __init__(self, raw: Any) -> None:
        self._raw = raw

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _sniff_jsonl(head: str) -> bool:
    first = head.split("\n", 1)[0].strip()
    return first.startswith("{") and (first.endswith("}") or "\n" not in head)


def _sniff_csv(head: str) -> bool:
    first = head.split("\n", 1)[0].strip().lstrip("\ufeff")
    for delim in (",", ";", "\t", "|"):
        cells = [c.strip().strip('"').casefold() for c in first.split(delim)]
        if len(cells) >= 2 and any(c in TEXT_COLUMNS for c in cells):
            return True
    return False


formats.register(
    "jsonl", Format("jsonl", (".jsonl", ".ndjson"), read_jsonl, _sniff_jsonl, 20, streaming=True)
)
formats.register("csv", Format("csv", (".csv", ".tsv"), read_csv, _sniff_csv, 40, streaming=True))
