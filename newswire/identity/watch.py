"""The sessions watcher: ends people's live pages (SSE) the moment their session stops working.

A page that stays open (the desk's monitoring view, the portal's live wire)
registers its session here and gets an `asyncio.Event`, set when the session
ends: signed out (here or everywhere), expired, its person disabled or
removed, its company suspended or deleted. Like the access watcher of API
keys (`accounts/access.py`), and told by it:

* a change made on this node cuts at once (`cut_session`, `cut_person`, and
  `check_soon` when the access watcher cuts a principal, e.g. a suspended
  company);
* one task per process asks the database every `poll_seconds` which of the
  watched sessions still work (one query for all of them, only while there
  are any), so pages on other nodes end within that interval.
"""

from __future__ import annotations

import asyncio
import logging

from newswire.identity.policy import SessionPolicy
from newswire.jobs.supervisor import check_while_watching, pause
from newswire.models.clock import Clock
from newswire.storage.identity_interfaces import SessionStore

log = logging.getLogger("newswire.identity.watch")


class SessionWatcher:
    """Tells each live page when its session stops working."""

    def __init__(
        self, sessions: SessionStore, clock: Clock, policy: SessionPolicy, poll_seconds: float
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.policy = policy
        self.poll_seconds = poll_seconds
        # session id -> the events of its live pages; person id -> their watched sessions
        self._live: dict[str, set[asyncio.Event]] = {}
        self._people: dict[str, set[str]] = {}
        self._owner: dict[str, str] = {}
        self._wake = asyncio.Event()

    def watch(self, session_id: str, person_id: str) -> asyncio.Event:
        """Register a live page of a session; the event is set when the session ends."""
        ended = asyncio.Event()
        self._live.setdefault(session_id, set()).add(ended)
        self._people.setdefault(person_id, set()).add(session_id)
        self._owner[session_id] = person_id
        return ended

    def unwatch(self, session_id: str, ended: asyncio.Event) -> None:
        """Forget a live page that closed."""
        pages = self._live.get(session_id)
        if pages is None:
            return
        pages.discard(ended)
        if not pages:
            del self._live[session_id]
            person_id = self._owner.pop(session_id, "")
            sessions = self._people.get(person_id, set())
            sessions.discard(session_id)
            if not sessions:
                self._people.pop(person_id, None)

    @property
    def watched(self) -> int:
        """The number of live pages registered."""
        return sum(len(pages) for pages in self._live.values())

    def cut_session(self, session_id: str) -> int:
        """End the live pages of one session on this node; return how many were still open."""
        cut = 0
        for ended in self._live.get(session_id, set()):
            if not ended.is_set():
                ended.set()
                cut += 1
        return cut

    def cut_person(self, person_id: str) -> int:
        """End the live pages of every session of a person on this node; return how many."""
        return sum(self.cut_session(s) for s in list(self._people.get(person_id, ())))

    def check_soon(self, _principal_id: str = "") -> None:
        """Ask the watcher to check its sessions now (an account changed on this node)."""
        self._wake.set()

    async def check(self) -> int:
        """Ask the database which watched sessions still work; cut the others; return how many."""
        watched = list(self._live)
        if not watched:
            return 0
        idle_since, created_since = self.policy.fresh_after(self.clock())
        valid = await self.sessions.still_valid(watched, idle_since, created_since)
        return sum(self.cut_session(s) for s in watched if s not in valid)

    async def run(self, stop: asyncio.Event) -> None:
        """Check the watched sessions every poll interval, or at once when woken, until stop."""
        await check_while_watching(
            stop,
            wait=self._wait,
            watching=lambda: bool(self._live),
            check=self.check,
            # the database is down: pages stay open meanwhile
            failed=lambda error: log.warning("could not check sessions: %r", error),
        )

    async def _wait(self) -> None:
        await pause(self._wake, self.poll_seconds)
        self._wake.clear()
