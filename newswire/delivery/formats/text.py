"""Plain text for teleprinter-era clients and SMS gateways: lines of at most 72 columns.

Layout: a status line when the story is not plainly usable (KILL, EMBARGOED, CORRECTION),
the headline, the dateline run into the first paragraph (``LONDON - ...``), the other
paragraphs separated by blank lines (list items as "* " or "1. ", quotes indented), then
the byline, the editor's note, a signature line (agency, slug, version, time) and END.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import lxml.html

from newswire.delivery.formats._common import iso_utc
from newswire.delivery.formats.agency import Agency
from newswire.delivery.formats.media_items import rendition_href
from newswire.models.media import Attached, MediaVersion
from newswire.models.stories import PubStatus, StoryVersion, urgency_name

WIDTH = 72


def _wrap(text: str, first: str = "", rest: str = "") -> list[str]:
    return textwrap.wrap(
        text, WIDTH, initial_indent=first, subsequent_indent=rest, break_on_hyphens=False
    ) or [first.rstrip()]


def _squash(text: str) -> str:
    return " ".join(text.split())


def _body_blocks(body_html: str) -> list[tuple[str, str, str]]:
    """Return (text, first-line indent, other-line indent) for each paragraph and list item."""
    if not body_html.strip():
        return []
    container = lxml.html.fragment_fromstring(body_html, create_parent="div")
    blocks: list[tuple[str, str, str]] = []
    if container.text and container.text.strip():
        blocks.append((_squash(container.text), "", ""))
    for child in container:
        if child.tag in ("ul", "ol"):
            for number, item in enumerate(child.findall("li"), start=1):
                bullet = f"{number}. " if child.tag == "ol" else "* "
                blocks.append((_squash(item.text_content()), bullet, " " * len(bullet)))
        elif child.tag == "blockquote" and len(child):
            blocks.extend((_squash(part.text_content()), "    ", "    ") for part in child)
        elif child.text_content().strip():
            blocks.append((_squash(child.text_content()), "", ""))
        if child.tail and child.tail.strip():
            blocks.append((_squash(child.tail), "", ""))
    return [block for block in blocks if block[0]]


def _status_lines(story: StoryVersion) -> list[str]:
    lines: list[str] = []
    if story.pubstatus is PubStatus.CANCELED:
        lines.append("KILL KILL KILL - DO NOT USE")
    if story.embargoed_until is not None:
        lines.append(f"EMBARGOED UNTIL {iso_utc(story.embargoed_until)}")
    if story.urgency <= 3:
        lines.append(urgency_name(story.urgency).upper())
    return lines


def render(story: StoryVersion, agency: Agency, attached: Sequence[Attached] = ()) -> bytes:
    """Render a story version as UTF-8 plain text wrapped at 72 columns (pictures as lines)."""
    blocks: list[list[str]] = []
    status = _status_lines(story)
    if status:
        blocks.append(status)
    blocks.append(_wrap(story.headline))
    paragraphs = _body_blocks(story.body_html)
    if story.dateline and paragraphs:
        text, first, rest = paragraphs[0]
        paragraphs[0] = (f"{story.dateline} - {text}", first, rest)
    elif story.dateline:
        paragraphs = [(story.dateline, "", "")]
    blocks.extend(_wrap(text, first, rest) for text, first, rest in paragraphs)
    if story.byline:
        blocks.append(_wrap(f"By {story.byline}"))
    if story.ednote:
        blocks.append(_wrap(f"Editor's note: {story.ednote}"))
    for item in attached:
        blocks.append(_wrap(_media_line(item.media, agency, item.rel)))
    signature = f"{agency.name} {story.slug} v{story.version}".replace("  ", " ")
    blocks.append(_wrap(f"{signature} {iso_utc(story.version_created)}") + ["END"])
    return ("\n\n".join("\n".join(block) for block in blocks) + "\n").encode("utf-8")


def _media_line(media: MediaVersion, agency: Agency, rel: str) -> str:
    details = media.details
    words = [f"{rel.upper()}: {media.kind.value} {media.guid} v{media.version}"]
    words += [text for text in (details.caption, details.credit_line) if text]
    return " - ".join(words)


def render_media(media: MediaVersion, agency: Agency) -> bytes:
    """Render a picture or video as plain text: status, caption, credit and its renditions."""
    lines = ["KILL KILL KILL - DO NOT USE"] if media.is_killed else []
    lines.append(_media_line(media, agency, media.kind.value))
    if media.ednote:
        lines.append(f"Editor's note: {media.ednote}")
    for rendition in media.renditions:
        lines.append(
            f"{rendition.name} {rendition.width}x{rendition.height} {rendition.content_type} "
            f"{rendition.size} bytes {rendition_href(media, rendition, agency)}"
        )
    blocks = [_wrap(line) for line in lines] + [["END"]]
    return ("\n\n".join("\n".join(block) for block in blocks) + "\n").encode("utf-8")
