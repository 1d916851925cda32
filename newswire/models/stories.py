"""Stories and the log: story versions, log events, event types and publishing status.

These are plain values. Storage turns rows into them, formats turn them into
bytes, the entitlement check reads them; none of them knows about HTTP or SQL.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import datetime

from newswire.models.events import EventType, MediaRef, PubStatus
from newswire.models.media import Attached, MediaVersion

__all__ = [
    "Attached",
    "Event",
    "EventType",
    "LogEntry",
    "MediaRef",
    "MediaVersion",
    "PubStatus",
    "StoryVersion",
    "media_log_header",
    "urgency_name",
]


URGENCY_NAMES = {1: "flash", 2: "urgent", 3: "important"}


def urgency_name(urgency: int) -> str:
    """Return the agency's word for an urgency level: flash, urgent, important or routine."""
    return URGENCY_NAMES.get(urgency, "routine")


@dataclass(frozen=True)
class StoryVersion:
    """One version of a story, exactly as filed (after sanitizing) plus what the wire derived."""

    story_id: str
    version: int
    guid: str
    slug: str
    headline: str
    summary: str
    body_html: str
    byline: str
    dateline: str
    categories: tuple[str, ...]
    subjects: tuple[str, ...]
    urgency: int
    language: str
    public: bool
    pubstatus: PubStatus
    first_created: datetime
    version_created: datetime
    embargoed_until: datetime | None = None
    ednote: str = ""
    genre: str = ""
    source: str = ""
    public_summary: str = ""
    change: EventType = EventType.PUBLISHED  # what filing this version was
    # What the IPTC formats carry besides the text (issue 16). Empty means "not
    # given": the formats then say what the agency's settings say.
    slugline: str = ""  # the slugline as the source sent it; empty: the slug
    genre_code: str = ""  # the genre's qcode (genre:Obituary) or URI
    located: str = ""  # the place the content originates from, by name
    located_code: str = ""  # that place's qcode or URI
    copyright_holder: str = ""  # empty: the source it was taken from, else the agency
    copyright_notice: str = ""
    usage_terms: str = ""
    content_created: datetime | None = None  # empty: first_created
    content_modified: datetime | None = None  # empty: version_created
    # Who filed this version (issue 17): the principal's id and the person's or key's
    # name; empty for versions the system made (an embargo release, an ingest job).
    author_id: str = ""
    author_name: str = ""
    media: tuple[MediaRef, ...] = ()  # pictures and video the story uses, in order

    @property
    def is_correction(self) -> bool:
        """Tell whether this version was filed as a correction."""
        return self.change is EventType.CORRECTED

    @property
    def is_killed(self) -> bool:
        """Tell whether this version withdraws the story."""
        return self.pubstatus is PubStatus.CANCELED

    def embargoed_at(self, now: datetime) -> bool:
        """Tell whether the story is still under embargo at `now`.

        A story withheld without a release time (a source's stat:withheld) stays
        under embargo until a later version makes it usable.
        """
        if self.embargoed_until is None:
            return self.pubstatus is PubStatus.WITHHELD
        return self.embargoed_until > now


@dataclass(frozen=True)
class Author:
    """Who files a version: the principal acting (a key's or a person's) and a name to show."""

    id: str
    name: str


@dataclass(frozen=True)
class Event:
    """One entry of the ordered log: a gapless sequence number and what it records."""

    seq: int
    type: EventType
    story_id: str
    version: int
    created_at: datetime


@dataclass(frozen=True)
class LogEntry:
    """A log event together with the version it describes.

    For a picture or video event `media` is the media version and `story` its
    log header (`MediaVersion.log_header`): the id, version, urgency, sections,
    language, status and embargo every channel's rules read, so ordering,
    entitlement, embargo and usage treat every item of the log alike. Only
    what renders an item looks at `media`.
    """

    event: Event
    story: StoryVersion
    media: MediaVersion | None = None
    # A story's pictures and video as they stood when the event was logged (killed
    # and embargoed ones left out), in the order the story names them.
    attached: tuple[Attached, ...] = ()


def media_log_header(media: MediaVersion) -> StoryVersion:
    """Return what every channel's rules read of a media version, in a story version's shape.

    The id, version, guid, sections, language, urgency, status, embargo and
    times are the media item's; the headline and caption stand in for the
    text (saved searches match them). Nothing renders it: formats render
    `LogEntry.media`.
    """
    details = media.details
    caption = html.escape(details.caption, quote=False)
    return StoryVersion(
        story_id=media.media_id,
        version=media.version,
        guid=media.guid,
        slug=media.media_id,
        headline=details.headline or details.caption[:120] or f"{media.kind.value} {media.guid}",
        summary=details.caption,
        body_html=f"<p>{caption}</p>" if caption else "",
        byline=details.creator,
        dateline="",
        categories=media.categories,
        subjects=details.subjects,
        urgency=media.urgency,
        language=media.language,
        public=media.public,
        pubstatus=media.pubstatus,
        first_created=media.first_created,
        version_created=media.version_created,
        embargoed_until=media.embargoed_until,
        ednote=media.ednote,
        change=media.change,
    )
