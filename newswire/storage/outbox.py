"""The mail outbox: messages waiting to be sent, leased by one sender at a time, and their fate.

A message is one row per address and idempotency key (a unique index), so
queueing the same message again changes nothing and it goes out once. A
sender takes a lease on due messages with an UPDATE that succeeds only when
no other sender holds them, and every later change is conditioned on still
holding it, as the webhook dispatcher does with endpoints.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from newswire.models.mail import MailStatus, OutgoingMail, QueuedMail
from newswire.storage import rows
from newswire.storage.connections import Connections
from newswire.storage.leases import claim, free_and_due
from newswire.storage.tables import mail_outbox

_FREE = ""  # lease_until of a message nobody holds; sorts before every time


# The column that keeps each field of an OutgoingMail.
_MAIL_COLUMNS = {
    "to": "recipient",
    "subject": "subject",
    "text": "text_body",
    "key": "idempotency_key",
    "html": "html_body",
}


def _queued(row: Mapping[Any, Any]) -> QueuedMail:
    mail = OutgoingMail(**{field: row[column] for field, column in _MAIL_COLUMNS.items()})
    return rows.from_row(QueuedMail, row, mail=mail)


class SQLOutboxStore:
    """Messages to send: queue once, lease, then sent, retry later, or failed."""

    def __init__(self, db: Connections) -> None:
        self._db = db

    async def enqueue(self, mail: OutgoingMail, now: datetime) -> tuple[QueuedMail, bool]:
        """Queue a message unless one with its address and key is queued or sent already.

        Returns the message in the outbox and whether this call queued it.
        """
        at = rows.db_time(now)
        async with self._db.write() as conn:
            insert = self._db.upsert(mail_outbox).values(
                **{column: getattr(mail, field) for field, column in _MAIL_COLUMNS.items()},
                id=secrets.token_hex(12),
                status=MailStatus.QUEUED.value,
                attempts=0,
                next_attempt_at=at,
                lease_until=_FREE,
                last_error="",
                created_at=at,
            )
            result = await conn.execute(
                insert.on_conflict_do_nothing(index_elements=["recipient", "idempotency_key"])
            )
            row = (
                (
                    await conn.execute(
                        sa.select(mail_outbox).where(
                            mail_outbox.c.recipient == mail.to,
                            mail_outbox.c.idempotency_key == mail.key,
                        )
                    )
                )
                .mappings()
                .one()
            )
        return _queued(row), bool(result.rowcount)

    async def lease_due(
        self, worker: str, now: datetime, until: datetime, limit: int
    ) -> list[QueuedMail]:
        """Take the lease on up to `limit` queued messages that are due, oldest first."""
        free = free_and_due(mail_outbox, now, mail_outbox.c.status == MailStatus.QUEUED.value)
        async with self._db.write() as conn:
            candidates = (
                sa.select(mail_outbox.c.id)
                .where(free)
                .order_by(mail_outbox.c.next_attempt_at, mail_outbox.c.created_at)
                .limit(limit)
            )
            taken = await claim(conn, mail_outbox, candidates, free, worker, until)
            found = await conn.execute(sa.select(mail_outbox).where(mail_outbox.c.id.in_(taken)))
            by_id = {row["id"]: _queued(row) for row in found.mappings()}
        return [by_id[mail_id] for mail_id in taken]

    async def _finish(self, mail_id: str, worker: str, **values: Any) -> bool:
        updated = await self._db.update(
            mail_outbox,
            mail_outbox.c.id == mail_id,
            mail_outbox.c.leased_by == worker,
            mail_outbox.c.status == MailStatus.QUEUED.value,
            leased_by=None,
            lease_until=_FREE,
            **values,
        )
        return updated > 0

    async def mark_sent(self, mail_id: str, worker: str, now: datetime) -> bool:
        """Record that the server accepted a message; return whether this worker held it."""
        return await self._finish(
            mail_id,
            worker,
            status=MailStatus.SENT.value,
            sent_at=rows.db_time(now),
            attempts=mail_outbox.c.attempts + 1,
            last_error="",
        )

    async def schedule_retry(self, mail_id: str, worker: str, at: datetime, error: str) -> bool:
        """Put a message back in the queue until `at`, with the reason it did not go."""
        return await self._finish(
            mail_id,
            worker,
            next_attempt_at=rows.db_time(at),
            attempts=mail_outbox.c.attempts + 1,
            last_error=error[:1000],
        )

    async def mark_failed(self, mail_id: str, worker: str, error: str) -> bool:
        """Record that the server refused a message for good; it stays, with the reason."""
        return await self._finish(
            mail_id,
            worker,
            status=MailStatus.FAILED.value,
            attempts=mail_outbox.c.attempts + 1,
            last_error=error[:1000],
        )

    async def messages(self, status: MailStatus | None, limit: int) -> list[QueuedMail]:
        """Return the newest messages in the outbox, of one status or all."""
        query = sa.select(mail_outbox).order_by(mail_outbox.c.created_at.desc()).limit(limit)
        if status is not None:
            query = query.where(mail_outbox.c.status == status.value)
        return [_queued(row) for row in await self._db.fetch_all(query)]

    async def next_due(self) -> datetime | None:
        """Return when the next queued message is due (None when nothing waits)."""
        async with self._db.read() as conn:
            due = await conn.scalar(
                sa.select(sa.func.min(mail_outbox.c.next_attempt_at)).where(
                    mail_outbox.c.status == MailStatus.QUEUED.value
                )
            )
        return rows.py_time(due) if due else None

    async def purge_mail(self, sent_before: datetime) -> int:
        """Delete messages sent or failed before a time (their key may then be used again)."""
        return await self._db.delete(
            mail_outbox,
            mail_outbox.c.status != MailStatus.QUEUED.value,
            mail_outbox.c.created_at < rows.db_time(sent_before),
        )
