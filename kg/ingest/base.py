"""What every format reader shares: the input it reads, the run's settings, the registry.

A format is a :class:`Format` registered in :data:`formats` under its name. It declares the
file extensions it owns and a ``sniff`` test on the first few kilobytes (for standard input,
unknown extensions and ``.xml``). Its ``read`` function turns one :class:`Source` into
Articles and reports anything wrong to ``ctx.problems`` instead of raising, so one bad file
never stops a run.
"""

from __future__ import annotations

import codecs
import logging
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import charset_normalizer

from kg.ingest.problems import Problems
from kg.model import Article
from kg.registry import Registry

__all__ = [
    "Format",
    "ReadContext",
    "Source",
    "formats",
    "HEAD_BYTES",
    "binary_reason",
    "decode_bytes",
    "detect_stream_encoding",
    "read_whole",
    "human_size",
    "size_message",
    "stem_of",
]

log = logging.getLogger("kg.ingest")

#: How much of an input is looked at to detect binary content and sniff its format.
HEAD_BYTES = 8192

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass
class Source:
    """One input: a regular file (``path`` set), or a stream (``stream`` set): standard
    input, or a named pipe such as bash's ``<(command)`` (then ``path`` is set too).

    ``name`` is what messages show (the path as the user gave it, or ``<stdin>``); ``stem``
    is the default article id. ``head`` holds the first :data:`HEAD_BYTES` bytes once read.
    """

    name: str
    stem: str
    path: Path | None = None
    stream: BinaryIO | None = None
    size: int | None = None
    head: bytes = b""

    @property
    def extension(self) -> str:
        return self.path.suffix.lower() if self.path is not None else ""

    def open(self) -> BinaryIO:
        """A binary stream positioned at the start of the input. A stream (stdin, a pipe)
        can be read only once, so its already-read ``head`` is put back in front of it."""
        if self.stream is not None:
            return _Prefixed(self.head, self.stream)  # type: ignore[return-value]
        assert self.path is not None
        return self.path.open("rb")


class _Prefixed:
    """A read-only binary stream: ``prefix`` bytes, then the rest of ``stream``.

    Standard input cannot seek back after sniffing, so the sniffed head is replayed.
    """

    def __init__(self, prefix: bytes, stream: BinaryIO) -> None:
        self._prefix = prefix
        self._stream = stream

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            out, self._prefix = self._prefix + self._stream.read(), b""
            return out
        if self._prefix:
            out, self._prefix = self._prefix[:n], self._prefix[n:]
            if len(out) < n:
                out += self._stream.read(n - len(out))
            return out
        return self._stream.read(n)

    def readline(self, limit: int = -1) -> bytes:
        if self._prefix:
            i = self._prefix.find(b"\n")
            if i >= 0:
                out, self._prefix = self._prefix[: i + 1], self._prefix[i + 1 :]
                return out
            out, self._prefix = self._prefix, b""
            return out + self._stream.readline()
        return self._stream.readline()

    def __iter__(self) -> Iterator[bytes]:
        while line := self.readline():
            yield line

    def close(self) -> None:  # stdin belongs to the caller
        pass

    def __enter__(self) -> _Prefixed:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class ReadContext:
    """Settings of one run, and where its problems go."""

    problems: Problems = field(default_factory=Problems)
    max_bytes: int = 50_000_000
    text_column: str | None = None


Reader = Callable[[Source, ReadContext], Iterator[Article]]


@dataclass(frozen=True)
class Format:
    """A named input format: the extensions it owns, a content sniffer, and a reader.

    ``sniff`` gets the decoded first kilobytes with surrounding whitespace stripped; formats
    are sniffed in ascending ``priority`` (specific formats such as feeds before HTML before
    plain text, which accepts anything). A ``streaming`` format reads one record at a time,
    so the file size limit does not apply to it (its readers limit each record instead).
    """

    name: str
    extensions: tuple[str, ...]
    read: Reader
    sniff: Callable[[str], bool] | None = None
    priority: int = 50
    streaming: bool = False


#: The ingest formats by name; built-ins register on import of :mod:`kg.ingest`.
formats: Registry[Format] = Registry("formats")


def binary_reason(head: bytes) -> str | None:
    """Why ``head`` looks like binary data, or None when it looks like text."""
    if not head or any(head.startswith(bom) for bom, _ in _BOMS):
        return None
    if b"\x00" in head:
        return "binary file (contains NUL bytes)"
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27) or b == 127)
    if controls / len(head) > 0.1:
        return f"binary file ({controls} control characters in the first {len(head)} bytes)"
    return None


def decode_bytes(
    data: bytes, source: Source, ctx: ReadContext, declared: str | None = None
) -> str | None:
    """Decode a whole document: BOM, then UTF-8, then the declared charset, then a guess.

    UTF-8 goes before the declared charset because pages often declare ``iso-8859-1`` while
    serving UTF-8, and non-ASCII text that is not UTF-8 practically never decodes as UTF-8.
    A guessed encoding is recorded as a problem (the text is still read) because it may be
    wrong; None means no encoding fits and the caller should skip the input.
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            log.info("%s: declared charset %r does not fit; detecting", source.name, declared)
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        ctx.problems.add(source.name, "cannot detect the text encoding; skipped")
        return None
    ctx.problems.add(source.name, f"not valid UTF-8; decoded as {best.encoding}")
    return str(best)


def detect_stream_encoding(source: Source, ctx: ReadContext) -> str:
    """The encoding to read a line-oriented input with, judged from its head.

    The head may end inside a multi-byte character, so UTF-8 is tested incrementally.
    """
    head = source.head
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(head).best()
    encoding = best.encoding if best is not None else "latin-1"
    ctx.problems.add(source.name, f"not valid UTF-8; decoded as {encoding}")
    return encoding


def read_whole(source: Source, ctx: ReadContext) -> bytes | None:
    """All of a document's bytes, or None (problem recorded) when over ``ctx.max_bytes``.

    Files were already checked by size; standard input is checked here while reading.
    """
    with source.open() as f:
        data = f.read(ctx.max_bytes + 1)
    if len(data) > ctx.max_bytes:
        ctx.problems.add(source.name, size_message(None, ctx.max_bytes))
        return None
    return data


def human_size(n: int) -> str:
    """``52_000_000`` -> ``52.0 MB``; ``10_000`` -> ``10.0 kB``; ``512`` -> ``512 bytes``."""
    if n >= 1_000_000:
        return f"{n / 1e6:.1f} MB"
    if n >= 1_000:
        return f"{n / 1e3:.1f} kB"
    return f"{n} bytes"


def size_message(size: int | None, limit: int) -> str:
    """The one-line reason an input over the size limit is skipped."""
    what = human_size(size) if size is not None else "input"
    return (
        f"{what} is over the size limit of {human_size(limit)}; skipped "
        "(raise max_bytes to read it)"
    )


def stem_of(path: Path) -> str:
    """A file's stem for use as an article id (``a/b/story.en.html`` -> ``story.en``)."""
    name = os.path.basename(str(path))
    stem, _ = os.path.splitext(name)
    return stem or name
