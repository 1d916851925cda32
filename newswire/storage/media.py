"""Pictures and video: versions saved with their log event, found by id or guid.

`save_version` is the media side of the log's one write: in one transaction
it checks the version is newer than the stored one, stores it, takes the next
sequence number from the same one-row counter as stories (`stories.py`), and
appends the event. Stories and media therefore share one gapless order, and
a rolled-back write gives its number back. The bytes are already in the blob
store by then: a version names only blobs that exist.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from newswire.models.clock import Clock
from newswire.models.events import EventType, PubStatus
from newswire.models.media import MediaDetails, MediaKind, MediaRendition, MediaVersion
from newswire.models.stories import Event
from newswire.storage.connections import Connections
from newswire.storage.embargoes import withheld_current
from newswire.storage.errors import VersionConflict
from newswire.storage.log_write import advance_current, append_event
from newswire.storage.rows import (
    db_time,
    first_row,
    from_row,
    row_values,
)
from newswire.storage.tables_media import media_events, media_items, media_versions

MEDIA_COLUMNS = [*media_versions.c, media_items.c.guid]


def media_select() -> sa.Select[Any]:
    """Return a select of media versions with their item's guid."""
    return sa.select(*MEDIA_COLUMNS).join(
        media_items, media_items.c.id == media_versions.c.media_id
    )


def media_values(media: MediaVersion) -> dict[str, Any]:
    """Return the media_versions row of a media version."""
    return row_values(
        media,
        leave_out=("guid", "change"),
        change_type=media.change.value,
        details=json.dumps(media.details.as_json(), ensure_ascii=False),
        renditions=json.dumps([rendition.as_json() for rendition in media.renditions]),
    )


def media_from_row(row: Mapping[Any, Any]) -> MediaVersion:
    """Build a MediaVersion from a row selected by `media_select`."""
    return from_row(
        MediaVersion,
        row,
        change=EventType(row["change_type"]),
        details=MediaDetails.from_json(json.loads(row["details"])),
        renditions=tuple(MediaRendition.from_json(r) for r in json.loads(row["renditions"])),
    )


def _current_of_kind(kind: MediaKind) -> sa.Select[Any]:
    """Select the current versions of one kind of media that are not killed."""
    return media_select().where(
        media_versions.c.version == media_items.c.current_version,
        media_items.c.kind == kind.value,
        media_items.c.pubstatus != PubStatus.CANCELED.value,
    )


class SQLMediaStore:
    """Media versions: saved with their log event, found by id or guid."""

    def __init__(self, db: Connections, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def save_version(self, media: MediaVersion, event_type: EventType) -> Event:
        """Store a version and append its event to the log, atomically.

        Raises VersionConflict unless media.version is greater than the stored one.
        """
        try:
            async with self._db.write() as conn:
                await self._store(conn, media)
                return await self._append(conn, media, event_type)
        except IntegrityError as error:
            # Two nodes filing the same guid at once: the loser rolled back whole.
            raise VersionConflict(f"media {media.media_id} was filed concurrently") from error

    async def _store(self, conn: AsyncConnection, media: MediaVersion) -> None:
        await advance_current(
            conn,
            media_items,
            media.media_id,
            media.version,
            f"media {media.media_id}",
            values={
                "pubstatus": media.pubstatus.value,
                "updated_at": db_time(media.version_created),
            },
            on_insert={
                "guid": media.guid,
                "kind": media.kind.value,
                "first_created": db_time(media.first_created),
            },
        )
        await conn.execute(media_versions.insert().values(**media_values(media)))

    async def _append(
        self, conn: AsyncConnection, media: MediaVersion, event_type: EventType
    ) -> Event:
        return await append_event(
            conn, media_events, "media_id", media.media_id, media.version, event_type, self._clock
        )

    async def current(self, media_id: str) -> MediaVersion | None:
        """Return the current version of a media item."""
        found = await self.current_of([media_id])
        return found.get(media_id)

    async def current_of(self, media_ids: Sequence[str]) -> dict[str, MediaVersion]:
        """Return the current versions of several media items, by id (missing ones absent)."""
        if not media_ids:
            return {}
        async with self._db.read() as conn:
            result = await conn.execute(
                media_select().where(
                    media_versions.c.media_id.in_(list(media_ids)),
                    media_versions.c.version == media_items.c.current_version,
                )
            )
            return {row["media_id"]: media_from_row(row) for row in result.mappings()}

    async def latest(self, kind: MediaKind, limit: int) -> list[MediaVersion]:
        """Return the current, unkilled versions of one kind, most recently changed first."""
        async with self._db.read() as conn:
            result = await conn.execute(
                _current_of_kind(kind)
                .order_by(media_items.c.updated_at.desc(), media_items.c.id)
                .limit(limit)
            )
            return [media_from_row(row) for row in result.mappings()]

    async def version(self, media_id: str, version: int) -> MediaVersion | None:
        """Return one version of a media item."""
        async with self._db.read() as conn:
            row = await first_row(
                conn,
                media_select().where(
                    media_versions.c.media_id == media_id, media_versions.c.version == version
                ),
            )
        return media_from_row(row) if row else None

    async def versions(self, media_id: str) -> list[MediaVersion]:
        """Return every version of a media item, oldest first."""
        async with self._db.read() as conn:
            result = await conn.execute(
                media_select()
                .where(media_versions.c.media_id == media_id)
                .order_by(media_versions.c.version)
            )
            return [media_from_row(row) for row in result.mappings()]

    async def newest(
        self, kind: MediaKind, before: tuple[datetime, str] | None, limit: int
    ) -> list[MediaVersion]:
        """Return current versions of one kind not killed, newest first, after a page's last."""
        query = _current_of_kind(kind)
        if before is not None:
            created, media_id = db_time(before[0]), before[1]
            query = query.where(
                sa.or_(
                    media_items.c.first_created < created,
                    sa.and_(media_items.c.first_created == created, media_items.c.id < media_id),
                )
            )
        query = query.order_by(media_items.c.first_created.desc(), media_items.c.id.desc())
        async with self._db.read() as conn:
            result = await conn.execute(query.limit(limit))
            return [media_from_row(row) for row in result.mappings()]

    async def due_for_release(self, now: datetime) -> list[str]:
        """Return the ids of withheld media whose embargo time is at or before now."""
        query = (
            withheld_current(media_items, media_versions, "media_id")
            .where(media_versions.c.embargoed_until <= db_time(now))
            .order_by(media_versions.c.embargoed_until)
        )
        async with self._db.read() as conn:
            return [str(row[0]) for row in (await conn.execute(query)).all()]

    async def id_for(self, id_or_guid: str) -> str | None:
        """Resolve a media id or guid to the media id."""
        async with self._db.read() as conn:
            found = await conn.scalar(
                sa.select(media_items.c.id).where(
                    sa.or_(media_items.c.id == id_or_guid, media_items.c.guid == id_or_guid)
                )
            )
        return str(found) if found is not None else None
