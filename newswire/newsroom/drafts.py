"""What an editor files: the story draft, validated once for every way in (API, CLI, importers).

A draft that passes validation is complete and clean: the headline and body
are present, the body is sanitized HTML, the language is a real BCP 47 code,
the subjects are active IPTC Media Topics, and times carry a time zone.
Every string and time also passes `safe_values` (characters XML can carry, years
1000-9999 in UTC), and every list and string has a bound, so whatever passes can
be stored, read back and rendered in every format (issue 15).
"""

from __future__ import annotations

import re

from babel import Locale, UnknownLocaleError
from pydantic import BaseModel, ConfigDict, Field, field_validator

from newswire.newsroom.bodies import body_to_html, html_paragraphs
from newswire.newsroom.safe_values import WireText, WireTime
from newswire.newsroom.vocab.mediatopics import UnknownSubject, canonical_subject

MAX_HEADLINE = 300
MAX_SUMMARY = 2_000
MAX_BODY = 500_000
MAX_MEDIA = 50
# A breadcrumb is a few levels, each a section name; each level is rendered with its
# full path (see delivery/formats/_common.section_paths), so the depth stays small.
MAX_CATEGORIES = 10
MAX_CATEGORY = 80
MAX_SUBJECTS = 50
# A qcode (alias:code, the alias a G2 scheme alias) or an absolute URI, without spaces.
CONCEPT_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-_]*:\S+$")


def canonical_language(code: str) -> str:
    """Return a BCP 47 language tag in canonical case, or raise ValueError when unknown."""
    code = code.strip()
    if not code:
        raise ValueError("language is required")
    try:
        locale = Locale.parse(code, sep="-" if "-" in code else "_")
    except (UnknownLocaleError, ValueError, TypeError) as error:
        raise ValueError(
            f"{code!r} is not a known language code (use BCP 47, e.g. en, tr, ar)"
        ) from error
    tag = locale.language
    if locale.script:
        tag += "-" + locale.script
    if locale.territory:
        tag += "-" + locale.territory
    return tag


class RemoteRenditionUse(BaseModel):
    """A rendition of a picture another agency holds, as an ingested item describes it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=100)
    href: str = Field(min_length=1, max_length=2_000)
    content_type: str = Field("", max_length=200)
    width: int | None = Field(None, ge=0)
    height: int | None = Field(None, ge=0)
    size: int | None = Field(None, ge=0)
    duration: float | None = Field(None, ge=0)


class MediaUse(BaseModel):
    """A picture or video a story uses, and how (featuremedia, or inline pictures by rel).

    The rest describes a picture another agency holds (ingest keeps it as sent);
    an editor's story names only pictures filed here.
    """

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    id: str = Field(min_length=1, max_length=2_000, description="The media item's id or guid")
    rel: str = Field(
        "featuremedia",
        pattern=r"^[a-z][a-z0-9_-]{0,39}$",
        description="How the story uses it: featuremedia, inline, gallery, ...",
    )
    name: str = Field("", max_length=100, description="Ingest: the source's association name")
    type: str = Field("picture", pattern=r"^(picture|video|graphic|audio)$")
    headline: str = Field("", max_length=MAX_HEADLINE)
    caption: str = Field("", max_length=10_000)
    renditions: list[RemoteRenditionUse] = Field(default_factory=list, max_length=50)


class StoryDraft(BaseModel):
    """A story as filed by an editor or an ingest job, before it gets an id and version."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    headline: WireText = Field(min_length=1, max_length=MAX_HEADLINE, description="The headline")
    summary: WireText = Field(
        "", max_length=MAX_SUMMARY, description="The summary line (spot); shown on the public site"
    )
    body: WireText = Field(
        min_length=1,
        max_length=MAX_BODY,
        description="Plain text (paragraphs separated by blank lines) or HTML; HTML is sanitized",
    )
    byline: WireText = Field("", max_length=300)
    dateline: WireText = Field(
        "", max_length=200, description="Place the story was filed from, e.g. LONDON"
    )
    categories: list[WireText] = Field(
        default_factory=list,
        max_length=MAX_CATEGORIES,
        description="Section breadcrumb, broadest first, e.g. [World, Europe]",
    )
    subjects: list[WireText] = Field(
        default_factory=list,
        max_length=MAX_SUBJECTS,
        description="IPTC Media Topic codes, e.g. medtop:11000000",
    )
    urgency: int = Field(4, ge=1, le=9, description="1 flash, 2 urgent, 3 important, 4-9 routine")
    language: WireText = Field(
        "en", max_length=35, description="BCP 47 language tag, e.g. en, tr, ar"
    )
    public: bool = Field(False, description="Show the story (summarized) on the public site")
    embargoed_until: WireTime | None = Field(
        None, description="Release time; subscribers without embargo access wait until then"
    )
    ednote: WireText = Field("", max_length=2_000, description="Editor's note to subscribers")
    genre: WireText = Field("", max_length=100)
    guid: WireText | None = Field(
        None, max_length=500, description="Original guid of an ingested item"
    )
    first_created: WireTime | None = Field(None, description="First publication time, if earlier")
    source: WireText = Field("", max_length=200, description="Agency the item was taken from")
    # What the IPTC formats carry besides the text (issue 16); empty means not given.
    slugline: WireText = Field(
        "", max_length=200, description="Slugline as the source sent it (default: the slug)"
    )
    genre_code: WireText = Field(
        "", max_length=500, description="The genre's qcode or URI, e.g. genre:Analysis"
    )
    located: WireText = Field(
        "", max_length=200, description="Place the content originates from (default: dateline)"
    )
    located_code: WireText = Field("", max_length=500, description="That place's qcode or URI")
    copyright_holder: WireText = Field(
        "", max_length=300, description="Copyright holder of an item from another agency"
    )
    copyright_notice: WireText = Field("", max_length=2_000, description="Its copyright notice")
    usage_terms: WireText = Field("", max_length=2_000, description="Its usage terms")
    content_created: WireTime | None = Field(None, description="When the content was created")
    content_modified: WireTime | None = Field(
        None, description="When the content was last modified"
    )
    # Pictures and video the story uses (issue 18); the newsroom checks they exist.
    media: list[MediaUse] = Field(
        default_factory=list,
        max_length=MAX_MEDIA,
        description='Pictures and video it uses, e.g. [{"id": "...", "rel": "featuremedia"}]',
    )

    @field_validator("body")
    @classmethod
    def _body_has_text_after_sanitizing(cls, body: str) -> str:
        cleaned = body_to_html(body)
        if not html_paragraphs(cleaned):
            raise ValueError("body has no text (after removing markup that is not allowed)")
        return cleaned

    @field_validator("language")
    @classmethod
    def _language_is_known(cls, language: str) -> str:
        return canonical_language(language)

    @field_validator("subjects")
    @classmethod
    def _subjects_are_media_topics(cls, subjects: list[str]) -> list[str]:
        canonical: list[str] = []
        for code in subjects:
            try:
                qcode = canonical_subject(code)
            except UnknownSubject as error:
                raise ValueError(str(error)) from error
            if qcode not in canonical:
                canonical.append(qcode)
        return canonical

    @field_validator("categories")
    @classmethod
    def _categories_are_names(cls, categories: list[str]) -> list[str]:
        cleaned = [" ".join(name.split()) for name in categories]
        if any(not name or len(name) > MAX_CATEGORY or "/" in name for name in cleaned):
            raise ValueError(
                f"each category is a non-empty section name of at most {MAX_CATEGORY} "
                "characters, without '/'"
            )
        return cleaned

    @field_validator("genre_code", "located_code")
    @classmethod
    def _codes_are_qcodes_or_uris(cls, code: str) -> str:
        if code and not CONCEPT_CODE.match(code):
            raise ValueError(
                f"{code!r} is neither a qcode (scheme:code, e.g. genre:Analysis) nor a URI"
            )
        return code


class KillRequest(BaseModel):
    """Why a story is withdrawn."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: WireText = Field(min_length=1, max_length=2_000, description="Shown to subscribers")


class CorrectionRequest(StoryDraft):
    """A corrected version: the full story plus an editor's note saying what was wrong."""

    ednote: WireText = Field(min_length=1, max_length=2_000, description="What was wrong")
