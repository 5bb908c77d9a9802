"""HTML fragments to plain text with paragraph breaks, for feed content and teaser blocks.

Extraction gives character offsets into ``Article.text`` and splits sentences on it, so the
text must be clean prose: no tags, no entities, no script, one blank line between blocks so
a headline and the paragraph after it never run together into one sentence.
"""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

__all__ = ["html_to_text", "element_text", "BLOCK_TAGS", "parse_fragment"]

BLOCK_TAGS = frozenset(
    "address article aside blockquote body dd div dl dt fieldset figcaption figure footer "
    "form h1 h2 h3 h4 h5 h6 header hr li main nav ol p pre section table td th tr ul br "
    "time".split()
)
_SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "button"})
_SPACE = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")


def parse_fragment(markup: str) -> lxml.html.HtmlElement | None:
    """Parse an HTML fragment leniently; None when there is nothing to parse."""
    if not markup or not markup.strip():
        return None
    try:
        return lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return None


def element_text(el: lxml.html.HtmlElement) -> str:
    """The text of an element, blocks separated by blank lines, inline space collapsed."""
    parts: list[str] = []

    def walk(node: etree._Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag.lower() in _SKIP_TAGS or not isinstance(node.tag, str):
            # comments and processing instructions: keep only their tail
            if node.tail and node is not el:
                parts.append(node.tail)
            return
        block = tag.lower() in BLOCK_TAGS
        if block:
            parts.append("\n\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append("\n\n")
        if node.tail and node is not el:
            parts.append(node.tail)

    walk(el)
    paragraphs = []
    for chunk in "".join(parts).split("\n\n"):
        line = _SPACE.sub(" ", chunk.replace("\n", " ")).strip()
        if line:
            paragraphs.append(line)
    return "\n\n".join(paragraphs)


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment (or of plain text that merely may contain entities)."""
    el = parse_fragment(markup)
    return element_text(el) if el is not None else ""
