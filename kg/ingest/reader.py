"""The ingest entry point: inputs (files, directories, globs, ``-``) to a stream of Articles.

Inputs are checked before anything is read, so a mistyped path fails at once instead of
after an hour of extraction. Then every input is opened in turn, checked (emptiness,
binary content), given a format (by extension, else by sniffing its head) and read by that
format's reader. Articles are yielded as they are read; nothing holds the corpus in memory
except one short hash per article, used to skip the same text met twice.
"""

from __future__ import annotations

import glob
import hashlib
import logging
import os
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from kg.errors import InputError
from kg.ingest.base import (
    HEAD_BYTES,
    Format,
    ReadContext,
    Source,
    binary_reason,
    formats,
    size_message,
    stem_of,
)
from kg.ingest.problems import Problems
from kg.model import Article

__all__ = ["read_articles", "expand_inputs", "detect_format", "IngestStats", "STDIN"]

log = logging.getLogger("kg.ingest")

#: The input name that means standard input.
STDIN = "-"
_GLOB_CHARS = frozenset("*?[")


def _is_hidden(name: str) -> bool:
    return name.startswith(".")


def _known_extension(path: Path) -> bool:
    suffix = path.suffix.lower()
    return any(suffix in formats.get(name).extensions for name in formats.names())


def _walk(directory: Path) -> list[Path]:
    """Files under ``directory`` in a fixed order (path components compared one by one),
    skipping hidden files and directories and files no format claims by extension."""
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(directory):
        dirnames[:] = sorted(d for d in dirnames if not _is_hidden(d))
        for name in filenames:
            path = Path(dirpath) / name
            if _is_hidden(name):
                continue
            if not _known_extension(path):
                log.info("%s: no ingest format for this extension; skipped", path)
                continue
            found.append(path)
    return sorted(found, key=lambda p: p.relative_to(directory).parts)


def expand_inputs(inputs: Iterable[str | os.PathLike[str]]) -> list[str | Path]:
    """Files to read, in order: directories walked, globs expanded, ``-`` kept as is.

    Raises :class:`InputError` for a path that does not exist or a glob that matches
    nothing, before any input is read.
    """
    out: list[str | Path] = []
    for item in inputs:
        text = os.fspath(item)
        if text == STDIN:
            out.append(STDIN)
            continue
        path = Path(text)
        if path.is_dir():
            out.extend(_walk(path))
        elif path.exists():
            out.append(path)
        elif _GLOB_CHARS & set(text):
            matches = sorted(glob.glob(text, recursive=True), key=lambda m: Path(m).parts)
            files: list[str | Path] = []
            for m in matches:
                p = Path(m)
                if p.is_dir():
                    files.extend(_walk(p))
                elif p.is_file() and not _is_hidden(p.name):
                    files.append(p)
            if not files:
                raise InputError(f"no such file or directory: {text} (the pattern matches no file)")
            out.extend(files)
        else:
            raise InputError(f"no such file or directory: {text}")
    return out


def detect_format(source: Source) -> Format:
    """The format of an input: by extension when one claims it (``.xml`` only if it sniffs
    as a feed), otherwise by sniffing the decoded head; plain text when nothing else fits."""
    registered = [formats.get(name) for name in formats.names()]
    ext = source.extension
    if ext:
        for fmt in registered:
            if ext in fmt.extensions:
                return fmt
    head = source.head.decode("utf-8", errors="replace").lstrip("\ufeff").strip()
    for fmt in sorted(registered, key=lambda f: (f.priority, f.name)):
        if fmt.sniff is not None and fmt.sniff(head):
            return fmt
    return formats.get("text")


def _source(item: str | Path, stdin: IO[Any] | None) -> Source:
    if item == STDIN:
        stream = stdin if stdin is not None else sys.stdin
        stream = getattr(stream, "buffer", stream)
        return Source(name="<stdin>", stem="stdin", stream=_BinaryAdapter(stream))
    path = Path(item)
    if not path.is_file():  # a pipe or device: readable once, size unknown
        return Source(name=str(item), stem=stem_of(path), path=path, stream=path.open("rb"))
    return Source(name=str(item), stem=stem_of(path), path=path, size=path.stat().st_size)


class _BinaryAdapter:
    """Standard input as bytes, whether it was given as a binary or a text stream."""

    def __init__(self, stream: IO[Any]) -> None:
        self._stream = stream

    def _bytes(self, data: Any) -> bytes:
        return data.encode("utf-8") if isinstance(data, str) else data

    def read(self, n: int = -1) -> bytes:
        return self._bytes(self._stream.read(n))

    def readline(self) -> bytes:
        return self._bytes(self._stream.readline())


def _normalised_hash(text: str) -> str:
    """Hash of the text as a reader sees it: Unicode-normalised, whitespace collapsed, so
    the same story saved twice (CRLF vs LF, re-wrapped lines) counts as one."""
    canonical = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _read_source(source: Source, ctx: ReadContext) -> Iterator[Article]:
    try:
        if source.stream is not None:
            source.head = source.stream.read(HEAD_BYTES)
        else:
            assert source.path is not None
            with source.path.open("rb") as f:
                source.head = f.read(HEAD_BYTES)
    except OSError as e:
        ctx.problems.add(source.name, f"cannot read: {e.strerror or e}; skipped")
        return
    if not source.head.strip():
        if source.size is None or source.size <= len(source.head):
            ctx.problems.add(source.name, "empty file; skipped")
            return
    if reason := binary_reason(source.head):
        ctx.problems.add(source.name, f"{reason}; skipped")
        return
    fmt = detect_format(source)
    if not fmt.streaming and source.size is not None and source.size > ctx.max_bytes:
        ctx.problems.add(source.name, size_message(source.size, ctx.max_bytes))
        return
    log.debug("%s: reading as %s", source.name, fmt.name)
    try:
        yield from fmt.read(source, ctx)
    except OSError as e:
        ctx.problems.add(source.name, f"cannot read: {e.strerror or e}; rest of input skipped")


@dataclass
class IngestStats:
    """Counts of one run, for the end-of-run summary (filled in as articles are read)."""

    inputs: int = 0
    articles: int = 0
    related: int = 0
    duplicates: int = 0


def read_articles(
    inputs: Iterable[str | os.PathLike[str]] | str | os.PathLike[str],
    *,
    problems: Problems | None = None,
    max_bytes: int = 50_000_000,
    text_column: str | None = None,
    stdin: IO[Any] | None = None,
    stats: IngestStats | None = None,
) -> Iterator[Article]:
    """Articles from files, directories (recursively, sorted), glob patterns and ``-``.

    Nonexistent inputs raise :class:`kg.errors.InputError` here, before anything is read.
    Everything else that is wrong with an input (empty, binary, too large, undecodable,
    malformed records) is recorded in ``problems`` and logged, and reading goes on. The same
    text met twice in one run is yielded once; an id already used by another article gets
    a ``-2``, ``-3``... suffix (recorded as a problem). Pass an :class:`IngestStats` to
    get the counts of inputs, articles, teasers and duplicates.
    """
    if isinstance(inputs, str | os.PathLike):  # one path, not an iterable of characters
        inputs = [inputs]
    items = expand_inputs(inputs)
    ctx = ReadContext(
        problems=problems if problems is not None else Problems(),
        max_bytes=max_bytes,
        text_column=text_column,
    )
    return _generate(items, ctx, stdin, stats if stats is not None else IngestStats())


def _generate(
    items: list[str | Path], ctx: ReadContext, stdin: IO[Any] | None, stats: IngestStats
) -> Iterator[Article]:
    seen_text: dict[str, str] = {}
    seen_ids: set[str] = set()
    for item in items:
        stats.inputs += 1
        try:
            source = _source(item, stdin)
        except OSError as e:
            ctx.problems.add(str(item), f"cannot read: {e.strerror or e}; skipped")
            continue
        try:
            yield from _unique(_read_source(source, ctx), source, ctx, stats, seen_text, seen_ids)
        finally:
            if source.path is not None and source.stream is not None:
                source.stream.close()  # a pipe we opened (stdin belongs to the caller)


def _unique(
    articles: Iterator[Article],
    source: Source,
    ctx: ReadContext,
    stats: IngestStats,
    seen_text: dict[str, str],
    seen_ids: set[str],
) -> Iterator[Article]:
    """Drop articles whose text was already read; give colliding ids a numeric suffix."""
    for article in articles:
        key = _normalised_hash(article.text)
        if key in seen_text:
            log.info(
                "%s: article %r has the same text as article %r; skipped as a duplicate",
                source.name,
                article.id,
                seen_text[key],
            )
            stats.duplicates += 1
            continue
        if article.id in seen_ids:
            n = 2
            while f"{article.id}-{n}" in seen_ids:
                n += 1
            new_id = f"{article.id}-{n}"
            ctx.problems.add(
                source.name, f"article id {article.id!r} is already used; renamed {new_id!r}"
            )
            article = replace(article, id=new_id)
        seen_text[key] = article.id
        seen_ids.add(article.id)
        stats.articles += 1
        stats.related += article.section == "related"
        yield article
