"""Story bodies: from what an editor filed to safe HTML paragraphs, and back to plain text.

Every body is stored as sanitized HTML whose top level is a sequence of
paragraph-like blocks. Plain text (paragraphs separated by blank lines) is
escaped and wrapped in `<p>`; HTML goes through nh3 (the Ammonia sanitizer)
with a small allow-list, so script tags, event handlers and `javascript:`
links never reach a subscriber or the public site.
"""

from __future__ import annotations

import html
import re

import lxml.html
import nh3

ALLOWED_TAGS = {
    "p", "br", "b", "strong", "i", "em", "u", "a", "ul", "ol", "li",
    "blockquote", "h2", "h3", "h4", "q", "cite", "sub", "sup", "abbr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "q": {"cite"}}
BLOCK_TAGS = {"p", "ul", "ol", "blockquote", "h2", "h3", "h4"}

_TAG = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>")
_BLANK_LINES = re.compile(r"\n\s*\n")


def looks_like_html(text: str) -> bool:
    """Tell whether a filed body carries HTML markup rather than plain paragraphs."""
    return bool(_TAG.search(text))


def split_paragraphs(text: str) -> list[str]:
    """Split plain text into paragraphs at blank lines, joining wrapped lines."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = (" ".join(chunk.split()) for chunk in _BLANK_LINES.split(text))
    return [paragraph for paragraph in paragraphs if paragraph]


def paragraphs_to_html(paragraphs: list[str]) -> str:
    """Wrap plain-text paragraphs in escaped `<p>` elements."""
    return "".join(f"<p>{html.escape(paragraph, quote=False)}</p>" for paragraph in paragraphs)


def sanitize_html(fragment: str) -> str:
    """Clean an HTML fragment down to the allow-list and make loose text a paragraph."""
    cleaned = nh3.clean(
        fragment,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    return _wrap_loose_text(cleaned)


def body_to_html(body: str) -> str:
    """Turn a filed body (plain text or HTML) into sanitized HTML paragraphs."""
    if looks_like_html(body):
        return sanitize_html(body)
    return paragraphs_to_html(split_paragraphs(body))


def html_paragraphs(body_html: str) -> list[str]:
    """Return the text of each top-level block of a stored body, whitespace normalised."""
    if not body_html.strip():
        return []
    container = lxml.html.fragment_fromstring(body_html, create_parent="div")
    texts: list[str] = []
    if container.text and container.text.strip():
        texts.append(" ".join(container.text.split()))
    for child in container:
        text = " ".join(child.text_content().split())
        if text:
            texts.append(text)
        if child.tail and child.tail.strip():
            texts.append(" ".join(child.tail.split()))
    return texts


def html_to_text(body_html: str) -> str:
    """Return a stored body as plain text, one paragraph per blank-line-separated block."""
    return "\n\n".join(html_paragraphs(body_html))


def _wrap_loose_text(cleaned: str) -> str:
    """Group inline content that sits between blocks into `<p>` elements."""
    if not cleaned.strip():
        return ""
    container = lxml.html.fragment_fromstring(cleaned, create_parent="div")
    parts: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        inline = "".join(pending).strip()
        pending.clear()
        if (
            inline
            and lxml.html.fragment_fromstring(inline, create_parent="div").text_content().strip()
        ):
            parts.append(f"<p>{inline}</p>")

    if container.text:
        pending.append(html.escape(container.text, quote=False))
    for child in container:
        tail, child.tail = child.tail, None
        markup = lxml.html.tostring(child, encoding="unicode")
        if child.tag in BLOCK_TAGS:
            flush()
            parts.append(markup)
        else:
            pending.append(markup)
        if tail:
            pending.append(html.escape(tail, quote=False))
    flush()
    return "".join(parts)
