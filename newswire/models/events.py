"""What the log records: event types and IPTC publishing status, for stories and media alike."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class EventType(StrEnum):
    """What happened to a story; the `type` of a log event."""

    PUBLISHED = "story.published"
    UPDATED = "story.updated"
    CORRECTED = "story.corrected"
    KILLED = "story.killed"
    EMBARGO_CHANGED = "story.embargo_changed"
    RELEASED = "story.released"
    # Pictures and video share the log (models/media.py): the same gapless seq.
    PICTURE_PUBLISHED = "picture.published"
    PICTURE_UPDATED = "picture.updated"
    PICTURE_KILLED = "picture.killed"
    VIDEO_PUBLISHED = "video.published"
    VIDEO_UPDATED = "video.updated"
    VIDEO_KILLED = "video.killed"

    @property
    def is_kill(self) -> bool:
        """Tell whether the event withdraws its item (a story, picture or video)."""
        return self in (EventType.KILLED, EventType.PICTURE_KILLED, EventType.VIDEO_KILLED)


class PubStatus(StrEnum):
    """IPTC publishing status (http://cv.iptc.org/newscodes/pubstatusg2/)."""

    USABLE = "usable"
    WITHHELD = "withheld"
    CANCELED = "canceled"


@dataclass(frozen=True)
class MediaRef:
    """A story's use of a media item: its id and how it is used (featuremedia, inline...)."""

    id: str
    rel: str = "featuremedia"
