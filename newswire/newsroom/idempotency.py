"""Idempotent filing: a retry with the same Idempotency-Key gets the original answer.

The key is recorded by the transaction that files the version (see
`models/idempotency.py`); this service answers a retry from that record:
the same request gives back the version and event it filed, a different
request under the same key is refused (422). Keys are kept at least
`RETENTION` (24 h is the minimum the API promises; we keep a week).
"""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import timedelta

from newswire.jobs.supervisor import pause
from newswire.models.clock import Clock
from newswire.models.errors import Invalid, Malformed
from newswire.models.idempotency import IdempotencyKey
from newswire.models.stories import Event, EventType
from newswire.newsroom.filing import Filed
from newswire.storage.interfaces import IdempotencyStore, StoryStore

HEADER = "Idempotency-Key"
MAX_KEY = 255
RETENTION = timedelta(days=7)
PRUNE_SECONDS = 3600.0


def request_key(scope: str, key: str, parts: tuple[bytes, ...]) -> IdempotencyKey:
    """Return the key of a request: its caller, the key as sent and a digest of the request.

    Raises Malformed when the key is empty, longer than MAX_KEY or not printable ASCII.
    """
    if not 1 <= len(key) <= MAX_KEY or not all(" " <= char <= "~" for char in key):
        raise Malformed(
            f"an {HEADER} is 1 to {MAX_KEY} printable ASCII characters (a UUID, say)", HEADER
        )
    digest = hashlib.sha256()
    for part in parts:
        digest.update(len(part).to_bytes(8, "big") + part)
    return IdempotencyKey(scope, key, digest.hexdigest())


@dataclass(eq=False)
class Idempotency:
    """Answers retried filings from what their key recorded."""

    store: IdempotencyStore
    stories: StoryStore
    clock: Clock

    async def replay(self, key: IdempotencyKey) -> Filed | None:
        """Return what an earlier request with this key filed, or None if it filed nothing."""
        remembered = await self.store.recall(key.scope, key.key)
        if remembered is None:
            return None
        if remembered.fingerprint != key.fingerprint:
            raise Invalid(
                f"this {HEADER} was used for a different request; use a new key for a new one",
                HEADER,
            )
        story = await self.stories.version(remembered.story_id, remembered.version)
        if story is None:  # pragma: no cover - versions are never deleted
            return None
        event = Event(
            remembered.seq,
            EventType(remembered.event_type),
            remembered.story_id,
            remembered.version,
            story.version_created,
        )
        return Filed(story, event)

    async def forget_old(self) -> int:
        """Forget keys older than RETENTION; return how many."""
        return await self.store.forget_before(self.clock() - RETENTION)

    async def run(self, stop: asyncio.Event) -> None:
        """Forget old keys once an hour until stop is set (a background job)."""
        while not stop.is_set():
            await self.forget_old()
            await pause(stop, PRUNE_SECONDS)
