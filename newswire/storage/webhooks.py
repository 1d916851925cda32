"""Webhook endpoints, their delivery state and leases, and delivery attempts.

A worker owns an endpoint while its lease runs: it takes the lease with an
UPDATE that only succeeds when the previous lease has expired, and every
later state change is conditioned on still holding it. So several workers
(processes, nodes) can run the dispatcher and each endpoint is served by one
at a time, in order.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from newswire.models.clock import Clock
from newswire.models.webhooks import DeliveryAttempt, EndpointStatus, WebhookEndpoint
from newswire.storage import rows
from newswire.storage.connections import Connections
from newswire.storage.leases import claim, free_and_due
from newswire.storage.tables import log_counter, principals, webhook_attempts, webhook_endpoints

_FREE = ""  # lease_until of an endpoint nobody holds; sorts before every time


def _endpoint(row: Mapping[Any, Any]) -> WebhookEndpoint:
    return rows.from_row(WebhookEndpoint, row, cursor=int(row["cursor_seq"]))


def _held_by(endpoint_id: str, worker: str) -> sa.ColumnElement[bool]:
    return sa.and_(webhook_endpoints.c.id == endpoint_id, webhook_endpoints.c.leased_by == worker)


def _owner_active() -> sa.ColumnElement[bool]:
    # A suspended, revoked or deleted subscriber's endpoints are neither leased
    # nor renewed: delivery stops, and carries on from the cursor on resume.
    active = sa.select(principals.c.id).where(
        principals.c.revoked_at.is_(None),
        principals.c.suspended_at.is_(None),
        principals.c.deleted_at.is_(None),
    )
    return webhook_endpoints.c.principal_id.in_(active)


class SQLWebhookStore:
    """Webhook endpoints, their delivery cursors and leases, and delivery attempts."""

    def __init__(self, db: Connections, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    async def create_endpoint(
        self, principal_id: str, url: str, description: str, secret: str, cursor: int
    ) -> WebhookEndpoint:
        """Store a new active endpoint that starts delivering after `cursor`."""
        now = rows.db_time(self._clock())
        values = {
            "id": "wh_" + secrets.token_hex(8),
            "principal_id": principal_id,
            "url": url,
            "description": description,
            "secret": secret,
            "status": EndpointStatus.ACTIVE.value,
            "status_reason": "",
            "cursor_seq": cursor,
            "attempt": 0,
            "next_attempt_at": now,
            "lease_until": _FREE,
            "created_at": now,
        }
        async with self._db.write() as conn:
            await conn.execute(webhook_endpoints.insert().values(**values))
        endpoint = await self.endpoint(str(values["id"]))
        assert endpoint is not None
        return endpoint

    async def endpoint(self, endpoint_id: str) -> WebhookEndpoint | None:
        """Return an endpoint by id."""
        row = await self._db.fetch_one(
            sa.select(webhook_endpoints).where(webhook_endpoints.c.id == endpoint_id)
        )
        return _endpoint(row) if row else None

    async def endpoints_of(self, principal_id: str) -> list[WebhookEndpoint]:
        """Return a principal's endpoints, oldest first."""
        found = await self._db.fetch_all(
            rows.oldest_first(webhook_endpoints, webhook_endpoints.c.principal_id == principal_id)
        )
        return [_endpoint(row) for row in found]

    async def delete_endpoint(self, endpoint_id: str) -> bool:
        """Delete an endpoint and its attempts; return whether it existed."""
        async with self._db.write() as conn:
            await conn.execute(
                webhook_attempts.delete().where(webhook_attempts.c.endpoint_id == endpoint_id)
            )
            result = await conn.execute(
                webhook_endpoints.delete().where(webhook_endpoints.c.id == endpoint_id)
            )
        return bool(result.rowcount)

    async def rotate_secret(
        self, endpoint_id: str, secret: str, previous_until: datetime
    ) -> WebhookEndpoint | None:
        """Make `secret` the signing secret; the old one keeps signing until previous_until."""
        await self._db.update(
            webhook_endpoints,
            webhook_endpoints.c.id == endpoint_id,
            previous_secret=webhook_endpoints.c.secret,
            previous_secret_until=rows.db_time(previous_until),
            secret=secret,
        )
        return await self.endpoint(endpoint_id)

    async def restart_endpoint(
        self, endpoint_id: str, cursor: int | None
    ) -> WebhookEndpoint | None:
        """Make an endpoint active and due now, optionally from a new cursor (replay).

        Any lease is broken, so a worker mid-delivery loses its claim and
        cannot move the cursor back over the new one.
        """
        values: dict[str, Any] = {
            "status": EndpointStatus.ACTIVE.value,
            "status_reason": "",
            "attempt": 0,
            "next_attempt_at": rows.db_time(self._clock()),
            "leased_by": None,
            "lease_until": _FREE,
        }
        if cursor is not None:
            values["cursor_seq"] = cursor
        await self._db.update(webhook_endpoints, webhook_endpoints.c.id == endpoint_id, **values)
        return await self.endpoint(endpoint_id)

    async def lease_due(
        self, worker: str, now: datetime, until: datetime, limit: int
    ) -> list[WebhookEndpoint]:
        """Take the lease on up to `limit` active endpoints that are due and have news."""
        free = free_and_due(
            webhook_endpoints,
            now,
            webhook_endpoints.c.status == EndpointStatus.ACTIVE.value,
            _owner_active(),
        )
        async with self._db.write() as conn:
            last_seq = await conn.scalar(sa.select(log_counter.c.last_seq))
            candidates = (
                sa.select(webhook_endpoints.c.id)
                .where(free, webhook_endpoints.c.cursor_seq < int(last_seq or 0))
                .order_by(webhook_endpoints.c.next_attempt_at)
                .limit(limit)
            )
            taken = await claim(conn, webhook_endpoints, candidates, free, worker, until)
        endpoints = [await self.endpoint(endpoint_id) for endpoint_id in taken]
        return [endpoint for endpoint in endpoints if endpoint is not None]

    async def advance_cursor(
        self,
        endpoint_id: str,
        worker: str,
        cursor: int,
        lease_until: datetime,
        attempt: DeliveryAttempt | None = None,
    ) -> bool:
        """Record that everything up to `cursor` is done; extend the lease. False: lease lost.

        With `attempt`, the successful attempt is recorded in the same transaction
        (one commit per delivery instead of two: the single SQLite writer is the
        bottleneck of webhook throughput).
        """
        async with self._db.write() as conn:
            if attempt is not None:
                await _insert_attempt(conn, attempt)
            result = await conn.execute(
                webhook_endpoints.update()
                .where(_held_by(endpoint_id, worker))
                .values(cursor_seq=cursor, attempt=0, lease_until=rows.db_time(lease_until))
            )
        return bool(result.rowcount)

    async def renew_lease(self, endpoint_id: str, worker: str, until: datetime) -> bool:
        """Extend a lease this worker holds. False: lost, gone, or its subscriber suspended."""
        updated = await self._db.update(
            webhook_endpoints,
            _held_by(endpoint_id, worker),
            _owner_active(),
            lease_until=rows.db_time(until),
        )
        return updated > 0

    async def holds_lease(self, endpoint_id: str, worker: str, now: datetime) -> bool:
        """Tell, without writing, whether this worker still holds an unexpired lease.

        False when the lease was broken (re-enabled, replayed, deleted) or the
        subscriber is no longer active, exactly as renew_webhook_lease would say.
        """
        async with self._db.read() as conn:
            held = await conn.scalar(
                sa.select(webhook_endpoints.c.id).where(
                    _held_by(endpoint_id, worker),
                    _owner_active(),
                    webhook_endpoints.c.lease_until > rows.db_time(now),
                )
            )
        return held is not None

    async def schedule_retry(
        self, endpoint_id: str, worker: str, attempt: int, at: datetime, lease_until: datetime
    ) -> bool:
        """Record a failed attempt count and when to try again. False: lease lost.

        The lease runs until the retry is due, so if this worker dies another
        takes over exactly when the retry was to happen.
        """
        updated = await self._db.update(
            webhook_endpoints,
            _held_by(endpoint_id, worker),
            attempt=attempt,
            next_attempt_at=rows.db_time(at),
            lease_until=rows.db_time(lease_until),
        )
        return updated > 0

    async def pause_endpoint(
        self, endpoint_id: str, worker: str, status: EndpointStatus, reason: str
    ) -> bool:
        """Mark an endpoint failing or disabled and release it. False: lease lost."""
        updated = await self._db.update(
            webhook_endpoints,
            _held_by(endpoint_id, worker),
            status=status.value,
            status_reason=reason,
            leased_by=None,
            lease_until=_FREE,
        )
        return updated > 0

    async def delivery_cursors(self) -> dict[str, int]:
        """Return each subscriber's webhook delivery cursor (its slowest endpoint's), by id."""
        async with self._db.read() as conn:
            result = await conn.execute(
                sa.select(
                    webhook_endpoints.c.principal_id, sa.func.min(webhook_endpoints.c.cursor_seq)
                )
                .where(webhook_endpoints.c.status != EndpointStatus.DISABLED.value)
                .group_by(webhook_endpoints.c.principal_id)
            )
            return {str(principal): int(cursor) for principal, cursor in result.all()}

    async def release_endpoint(self, endpoint_id: str, worker: str) -> None:
        """Give up the lease on an endpoint (if still held)."""
        await self._db.update(
            webhook_endpoints, _held_by(endpoint_id, worker), leased_by=None, lease_until=_FREE
        )

    async def disable_endpoint(self, endpoint_id: str, reason: str) -> bool:
        """Stop delivering to an endpoint (whoever holds it) until it is enabled; False: none.

        A task holding the lease finds its next write refused (the lease is gone).
        """
        updated = await self._db.update(
            webhook_endpoints,
            webhook_endpoints.c.id == endpoint_id,
            status=EndpointStatus.DISABLED.value,
            status_reason=reason,
            leased_by=None,
            lease_until=_FREE,
        )
        return updated > 0

    async def add_attempt(self, attempt: DeliveryAttempt) -> None:
        """Record one delivery attempt."""
        async with self._db.write() as conn:
            await _insert_attempt(conn, attempt)

    async def attempts(self, endpoint_id: str, limit: int) -> list[DeliveryAttempt]:
        """Return an endpoint's latest attempts, newest first."""
        found = await self._db.fetch_all(
            sa.select(webhook_attempts)
            .where(webhook_attempts.c.endpoint_id == endpoint_id)
            .order_by(
                webhook_attempts.c.created_at.desc(),
                webhook_attempts.c.seq.desc(),
                webhook_attempts.c.attempt.desc(),
            )
            .limit(limit)
        )
        return [rows.from_row(DeliveryAttempt, row) for row in found]


async def _insert_attempt(conn: AsyncConnection, attempt: DeliveryAttempt) -> None:
    await conn.execute(
        webhook_attempts.insert().values(rows.row_values(attempt, id=secrets.token_hex(10)))
    )
