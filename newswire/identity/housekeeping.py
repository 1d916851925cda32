"""The identity housekeeping job: forgets what expired (sessions, failure counts, old mail)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import timedelta

from newswire.identity.policy import SessionPolicy, ThrottlePolicy
from newswire.models.clock import Clock
from newswire.storage.identity_interfaces import OutboxStore, SessionStore, SignInFailureStore

log = logging.getLogger("newswire.identity.housekeeping")


@dataclass(eq=False)
class Housekeeping:
    """Deletes expired sessions and failure windows, and mail older than it must be kept."""

    sessions: SessionStore
    failures: SignInFailureStore
    outbox: OutboxStore
    clock: Clock
    session_policy: SessionPolicy
    throttle_policy: ThrottlePolicy
    keep_mail: timedelta
    interval_seconds: float = 3600.0

    async def sweep(self) -> tuple[int, int, int]:
        """Delete what expired once; return how many sessions, windows and messages went."""
        now = self.clock()
        idle_since, created_since = self.session_policy.fresh_after(now)
        sessions = await self.sessions.purge_sessions(idle_since, created_since)
        windows = await self.failures.purge_failures(now - self.throttle_policy.window)
        # A message's key suppresses duplicates for as long as the message is kept.
        mail = await self.outbox.purge_mail(now - self.keep_mail)
        return sessions, windows, mail

    async def run(self, stop: asyncio.Event) -> None:
        """Sweep every interval until stop is set."""
        while not stop.is_set():
            try:
                await self.sweep()
            except asyncio.CancelledError:
                raise
            except Exception as error:
                log.warning("identity housekeeping failed: %r", error)
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.interval_seconds):
                    await stop.wait()
