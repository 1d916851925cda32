"""The storage contract of pictures and video: one small role (see `interfaces.py`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from newswire.models.events import EventType
from newswire.models.media import MediaKind, MediaVersion
from newswire.models.stories import Event


class MediaStore(Protocol):
    """Media versions, and the one write that appends a media version to the log."""

    async def save_version(self, media: MediaVersion, event_type: EventType) -> Event:
        """Store a version and append its event to the log, atomically.

        Raises VersionConflict unless media.version is greater than the stored one.
        """
        ...

    async def current(self, media_id: str) -> MediaVersion | None:
        """Return the current version of a media item."""
        ...

    async def current_of(self, media_ids: Sequence[str]) -> dict[str, MediaVersion]:
        """Return the current versions of several media items, by id (missing ones absent)."""
        ...

    async def latest(self, kind: MediaKind, limit: int) -> list[MediaVersion]:
        """Return the current, unkilled versions of one kind, most recently changed first."""
        ...

    async def version(self, media_id: str, version: int) -> MediaVersion | None:
        """Return one version of a media item."""
        ...

    async def versions(self, media_id: str) -> list[MediaVersion]:
        """Return every version of a media item, oldest first."""
        ...

    async def newest(
        self, kind: MediaKind, before: tuple[datetime, str] | None, limit: int
    ) -> list[MediaVersion]:
        """Return current versions of one kind not killed, newest first (first filed).

        `before` is the (first_created, id) of the last item of the previous page.
        """
        ...

    async def due_for_release(self, now: datetime) -> list[str]:
        """Return the ids of withheld media whose embargo time is at or before now."""
        ...

    async def id_for(self, id_or_guid: str) -> str | None:
        """Resolve a media id or guid to the media id."""
        ...
