"""Plain-text and Markdown articles, each optionally opened by a front-matter block.

Front matter is the ``---`` block static-site generators use::

    ---
    title: Mistral AI opens a Singapore office
    published: 2024-12-30
    url: https://example.com/mistral-singapore
    author: Jane Doe
    ---

Only flat ``key: value`` lines are needed, so they are parsed here rather than pulling in a
YAML library. As for HTML pages and feed entries, ``Article.text`` starts with the headline
(a front-matter title is put in front of the body when the body does not already start
with it): headlines often state the event most plainly. Markdown is turned into plain
text (markers, link targets and images removed) because extraction reports offsets into
the text it reads.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from kg.ingest.base import Format, ReadContext, Source, decode_bytes, formats, read_whole
from kg.ingest.dates import normalise_date
from kg.ingest.problems import Problems
from kg.model import Article

__all__ = ["FrontMatter", "split_front_matter", "markdown_to_text", "read_text", "read_markdown"]

_KEYS = {
    "title": "title",
    "headline": "title",
    "published": "published",
    "date": "published",
    "pubdate": "published",
    "published_at": "published",
    "url": "url",
    "link": "url",
    "canonical": "url",
    "author": "author",
    "byline": "author",
}
_FENCE = re.compile(r"^---[ \t]*$")
_FENCE_END = re.compile(r"^(?:---|\.\.\.)[ \t]*$")
_KEY_VALUE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:[ \t]*(.*)$")


@dataclass
class FrontMatter:
    """The recognised fields of a front-matter block; ``lines`` is how many lines it took."""

    fields: dict[str, str] = field(default_factory=dict)
    lines: int = 0


def split_front_matter(text: str, source_name: str, problems: Problems) -> tuple[FrontMatter, str]:
    """Split a leading front-matter block off ``text``; unknown keys are ignored.

    A block that is never closed is not front matter: the whole text is returned unchanged
    and a problem recorded, since the author probably forgot the closing ``---``.
    """
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        return FrontMatter(), text
    end = next((i for i in range(1, min(len(lines), 200)) if _FENCE_END.match(lines[i])), None)
    if end is None:
        problems.add(source_name, "front matter opened by '---' is never closed; read as text")
        return FrontMatter(), text
    fm = FrontMatter(lines=end + 1)
    for number, line in enumerate(lines[1:end], start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        m = _KEY_VALUE.match(line)
        if m is None:
            problems.add(source_name, "front-matter line is not 'key: value'; ignored", line=number)
            continue
        key = _KEYS.get(m.group(1).lower())
        value = _unquote(m.group(2).strip())
        if key and value and key not in fm.fields:
            fm.fields[key] = value
    return fm, "\n".join(lines[end + 1 :])


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value


_MD_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^```.*$|^~~~.*$", re.M), ""),  # code fences (keep the code's text)
    (re.compile(r"<!--.*?-->", re.S), ""),  # HTML comments
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # inline links -> their text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # reference links
    (re.compile(r"^\s*\[[^\]]+\]:\s+\S+.*$", re.M), ""),  # link definitions
    (re.compile(r"</?[A-Za-z][^>\n]*>"), ""),  # inline HTML tags
    (re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)[ \t]*#*[ \t]*$", re.M), r"\1"),  # ATX headings
    (re.compile(r"^ {0,3}(?:[-*_][ \t]*){3,}$", re.M), ""),  # horizontal rules
    (re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$", re.M), ""),  # setext underlines
    (re.compile(r"^ {0,3}>[ \t]?", re.M), ""),  # block quotes
    (re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+", re.M), ""),  # list markers
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])([*_])(?=\S)(.+?)(?<=\S)\1(?![\w*])"), r"\2"),  # italics
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
    (re.compile(r"\n{3,}"), "\n\n"),
]
_MD_H1 = re.compile(r"^ {0,3}#[ \t]+(.+?)[ \t]*#*[ \t]*$", re.M)


def markdown_to_text(markdown: str) -> str:
    """Plain text of Markdown: what a reader sees, without markup."""
    text = markdown
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip()


def _first_line_title(text: str) -> str | None:
    """A first line set apart by a blank line, short and without a final period, is the
    headline (the layout of most saved news stories)."""
    head, sep, _ = text.partition("\n\n")
    head = head.strip()
    if sep and head and "\n" not in head and len(head) <= 200 and not head.endswith("."):
        return head
    return None


def _article(
    source: Source, ctx: ReadContext, fm: FrontMatter, text: str, title: str | None
) -> Iterator[Article]:
    text = text.strip()
    if not text:
        ctx.problems.add(source.name, "no text after the front matter; skipped")
        return
    published = None
    if raw_date := fm.fields.get("published"):
        published = normalise_date(raw_date)
        if published is None:
            ctx.problems.add(
                source.name,
                f"unrecognised date {raw_date!r} in front matter; published left empty",
            )
    title = fm.fields.get("title") or title
    if title and not text.startswith(title):
        text = f"{title}\n\n{text}"  # documents start with their headline, as pages do
    yield Article(
        id=source.stem,
        text=text,
        title=title,
        published=published,
        url=fm.fields.get("url"),
        source=source.name,
        author=fm.fields.get("author"),
    )


def _decoded(source: Source, ctx: ReadContext) -> str | None:
    data = read_whole(source, ctx)
    if data is None:
        return None
    text = decode_bytes(data, source, ctx)
    return None if text is None else text.replace("\r\n", "\n").replace("\r", "\n")


def read_text(source: Source, ctx: ReadContext) -> Iterator[Article]:
    """One Article from a plain-text file; the title is the front matter's or the first
    line when it looks like a headline."""
    raw = _decoded(source, ctx)
    if raw is None:
        return
    fm, body = split_front_matter(raw, source.name, ctx.problems)
    body = body.strip()
    yield from _article(source, ctx, fm, body, _first_line_title(body))


def read_markdown(source: Source, ctx: ReadContext) -> Iterator[Article]:
    """One Article from a Markdown file; the title is the front matter's or the first
    level-1 heading."""
    raw = _decoded(source, ctx)
    if raw is None:
        return
    fm, body = split_front_matter(raw, source.name, ctx.problems)
    h1 = _MD_H1.search(body)
    title = markdown_to_text(h1.group(1)) if h1 else None
    yield from _article(source, ctx, fm, markdown_to_text(body), title)


def _sniff_markdown(head: str) -> bool:
    return bool(re.search(r"^#{1,6} \S|^\[[^\]]+\]\(\S+\)|\]\(https?://", head, re.M))


formats.register("text", Format("text", (".txt", ".text"), read_text, lambda head: True, 99))
formats.register(
    "markdown", Format("markdown", (".md", ".markdown"), read_markdown, _sniff_markdown, 80)
)
