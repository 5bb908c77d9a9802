"""RSS and Atom feeds: one Article per entry, read with feedparser.

Feeds in the wild are often not well-formed XML. feedparser still recovers the entries it
can (``bozo`` is set), so a malformed feed with entries is read with a problem noted, and
only a feed with no entries at all is skipped.
"""

from __future__ import annotations

import hashlib
import logging
import re
from collections.abc import Iterator
from typing import Any

import feedparser

from kg.ingest.base import Format, ReadContext, Source, formats, read_whole
from kg.ingest.dates import normalise_date
from kg.ingest.htmltext import html_to_text
from kg.model import Article

__all__ = ["read_feed", "entry_id"]

log = logging.getLogger("kg.ingest")


def entry_id(key: str) -> str:
    """A short id that stays the same for an entry across fetches of its feed.

    Built from the entry's own id (guid) or link, not from the feed's file name, so the
    same story in two snapshots of a feed gets the same id and is not read twice.
    """
    return "feed-" + hashlib.sha256(key.strip().encode("utf-8")).hexdigest()[:12]


def _content(entry: Any) -> str:
    """Full content (content:encoded, atom:content) when present, else the summary."""
    best = ""
    for item in entry.get("content") or []:
        value = item.get("value") or ""
        if len(value) > len(best):
            best = value
    if not best.strip():
        best = entry.get("summary") or entry.get("description") or ""
    return html_to_text(best)


def _published(entry: Any) -> str | None:
    for key in ("published", "updated", "created"):
        if date := normalise_date(entry.get(key)):
            return date
        if date := normalise_date(entry.get(f"{key}_parsed")):
            return date
    return None


def _bozo_reason(parsed: Any) -> str:
    exc = parsed.get("bozo_exception")
    text = str(exc) if exc is not None else "not well-formed"
    return re.sub(r"\s+", " ", text).strip() or type(exc).__name__


def read_feed(source: Source, ctx: ReadContext) -> Iterator[Article]:
    """One Article per entry: title, text (headline, blank line, content), entry link as
    url, published date, author."""
    data = read_whole(source, ctx)
    if data is None:
        return
    parsed = feedparser.parse(data)
    entries = parsed.get("entries") or []
    if parsed.get("bozo"):
        reason = _bozo_reason(parsed)
        if not entries:
            ctx.problems.add(source.name, f"malformed feed ({reason}); no entries; skipped")
            return
        ctx.problems.add(
            source.name,
            f"malformed feed ({reason}); read the {len(entries)} entries found",
        )
    elif not entries:
        ctx.problems.add(source.name, "feed has no entries; skipped")
        return
    for number, entry in enumerate(entries, start=1):
        title = html_to_text(entry.get("title") or "") or None
        body = _content(entry)
        link = entry.get("link") or None
        key = entry.get("id") or link or f"{title}|{entry.get('published', '')}|{body[:200]}"
        if not body and not title:
            ctx.problems.add(source.name, f"entry {number} has no title and no text; skipped")
            continue
        text = body
        if title and not body.startswith(title):
            text = f"{title}\n\n{body}" if body else title
        yield Article(
            id=entry_id(key),
            text=text,
            title=title,
            published=_published(entry),
            url=link,
            source=source.name,
            author=entry.get("author") or None,
        )


def _sniff_feed(head: str) -> bool:
    start = head[:2048]
    if start.startswith("<?xml"):
        return bool(re.search(r"<(?:rss|feed|rdf:RDF)\b", start))
    return bool(re.match(r"<(?:rss|feed|rdf:RDF)\b", start))


formats.register(
    "feed", Format("feed", (".rss", ".atom", ".xml", ".rdf"), read_feed, _sniff_feed, 10)
)
