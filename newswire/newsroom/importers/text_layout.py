"""The agency text layout: a story as the agency's website prints it, turned into a draft.

The layout, block by block (blocks are separated by blank lines):

1. the section breadcrumb, comma-separated (`World, Europe`)
2. the headline
3. the summary line
4. `Byline  | DD.MM.YYYY - Update : DD.MM.YYYY`, optionally followed on the next
   line by the photo caption (on the site, the headline again)
5. the dateline city (`LONDON`)
6. the body paragraphs
7. optionally the site footer, which is dropped

Text is kept as written: no spelling or punctuation is changed and no field is
invented (the dates carry no time, so first publication is that day, 00:00 UTC).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from newswire.newsroom.bodies import split_paragraphs

_BYLINE = re.compile(
    r"^(?P<byline>.*?)\s*\|\s*(?P<first>\d{1,2}\.\d{1,2}\.\d{4})"
    r"(?:\s*-\s*Update\s*:\s*(?P<updated>\d{1,2}\.\d{1,2}\.\d{4}))?\s*$"
)
_FOOTER = re.compile(
    r"(web ?site|site) contains only a portion|contact us for subscription", re.IGNORECASE
)
_DATELINE_MAX_WORDS = 4


@dataclass(frozen=True)
class LayoutError(ValueError):
    """The text does not follow the agency layout; `field` names the part that is wrong."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def _blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    current: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.strip()
        if line:
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _date(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%d.%m.%Y").replace(tzinfo=UTC)
    except ValueError:  # 31.02.2024, 00.13.2024: the shape of a date, but no such day
        raise LayoutError("byline", f"{text} is not a date (DD.MM.YYYY)") from None


def _is_dateline(block: list[str]) -> bool:
    line = block[0]
    return len(block) == 1 and len(line.split()) <= _DATELINE_MAX_WORDS and line == line.upper()


def parse_text_layout(text: str) -> dict[str, Any]:
    """Parse a story in the agency text layout into the fields of a StoryDraft."""
    blocks = _blocks(text)
    if len(blocks) < 4:
        raise LayoutError("body", "expected breadcrumb, headline, summary, byline line and body")
    breadcrumb, headline_block, summary_block, byline_block, *rest = blocks
    if len(breadcrumb) != 1:
        raise LayoutError("categories", "the first block must be one breadcrumb line")
    categories = [part.strip() for part in breadcrumb[0].split(",") if part.strip()]
    headline = " ".join(headline_block)
    summary = " ".join(summary_block)

    match = _BYLINE.match(byline_block[0])
    if match is None:
        raise LayoutError("byline", "expected 'Name | DD.MM.YYYY - Update : DD.MM.YYYY'")
    fields: dict[str, Any] = {
        "categories": categories,
        "headline": headline,
        "summary": summary,
        "byline": match["byline"].strip(),
        "first_created": _date(match["first"]),
    }
    # Lines after the byline in the same block are the photo caption: not story text.
    if rest and _is_dateline(rest[0]):
        fields["dateline"] = rest[0][0]
        rest = rest[1:]
    paragraphs = split_paragraphs("\n\n".join("\n".join(block) for block in rest))
    if paragraphs and _FOOTER.search(paragraphs[-1]):
        paragraphs = paragraphs[:-1]
    if not paragraphs:
        raise LayoutError("body", "the story has no body paragraphs")
    fields["body"] = "\n\n".join(paragraphs)
    return fields
