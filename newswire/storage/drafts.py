"""Drafts and their history in SQL (the desk's `DraftStore`)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from newswire.models.drafts import Draft, DraftStatus, HistoryEntry, Lock
from newswire.storage.connections import Connections
from newswire.storage.rows import (
    db_time,
    db_time_or_none,
    from_row,
    py_time,
    py_time_or_none,
    row_values,
)
from newswire.storage.tables_desk import draft_history, drafts

_HISTORY_ATTEMPTS = 5


def _values(draft: Draft, changed_at: datetime) -> dict[str, Any]:
    lock = draft.lock
    return row_values(
        draft,
        leave_out=("lock",),
        fields=json.dumps(draft.fields, ensure_ascii=False),
        headline=draft.headline[:300],
        urgency=draft.urgency,
        language=str(draft.fields.get("language", ""))[:50],
        changed_at=db_time(changed_at),
        lock_id=lock.holder_id if lock else "",
        lock_name=lock.holder_name if lock else "",
        locked_until=db_time_or_none(lock.until if lock else None),
    )


def _draft(row: Mapping[Any, Any]) -> Draft:
    until = py_time_or_none(row["locked_until"])
    lock = Lock(row["lock_id"], row["lock_name"], until) if row["lock_id"] and until else None
    return from_row(Draft, row, fields=json.loads(row["fields"]), lock=lock)


class SQLDraftStore:
    """Drafts in the `drafts` table, history in `draft_history`."""

    def __init__(self, db: Connections) -> None:
        self._db = db

    async def insert(self, draft: Draft) -> None:
        """Store a new draft."""
        async with self._db.write() as conn:
            await conn.execute(drafts.insert().values(**_values(draft, draft.updated_at)))

    async def get(self, draft_id: str) -> Draft | None:
        """Return a draft by id."""
        async with self._db.read() as conn:
            row = (
                (await conn.execute(sa.select(drafts).where(drafts.c.id == draft_id)))
                .mappings()
                .first()
            )
        return _draft(row) if row else None

    async def replace(self, draft: Draft, expected_version: int) -> bool:
        """Store a draft's new state if it is still at `expected_version`; tell whether it was."""
        values = _values(draft, draft.updated_at)
        del values["id"], values["created_at"], values["filed_version"]
        updated = await self._db.update(
            drafts,
            drafts.c.id == draft.id,
            drafts.c.version == expected_version,
            **values,
            filed_version=draft.filed_version,
        )
        return updated == 1

    async def set_lock(
        self, draft_id: str, lock: Lock | None, by_id: str, now: datetime, force: bool
    ) -> bool:
        """Set a draft's lock (None drops it) unless another than `by_id` holds it (or `force`)."""
        condition = drafts.c.id == draft_id
        if not force:
            condition &= sa.or_(
                drafts.c.lock_id == "",
                drafts.c.lock_id == by_id,
                drafts.c.locked_until <= db_time(now),
            )
        updated = await self._db.update(
            drafts,
            condition,
            lock_id=lock.holder_id if lock else "",
            lock_name=lock.holder_name if lock else "",
            locked_until=db_time_or_none(lock.until if lock else None),
            changed_at=db_time(now),
        )
        return updated == 1

    async def claim_filing(self, draft_id: str, version: int) -> bool:
        """Mark a draft version as being filed; false when it already was (a second click)."""
        updated = await self._db.update(
            drafts,
            drafts.c.id == draft_id,
            drafts.c.version == version,
            sa.or_(drafts.c.filed_version.is_(None), drafts.c.filed_version != version),
            filed_version=version,
        )
        return updated == 1

    async def release_filing(self, draft_id: str, version: int) -> None:
        """Undo a claim whose filing was refused, so the draft can be filed once fixed."""
        await self._db.update(
            drafts, drafts.c.id == draft_id, drafts.c.filed_version == version, filed_version=None
        )

    async def for_story(self, story_id: str) -> Draft | None:
        """Return the draft that edits a published story, if any (spiked ones excepted)."""
        async with self._db.read() as conn:
            row = (
                (
                    await conn.execute(
                        sa.select(drafts)
                        .where(
                            drafts.c.story_id == story_id,
                            drafts.c.status != DraftStatus.SPIKED.value,
                        )
                        .order_by(drafts.c.changed_at.desc())
                        .limit(1)
                    )
                )
                .mappings()
                .first()
            )
        return _draft(row) if row else None

    async def for_stories(self, story_ids: Sequence[str]) -> dict[str, Draft]:
        """Return the drafts that edit these stories, by story id (one query for a page)."""
        if not story_ids:
            return {}
        query = (
            sa.select(drafts)
            .where(
                drafts.c.story_id.in_(list(story_ids)),
                drafts.c.status != DraftStatus.SPIKED.value,
            )
            .order_by(drafts.c.changed_at)
        )
        async with self._db.read() as conn:
            found = [_draft(row) for row in (await conn.execute(query)).mappings()]
        return {draft.story_id: draft for draft in found if draft.story_id}  # the latest wins

    async def with_status(
        self,
        status: DraftStatus,
        limit: int,
        author_id: str | None = None,
        desk: str | None = None,
    ) -> list[Draft]:
        """Return drafts in a status (of one author, on one desk), most urgent then latest first."""
        query = sa.select(drafts).where(drafts.c.status == status.value)
        if author_id is not None:
            query = query.where(drafts.c.author_id == author_id)
        if desk is not None:
            query = query.where(drafts.c.desk == desk)
        query = query.order_by(drafts.c.urgency, drafts.c.changed_at.desc()).limit(limit)
        return [_draft(row) for row in await self._db.fetch_all(query)]

    async def changed_since(self, since: datetime) -> list[Draft]:
        """Return drafts saved, moved or locked after `since` (the board's live updates)."""
        query = (
            sa.select(drafts)
            .where(drafts.c.changed_at > db_time(since))
            .order_by(drafts.c.changed_at)
            .limit(500)
        )
        return [_draft(row) for row in await self._db.fetch_all(query)]

    async def add_history(self, draft_id: str, entry: HistoryEntry) -> None:
        """Append one entry to a draft's history."""
        for attempt in range(_HISTORY_ATTEMPTS):
            try:
                async with self._db.write() as conn:
                    last = await conn.scalar(
                        sa.select(sa.func.max(draft_history.c.position)).where(
                            draft_history.c.draft_id == draft_id
                        )
                    )
                    await conn.execute(
                        draft_history.insert().values(
                            draft_id=draft_id,
                            position=(last or 0) + 1,
                            at=db_time(entry.at),
                            action=entry.action,
                            person_id=entry.person_id,
                            person_name=entry.person_name,
                            detail=entry.detail,
                        )
                    )
                return
            except IntegrityError:  # two nodes appended at once: take the next position
                if attempt == _HISTORY_ATTEMPTS - 1:
                    raise

    async def history(self, draft_id: str) -> list[HistoryEntry]:
        """Return a draft's history, oldest first."""
        query = (
            sa.select(draft_history)
            .where(draft_history.c.draft_id == draft_id)
            .order_by(draft_history.c.position)
        )
        async with self._db.read() as conn:
            return [
                HistoryEntry(
                    py_time(row["at"]),
                    row["action"],
                    row["person_id"],
                    row["person_name"],
                    row["detail"],
                )
                for row in (await conn.execute(query)).mappings()
            ]
