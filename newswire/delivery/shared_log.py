"""The log reads of a process's live connections, coalesced: identical reads in flight run once."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence

from newswire.models.stories import LogEntry
from newswire.storage.interfaces import LogReads


class SharedLog:
    """The log reads of many connections, coalesced: identical reads in flight run once.

    When an event is announced, every connection wakes and asks for the same
    page after the same cursor (and the same story history); one query
    answers all of them. Only reads in flight are shared, so nothing is kept
    and nothing goes stale.
    """

    def __init__(self, log: LogReads) -> None:
        self.log = log
        self._inflight: dict[tuple[object, ...], asyncio.Future[list[LogEntry]]] = {}

    async def _once(
        self, key: tuple[object, ...], read: Callable[[], Awaitable[list[LogEntry]]]
    ) -> list[LogEntry]:
        future = self._inflight.get(key)
        if future is None:
            future = asyncio.ensure_future(read())
            self._inflight[key] = future
            future.add_done_callback(lambda _done: self._inflight.pop(key, None))
        # Shielded: one waiter leaving must not cancel the read for the others.
        return await asyncio.shield(future)

    async def entries_after(self, seq: int, limit: int) -> list[LogEntry]:
        """Return up to limit log entries after seq (shared with identical reads in flight)."""
        return await self._once(("after", seq, limit), lambda: self.log.entries_after(seq, limit))

    async def entries_for_story(self, story_id: str, before_seq: int) -> list[LogEntry]:
        """Return a story's log entries before a seq (shared with identical reads in flight)."""
        return await self._once(
            ("story", story_id, before_seq),
            lambda: self.log.entries_for_story(story_id, before_seq),
        )

    async def entries_for_stories(
        self, story_ids: Sequence[str], before_seq: int
    ) -> list[LogEntry]:
        """Return stories' log entries before a seq (shared with identical reads in flight)."""
        ids = tuple(story_ids)
        return await self._once(
            ("stories", ids, before_seq),
            lambda: self.log.entries_for_stories(ids, before_seq),
        )
