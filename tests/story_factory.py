"""Build StoryVersion values for format and ingest tests, and find the IPTC standards."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from newswire.delivery.formats import Agency
from newswire.models.stories import EventType, PubStatus, StoryVersion
from newswire.newsroom.drafts import StoryDraft
from newswire.newsroom.importers.text_layout import parse_text_layout

SHARED = Path(__file__).resolve().parents[2] / "shared"
STANDARDS = SHARED / "standards"
SAMPLE_STORY = SHARED / "samples" / "aa-2024-11-14-rutte-nato.txt"

FIRST = datetime(2024, 11, 14, 9, 30, tzinfo=UTC)
LATER = datetime(2024, 11, 14, 11, 5, 7, tzinfo=UTC)
EMBARGO = datetime(2024, 11, 15, 6, 0, tzinfo=UTC)
# The agency the format tests render as: its own rights, a notice template with the year.
EXAMPLE_WIRE = Agency(
    name="Example Wire",
    code="exwire",
    uri="https://wire.example",
    copyright_holder="Example Wire Ltd",
    copyright_notice="Copyright {year} {holder}. All rights reserved.",
    usage_terms="For subscribers' own publication only.",
)
NINJS_DIRS = ["examples/2.1", "examples/3.0", "guideline-examples/2.2", "guideline-examples/3.1"]


def standards_dir() -> Path:
    """Return the IPTC standards folder, or skip the test when it is not checked out."""
    if not STANDARDS.is_dir():
        pytest.skip(f"IPTC standards not found at {STANDARDS} (shared/standards is absent)")
    return STANDARDS


def iptc_example(relative: str) -> Path:
    """Return a file of the IPTC standards by its path below them; skip the test when absent."""
    path = standards_dir() / relative
    if not path.is_file():
        pytest.skip(f"{path} not found")
    return path


def ninjs_text_examples() -> list[str]:
    """List the official ninjs examples that are text items, by their path below ninjs/.

    A text item is typed so (text or composite), or untyped with a headline
    (002_renditions_example, untyped, headline-less pictures with a non-URI uri, is not one).
    """
    found: list[str] = []
    for folder in NINJS_DIRS:
        for path in sorted((STANDARDS / "ninjs" / folder).glob("*.json")):
            data = json.loads(path.read_text("utf-8"))
            if data.get("type") in ("text", "composite") or (
                "type" not in data and "headlines" in data
            ):
                found.append(f"{folder}/{path.name}")
    return found or ["(standards absent)"]


def story_from_draft(draft: StoryDraft, **overrides: Any) -> StoryVersion:
    """Turn a validated draft into version 1 of a story, as the wire would store it."""
    fields: dict[str, Any] = {
        "story_id": "s-1",
        "version": 1,
        "guid": draft.guid or "urn:newsml:newswire.example:20241114:s-1",
        "slug": "story-slug",
        "headline": draft.headline,
        "summary": draft.summary,
        "body_html": draft.body,
        "byline": draft.byline,
        "dateline": draft.dateline,
        "categories": tuple(draft.categories),
        "subjects": tuple(draft.subjects),
        "urgency": draft.urgency,
        "language": draft.language,
        "public": draft.public,
        "pubstatus": PubStatus.USABLE,
        "first_created": draft.first_created or FIRST,
        "version_created": LATER,
        "embargoed_until": draft.embargoed_until,
        "ednote": draft.ednote,
        "genre": draft.genre,
        "source": draft.source,
    }
    fields.update(overrides)
    return StoryVersion(**fields)


def sample_story(**overrides: Any) -> StoryVersion:
    """Return the agency sample story (Rutte on NATO), parsed from its text layout."""
    if not SAMPLE_STORY.is_file():
        pytest.skip(f"sample story not found at {SAMPLE_STORY}")
    fields = parse_text_layout(SAMPLE_STORY.read_text("utf-8"))
    return story_from_draft(StoryDraft(**fields), **{"slug": "rutte-nato", **overrides})


def full_story(**overrides: Any) -> StoryVersion:
    """Return a story that uses every field, with text that must be escaped in XML."""
    draft = StoryDraft(
        headline='Rates "on hold" <for now> & markets rally',
        summary="The bank's board kept rates at 5% & said <more> data is needed.",
        body=(
            "<p>The central bank said it would <strong>wait</strong> &amp; see, "
            'quoting <q>"patience"</q> and <a href="https://example.com/?a=1&amp;b=2">a '
            "report</a>.</p><h2>Reaction</h2><ul><li>Stocks rose</li><li>Bonds <em>fell</em>"
            "</li></ul><blockquote><p>We are done, for now.</p></blockquote>"
            "<p>Prices rose 3 < 4 & 2 > 1 by year's end.</p>"
        ),
        byline="Jane O'Neil & Ahmet Yılmaz",
        dateline="FRANKFURT",
        categories=["Economy", "Central Banks"],
        subjects=["medtop:04000000", "medtop:20000350", "medtop:11000000"],
        urgency=2,
        language="en",
        public=True,
        embargoed_until=EMBARGO,
        ednote='Corrects the rate in the second paragraph to 5% from 4% <sic> & "more".',
        genre="Analysis",
        source="Example Press",
    )
    fields: dict[str, Any] = {"version": 3, "slug": "rates-on-hold", "change": EventType.CORRECTED}
    fields.update(overrides)
    return story_from_draft(draft, **fields)


def arabic_story(**overrides: Any) -> StoryVersion:
    """Return a right-to-left Arabic story with a non-Latin byline and dateline."""
    draft = StoryDraft(
        headline="روته يدعو إلى تعزيز التحالف بين الولايات المتحدة والناتو",
        summary="الناتو موجود للدفاع عن أوروبا والولايات المتحدة",
        body="قال الأمين العام لحلف الناتو مارك روته يوم الخميس إن التحالف مهم.\n\n"
        "وأضاف أن المنطقتين يجب أن تبقيا آمنتين.",
        byline="أيسو بيجر",
        dateline="لندن",
        categories=["العالم"],
        subjects=["medtop:11000000"],
        language="ar",
    )
    return story_from_draft(draft, slug="rutte-nato-ar", **overrides)


def killed(story: StoryVersion, reason: str = "Legal reasons") -> StoryVersion:
    """Return the kill version of a story: pubstatus canceled with the reason as ednote."""
    return dataclasses.replace(
        story,
        version=story.version + 1,
        pubstatus=PubStatus.CANCELED,
        ednote=reason,
        change=EventType.KILLED,
    )


def embargoed_story(**overrides: Any) -> StoryVersion:
    """Return version 1 of a story withheld until its embargo lifts."""
    fields: dict[str, Any] = {"pubstatus": PubStatus.WITHHELD, "embargoed_until": EMBARGO}
    fields.update(overrides)
    return dataclasses.replace(sample_story(), **fields)


def chinese_story(**overrides: Any) -> StoryVersion:
    """Return a Chinese story (no spaces between words), at the lowest urgency."""
    draft = StoryDraft(
        headline="中国人民银行维持贷款市场报价利率不变",
        summary="央行表示将保持流动性合理充裕。",
        body="中国人民银行周四表示，一年期贷款市场报价利率维持不变。\n\n"
        "分析人士预计，年底前不会进一步降息。",
        byline="新华社记者",
        dateline="北京",
        categories=["经济"],
        subjects=["medtop:04000000"],
        urgency=9,
        language="zh-Hans",
    )
    return story_from_draft(draft, slug="pboc-lpr", **overrides)


def assert_draft_keeps_the_text(draft: StoryDraft, story: StoryVersion) -> None:
    """Assert that a draft ingested back from a rendered story has its words and codes."""
    # Not a test module, so pytest does not rewrite these asserts: each names what differs.
    kept = (draft.headline, draft.summary, draft.body, draft.byline, draft.dateline)
    text = (story.headline, story.summary, story.body_html, story.byline, story.dateline)
    assert kept == text, (kept, text)
    codes = (list(story.categories), list(story.subjects), story.ednote)
    assert (draft.categories, draft.subjects, draft.ednote) == codes, (draft, codes)


def ninjs_item(**fields: Any) -> dict[str, Any]:
    """Return a minimal ninjs 2.x text item from another agency; `fields` replace or add."""
    return {
        "uri": "urn:newsml:example.com:20241114:item",
        "type": "text",
        "version": "1",
        "headlines": [{"role": "main", "value": "Minister resigns"}],
        "bodies": [{"role": "main", "contenttype": "text/html", "value": "<p>Text.</p>"}],
        **fields,
    }


def ingested_story(**overrides: Any) -> StoryVersion:
    """Return a story taken from another agency, with its rights, codes, slugline and times."""
    draft = StoryDraft(
        guid="urn:newsml:example.com:20241114:obit-berlin",
        headline="Berlin conductor dies at 91",
        summary="He led the orchestra for four decades.",
        body="The conductor died on Thursday, the orchestra said.\n\nHe was 91.",
        byline="Anna Schmidt",
        dateline="BERLIN, Nov 14 (Example Press)",
        located="Berlin",
        located_code="geonames:2950159",
        categories=["Culture"],
        subjects=["medtop:01000000"],
        urgency=5,
        language="en-GB",
        genre="Obituary",
        genre_code="genre:Obituary",
        slugline="GERMANY-CONDUCTOR/OBITUARY",
        source="Example Press",
        copyright_holder="Example Press Ltd",
        copyright_notice="Copyright 2024 Example Press Ltd. All rights reserved.",
        usage_terms="Not for use in Germany before 18:00 CET.",
        content_created=datetime(2024, 11, 14, 8, 12, 30, tzinfo=UTC),
        content_modified=datetime(2024, 11, 14, 10, 59, 1, 250_000, tzinfo=UTC),
        first_created=datetime(2024, 11, 14, 8, 15, tzinfo=UTC),
    )
    fields: dict[str, Any] = {
        "version": 4,
        "version_created": datetime(2024, 11, 14, 11, 5, 7, 123_456, tzinfo=UTC),
        "slugline": draft.slugline,
        "genre_code": draft.genre_code,
        "located": draft.located,
        "located_code": draft.located_code,
        "copyright_holder": draft.copyright_holder,
        "copyright_notice": draft.copyright_notice,
        "usage_terms": draft.usage_terms,
        "content_created": draft.content_created,
        "content_modified": draft.content_modified,
        "change": EventType.UPDATED,
    }
    fields.update(overrides)
    return story_from_draft(draft, **fields)


# Every shape of story the format tests render: name -> a function making it.
STORY_SHAPES: dict[str, Callable[[], StoryVersion]] = {
    "sample": sample_story,
    "every-field": full_story,
    "arabic": arabic_story,
    "killed": lambda: killed(full_story()),
    "embargoed": embargoed_story,
    "corrected": lambda: full_story(embargoed_until=None, version=2),
    "chinese": chinese_story,
    "ingested": ingested_story,
    "withheld-without-time": lambda: embargoed_story(embargoed_until=None),
}
