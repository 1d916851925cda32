"""Pictures and video on the wire: media versions and their renditions, as plain values.

A media item has its own id, versions and status, and its events share the
one gapless log with stories (`picture.published`, `video.killed`, ...). Its
bytes are blobs named by their sha256 (`newswire/blobs/`); a version records
which blob each rendition is, and its size, so formats and pages describe
renditions without opening them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from newswire.models.events import EventType, PubStatus

# The media types a subscriber buys (Entitlements.media); "text" is stories.
MEDIA_TYPES = ("text", "pictures", "video")


class MediaKind(StrEnum):
    """What a media item is; its events are named after it (picture.*, video.*)."""

    PICTURE = "picture"
    VIDEO = "video"

    @property
    def media_type(self) -> str:
        """Return the entitlement's name for this kind: pictures or video."""
        return "pictures" if self is MediaKind.PICTURE else "video"

    def event(self, action: str) -> EventType:
        """Return the event type of an action (published, updated, killed) on this kind."""
        return EventType(f"{self.value}.{action}")


# Renditions the public site may show: never the original, never the base.
PUBLIC_RENDITIONS = frozenset({"preview", "thumbnail"})


@dataclass(frozen=True)
class MediaRendition:
    """One stored rendition of a media version: which blob, its type, pixels and bytes."""

    name: str  # original, base (poster for video), preview, thumbnail
    key: str  # the sha256 of the bytes: the blob's key and the ETag
    content_type: str
    width: int
    height: int
    size: int
    duration: float | None = None  # seconds, the video itself

    @property
    def public(self) -> bool:
        """Tell whether the public site may show this rendition."""
        return self.name in PUBLIC_RENDITIONS

    def as_json(self) -> dict[str, Any]:
        """Return the rendition as stored (the renditions column) and shown to editors."""
        body: dict[str, Any] = {
            "name": self.name,
            "key": self.key,
            "content_type": self.content_type,
            "width": self.width,
            "height": self.height,
            "size": self.size,
        }
        if self.duration is not None:
            body["duration"] = self.duration
        return body

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> MediaRendition:
        """Build a rendition from `as_json`'s shape."""
        return cls(
            name=str(body["name"]),
            key=str(body["key"]),
            content_type=str(body["content_type"]),
            width=int(body["width"]),
            height=int(body["height"]),
            size=int(body["size"]),
            duration=float(body["duration"]) if body.get("duration") is not None else None,
        )


@dataclass(frozen=True)
class MediaDetails:
    """What is said about a picture or video: the IPTC minimum and more, as filed."""

    headline: str = ""
    caption: str = ""
    alt_text: str = ""
    creator: str = ""
    credit_line: str = ""
    copyright_notice: str = ""
    copyright_holder: str = ""
    usage_terms: str = ""
    date_created: str = ""  # ISO 8601 as filed: may be a date only
    city: str = ""
    region: str = ""
    country: str = ""
    country_code: str = ""
    keywords: tuple[str, ...] = ()
    subjects: tuple[str, ...] = ()
    digital_source_type: str = ""  # an IPTC NewsCodes URI

    def as_json(self) -> dict[str, Any]:
        """Return the details as a JSON object (lists for the tuples)."""
        return {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in self.__dict__.items()
        }

    @classmethod
    def from_json(cls, body: dict[str, Any]) -> MediaDetails:
        """Build details from `as_json`'s shape, ignoring names it does not know."""
        known = cls.__dataclass_fields__
        values: dict[str, Any] = {}
        for name, value in body.items():
            if name in known:
                values[name] = tuple(value) if isinstance(value, list) else value
        return cls(**values)


@dataclass(frozen=True)
class Attached:
    """A media version as a story version carries it: how the story uses it, and which one."""

    rel: str
    media: MediaVersion


@dataclass(frozen=True)
class MediaVersion:
    """One version of a media item: what it says, its renditions, its status."""

    media_id: str
    version: int
    kind: MediaKind
    guid: str
    pubstatus: PubStatus
    first_created: datetime
    version_created: datetime
    details: MediaDetails = field(default_factory=MediaDetails)
    renditions: tuple[MediaRendition, ...] = ()
    language: str = "en"
    categories: tuple[str, ...] = ()
    urgency: int = 5
    public: bool = True  # may the public site show its public renditions
    focus_x: float = 0.5  # the point of interest, as fractions of the shown picture
    focus_y: float = 0.5
    embargoed_until: datetime | None = None
    ednote: str = ""
    change: EventType = EventType.PICTURE_PUBLISHED

    @property
    def is_killed(self) -> bool:
        """Tell whether this version withdraws the item."""
        return self.pubstatus is PubStatus.CANCELED

    def rendition(self, name: str) -> MediaRendition | None:
        """Return the rendition of that name, if the version has one."""
        for rendition in self.renditions:
            if rendition.name == name:
                return rendition
        return None

    def embargoed_at(self, now: datetime) -> bool:
        """Tell whether the item is still under embargo at `now`."""
        if self.embargoed_until is None:
            return self.pubstatus is PubStatus.WITHHELD
        return self.embargoed_until > now

    def shown_with_stories(self, now: datetime) -> bool:
        """Tell whether stories may carry this version: not killed, not under embargo."""
        return not self.is_killed and not self.embargoed_at(now)
