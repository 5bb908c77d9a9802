"""HTML news pages: the main story, its metadata, and its teasers as separate Articles.

A saved news page carries more than its story: navigation, footers, and blocks of
"related stories" whose headlines and summaries report *other* events. Reading those as part
of the story would attach their facts to the wrong article, and dropping them would lose
facts, so each teaser becomes its own Article (``section="related"``, id
``<page id>#related-N``, url the teaser's link, published the teaser's own ``<time>`` or
else the page's date, since "last month" in a teaser is relative to the page it is on).
The main text comes from trafilatura run on the page with those blocks cut out; title,
date, author and URL come from the page's own metadata (JSON-LD, Open Graph and article
meta tags, ``<link rel=canonical>``, ``<time>``) before trafilatura's guesses.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import lxml.html
import trafilatura
from lxml import etree

from kg.ingest.base import Format, ReadContext, Source, decode_bytes, formats, read_whole
from kg.ingest.dates import normalise_date
from kg.ingest.htmltext import element_text
from kg.model import Article

__all__ = ["read_html", "PageMeta", "page_metadata", "related_blocks"]

log = logging.getLogger("kg.ingest")

_RELATED = re.compile(
    r"related|more[-_ ]?(?:stories|news|from|on|to[-_ ]?read)|recommend|teaser|read[-_ ]?more|"
    r"also[-_ ]?read|you[-_ ]?may[-_ ]?(?:also[-_ ]?)?like|further[-_ ]?reading|most[-_ ]?read|"
    r"recirc|outbrain|taboola",
    re.I,
)
_RELATED_HEADING = re.compile(
    r"^\W*(?:related\b|more (?:stories|news|from|on|to read)\b|recommended\b|read more\b|"
    r"also read\b|you may (?:also )?like\b|further reading\b|most read\b|see also\b)",
    re.I,
)
_ITEM_CLASS = re.compile(r"teaser|card|story|item|post|entry", re.I)
_NOISE_LINE = re.compile(r"^\W*(?:read more|continue reading|more)\W*$", re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([-\w.:]+)""", re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_NEVER_BLOCK = frozenset({"html", "head", "body", "main"})
_MIN_TEASER_CHARS = 20


@dataclass
class PageMeta:
    """What the page says about itself; any field may be missing."""

    title: str | None = None
    published: str | None = None
    url: str | None = None
    author: str | None = None


def _attr_tokens(el: Any) -> str:
    return f"{el.get('class', '')} {el.get('id', '')}"


def _text_len(el: Any) -> int:
    return len(" ".join(el.text_content().split()))


def _links(el: Any) -> list[Any]:
    return [a for a in el.iter("a") if (a.get("href") or "").strip()[:1] not in ("", "#")]


def related_blocks(root: Any) -> list[list[Any]]:
    """The page's related-stories blocks, outermost first, each a list of elements.

    A block is an ``<aside>`` with links, an element whose class or id says related,
    more-stories, recommended, teaser or read-more, or the section under a heading that
    says so. Candidates holding most of the page's text or its ``<h1>`` are the story
    itself and are never taken.
    """
    body = root.find(".//body")
    body = body if body is not None else root
    page_len = max(_text_len(body), 1)
    h1s = set(body.iter("h1"))
    candidates: list[list[Any]] = []

    def acceptable(el: Any) -> bool:
        if not isinstance(el.tag, str) or el.tag.lower() in _NEVER_BLOCK:
            return False
        if any(h in h1s for h in el.iter("h1")):
            return False
        n = _text_len(el)
        return n >= _MIN_TEASER_CHARS and n <= 0.6 * page_len and bool(_links(el))

    for el in body.iter():
        if not isinstance(el.tag, str):
            continue
        tag = el.tag.lower()
        if tag == "aside" or (tag not in ("a", "span") and _RELATED.search(_attr_tokens(el))):
            if acceptable(el):
                candidates.append([el])
        elif tag in ("h2", "h3", "h4", "h5", "h6") and _RELATED_HEADING.match(
            " ".join(el.text_content().split())
        ):
            parent = el.getparent()
            if parent is not None and acceptable(parent) and _text_len(parent) < 0.5 * page_len:
                candidates.append([parent])
                continue
            run = [el]  # the heading and what follows it, up to the next heading of its rank
            for sib in el.itersiblings():
                if isinstance(sib.tag, str) and re.fullmatch(r"h[1-6]", sib.tag.lower()):
                    if int(sib.tag[1]) <= int(tag[1]):
                        break
                run.append(sib)
            if len(run) > 1 and sum(_text_len(e) for e in run) <= 0.6 * page_len:
                candidates.append(run)
    chosen: list[list[Any]] = []
    taken: set[Any] = set()
    for block in candidates:
        if any(anc in taken for el in block for anc in el.iterancestors()) or any(
            el in taken for el in block
        ):
            continue
        chosen.append(block)
        taken.update(block)
    return chosen


def _items(block: list[Any]) -> list[Any]:
    """The teasers of a block: its outermost list items, articles or card-like elements;
    the whole block when it has no such structure."""
    items: list[Any] = []
    for top in block:
        for el in top.iter():
            if not isinstance(el.tag, str) or el is top:
                continue
            tag = el.tag.lower()
            if tag in ("li", "article") or (
                tag in ("div", "section") and _ITEM_CLASS.search(_attr_tokens(el))
            ):
                if not any(anc in items for anc in el.iterancestors()):
                    items.append(el)
    return items


def _teaser(item: Any, base_url: str | None) -> tuple[str, str | None, str | None, str | None]:
    """(text, title, url, published) of one teaser element."""
    paragraphs = [
        p
        for p in element_text(item).split("\n\n")
        if not _NOISE_LINE.match(p)
        and not (len(p) < 40 and (_RELATED_HEADING.match(p) or normalise_date(p)))
    ]
    text = "\n\n".join(paragraphs)
    heading = next(
        (
            h
            for h in item.iter("h2", "h3", "h4", "h5", "h6")
            if h.text_content().strip() and not _RELATED_HEADING.match(h.text_content().strip())
        ),
        None,
    )
    links = _links(item)
    title_el = heading if heading is not None else (links[0] if links else None)
    title = " ".join(title_el.text_content().split()) if title_el is not None else None
    if title is not None and _NOISE_LINE.match(title):
        title = None
    url = urljoin(base_url or "", links[0].get("href").strip()) if links else None
    published = None
    for t in item.iter("time"):
        published = normalise_date(t.get("datetime") or t.text_content())
        if published:
            break
    return text, title or None, url, published


def _iter_jsonld(root: Any) -> Iterator[dict[str, Any]]:
    for script in root.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except (json.JSONDecodeError, ValueError):
            continue
        stack = [data]
        while stack:
            node = stack.pop(0)
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                yield node
                if isinstance(node.get("@graph"), list):
                    stack.extend(node["@graph"])


def _names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value] if value.strip() and not value.startswith("http") else []
    if isinstance(value, dict):
        return _names(value.get("name"))
    if isinstance(value, list):
        return [n for v in value for n in _names(v)]
    return []


def page_metadata(root: Any, exclude: Iterable[Any] = ()) -> PageMeta:
    """Title, date, URL and author from JSON-LD, meta tags, canonical link, ``<h1>`` and
    ``<time>`` (elements inside ``exclude``, the related blocks, are not looked at)."""
    excluded = set(exclude)

    def outside(el: Any) -> bool:
        return el not in excluded and not any(a in excluded for a in el.iterancestors())

    meta = PageMeta()
    for node in _iter_jsonld(root):
        kind = node.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if not any(isinstance(k, str) and k.endswith(("Article", "Posting")) for k in kinds):
            if "headline" not in node and "datePublished" not in node:
                continue
        if meta.title is None and isinstance(node.get("headline"), str):
            meta.title = node["headline"].strip() or None
        meta.published = meta.published or normalise_date(node.get("datePublished"))
        if meta.url is None:
            page = node.get("mainEntityOfPage")
            url = node.get("url") or (page.get("@id") if isinstance(page, dict) else page)
            meta.url = url if isinstance(url, str) and url.startswith("http") else None
        meta.author = meta.author or (", ".join(_names(node.get("author"))) or None)
    tags: dict[str, str] = {}
    for m in root.iter("meta"):
        key = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        content = (m.get("content") or "").strip()
        if key and content:
            tags.setdefault(key, content)
    canonical = next(
        (
            link.get("href")
            for link in root.iter("link")
            if "canonical" in (link.get("rel") or "").lower().split() and link.get("href")
        ),
        None,
    )
    h1 = next((h for h in root.iter("h1") if outside(h) and h.text_content().strip()), None)
    meta.title = (
        meta.title
        or tags.get("og:title")
        or tags.get("twitter:title")
        or (" ".join(h1.text_content().split()) if h1 is not None else None)
    )
    meta.url = meta.url or canonical or tags.get("og:url")
    for key in (
        "article:published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "date",
        "dc.date",
        "dcterms.date",
        "parsely-pub-date",
        "sailthru.date",
    ):
        meta.published = meta.published or normalise_date(tags.get(key))
    if meta.published is None:
        for t in root.iter("time"):
            if outside(t):
                meta.published = normalise_date(t.get("datetime") or t.text_content())
                if meta.published:
                    break
    author = tags.get("author") or tags.get("article:author") or tags.get("byl")
    if meta.author is None and author and not author.startswith("http"):
        meta.author = re.sub(r"^by\s+", "", author, flags=re.I)
    return meta


def _fallback_text(root: Any) -> str:
    """Text of ``<article>``, ``<main>`` or ``<body>`` without page furniture, for pages
    trafilatura finds nothing in (very short or badly broken markup)."""
    for bad in list(root.iter("nav", "header", "footer", "script", "style", "form")):
        bad.drop_tree()
    for path in (".//article", ".//main", ".//body"):
        el = root.find(path)
        if el is not None:
            return element_text(el)
    return element_text(root)


def _parse(markup: str) -> Any | None:
    markup = _XML_DECL.sub("", markup, count=1)
    if not markup.strip():
        return None
    try:
        return lxml.html.document_fromstring(markup)
    except (etree.ParserError, ValueError):
        return None


def read_html(source: Source, ctx: ReadContext) -> Iterator[Article]:
    """The main story as one Article (``section="main"``, id the file stem) followed by one
    Article per teaser of the page's related-stories blocks."""
    data = read_whole(source, ctx)
    if data is None:
        return
    declared = _CHARSET.search(data[:4096])
    markup = decode_bytes(
        data, source, ctx, declared.group(1).decode("ascii") if declared else None
    )
    if markup is None:
        return
    root = _parse(markup)
    if root is None:
        ctx.problems.add(source.name, "not parseable as HTML; skipped")
        return
    blocks = related_blocks(root)
    block_elements = [el for block in blocks for el in block]
    meta = page_metadata(root, block_elements)
    teasers = []
    for block in blocks:
        for item in _items(block) or [block[0] if len(block) == 1 else _group(block)]:
            teaser = _teaser(item, meta.url)
            if len(teaser[0]) >= _MIN_TEASER_CHARS:
                teasers.append(teaser)
    for el in block_elements:
        if el.getparent() is not None:
            el.drop_tree()
    pruned = lxml.html.tostring(root, encoding="unicode")
    doc = trafilatura.bare_extraction(
        pruned, url=meta.url, with_metadata=True, include_comments=False, include_tables=False
    )
    body = ""
    if doc is not None and getattr(doc, "text", None):
        body = "\n\n".join(line.strip() for line in doc.text.split("\n") if line.strip())
        meta.title = meta.title or getattr(doc, "title", None)
        meta.author = meta.author or getattr(doc, "author", None)
        meta.published = meta.published or normalise_date(getattr(doc, "date", None))
        meta.url = meta.url or getattr(doc, "url", None)
    if not body:
        body = _fallback_text(root)
        if body:
            log.info("%s: trafilatura found no main text; used the page body", source.name)
    if meta.title is None:
        title_el = root.find(".//title")
        if title_el is not None and title_el.text_content().strip():
            meta.title = " ".join(title_el.text_content().split())
    if meta.title and body.startswith(meta.title):
        body = body[len(meta.title) :].lstrip()
    text = "\n\n".join(part for part in (meta.title, body) if part)
    if body:
        yield Article(
            id=source.stem,
            text=text,
            title=meta.title,
            published=meta.published,
            url=meta.url,
            source=source.name,
            author=meta.author,
        )
    else:
        ctx.problems.add(source.name, "no article text found in the page; main story skipped")
    for n, (t_text, t_title, t_url, t_published) in enumerate(teasers, start=1):
        yield Article(
            id=f"{source.stem}#related-{n}",
            text=t_text,
            title=t_title,
            published=t_published or meta.published,
            url=t_url,
            source=source.name,
            section="related",
        )


def _group(elements: list[Any]) -> Any:
    """Copies of several sibling elements (a heading's section) under one ``<div>``."""
    wrapper = lxml.html.Element("div")
    for el in elements:
        wrapper.append(
            lxml.html.fromstring(lxml.html.tostring(el, encoding="unicode", with_tail=False))
        )
    return wrapper


def _sniff_html(head: str) -> bool:
    start = head[:1024].lower()
    if start.startswith(("<!doctype html", "<html")) or re.search(r"<(?:html|head|body)\b", start):
        return True
    # a fragment such as "<p>...</p>" or "<article>...</article>"
    return bool(re.match(r"<(?:p|div|article|section|main|h[1-6])\b[^>]*>", start)) and bool(
        re.search(r"</(?:p|div|article|section|main|h[1-6])>", start)
    )


formats.register("html", Format("html", (".html", ".htm", ".xhtml"), read_html, _sniff_html, 30))
