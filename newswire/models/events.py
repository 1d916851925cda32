"""What the log records: event types and IPTC publishing status, for stories and media alike."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


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
class RemoteRendition:
    """A rendition of a picture another agency holds, as its item described it."""

    name: str
    href: str
    content_type: str = ""
    width: int | None = None
    height: int | None = None
    size: int | None = None
    duration: float | None = None

    def as_json(self) -> dict[str, Any]:
        """Return the rendition as stored, without empty values."""
        return {name: value for name, value in self.__dict__.items() if value not in (None, "")}


@dataclass(frozen=True)
class RemoteMedia:
    """A picture or video an ingested story names but newswire does not hold: kept as sent."""

    name: str  # the association's name in the source (ninjs), else its rel
    type: str = "picture"  # picture, video, graphic, audio
    headline: str = ""
    caption: str = ""
    renditions: tuple[RemoteRendition, ...] = ()

    def as_json(self) -> dict[str, Any]:
        """Return the reference as stored (the story's media column)."""
        return {
            "name": self.name,
            "type": self.type,
            "headline": self.headline,
            "caption": self.caption,
            "renditions": [rendition.as_json() for rendition in self.renditions],
        }

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> RemoteMedia:
        """Build a reference from `as_json`'s shape."""
        return cls(
            name=str(body.get("name", "")),
            type=str(body.get("type", "picture")),
            headline=str(body.get("headline", "")),
            caption=str(body.get("caption", "")),
            renditions=tuple(RemoteRendition(**r) for r in body.get("renditions", [])),
        )


@dataclass(frozen=True)
class MediaRef:
    """A story's use of a media item: its id and how it is used (featuremedia, inline...).

    An ingested story may name pictures another agency holds: `id` is then the
    source's uri and `remote` what the source said of it, delivered as sent.
    """

    id: str
    rel: str = "featuremedia"
    remote: RemoteMedia | None = None
