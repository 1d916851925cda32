"""Stories and the log: story versions, log events, event types and publishing status.

These are plain values. Storage turns rows into them, formats turn them into
bytes, the entitlement check reads them; none of them knows about HTTP or SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class EventType(StrEnum):
    """What happened to a story; the `type` of a log event."""

    PUBLISHED = "story.published"
    UPDATED = "story.updated"
    CORRECTED = "story.corrected"
    KILLED = "story.killed"
    EMBARGO_CHANGED = "story.embargo_changed"
    RELEASED = "story.released"


class PubStatus(StrEnum):
    """IPTC publishing status (http://cv.iptc.org/newscodes/pubstatusg2/)."""

    USABLE = "usable"
    WITHHELD = "withheld"
    CANCELED = "canceled"


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
    """A log event together with the story version it describes."""

    event: Event
    story: StoryVersion
