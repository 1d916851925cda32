"""The running system's parts, built once from settings and handed to whoever needs them."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from newswire.accounts.access import AccessWatcher
from newswire.accounts.quotas import Quotas
from newswire.accounts.ratelimits import RateLimiter
from newswire.accounts.usage import UsageRecorder
from newswire.bus import Bus, open_bus
from newswire.delivery.formats import Agency
from newswire.delivery.reader import LogReader
from newswire.models.clock import utcnow
from newswire.models.principals import Principal, Role
from newswire.newsroom.filing import Wire
from newswire.search.beats import Beat
from newswire.settings import Settings
from newswire.storage import Storage, open_storage

log = logging.getLogger("newswire.runtime")


@dataclass
class Runtime:
    """Storage, bus, the newsroom service and the settings of one process."""

    settings: Settings
    storage: Storage
    bus: Bus
    agency: Agency
    admin_token: str
    run_jobs: bool = False
    # The time usage and quotas go by; tests move it to another day.
    clock: Callable[[], datetime] = utcnow
    wire: Wire = field(init=False)
    usage: UsageRecorder = field(init=False)
    quotas: Quotas = field(init=False)
    limiter: RateLimiter = field(init=False)
    access: AccessWatcher = field(init=False)
    _stop: asyncio.Event = field(init=False, default_factory=asyncio.Event)
    _tasks: list[asyncio.Task[None]] = field(init=False, default_factory=list)

    def __post_init__(self) -> None:
        self.wire = Wire(self.storage, self.bus, self.settings, self.agency.code)
        settings = self.settings

        def now() -> datetime:
            return self.clock()  # looked up each time, so a test can replace the clock

        self.usage = UsageRecorder(
            self.storage, now, settings.usage_flush_seconds, settings.usage_flush_rows
        )
        self.quotas = Quotas(self.storage, self.usage, now, settings.quota_refresh_seconds)
        self.limiter = RateLimiter(
            {
                Role.SUBSCRIBER: settings.rate_limit_subscriber,
                Role.EDITOR: settings.rate_limit_editor,
                Role.ADMIN: settings.rate_limit_admin,
            }
        )
        self.access = AccessWatcher(self.storage, settings.access_poll_seconds)

    @classmethod
    def from_settings(cls, settings: Settings, run_jobs: bool = False) -> Runtime:
        """Open storage and bus as the settings say; generate an admin token when none is set."""
        return cls(
            run_jobs=run_jobs,
            settings=settings,
            storage=open_storage(settings.db),
            bus=open_bus(settings.bus),
            agency=Agency(name=settings.site_name),
            admin_token=settings.admin_token or "nwa_" + secrets.token_urlsafe(32),
        )

    def reader_for(self, principal: Principal, beat: Beat | None = None) -> LogReader:
        """Return a log reader that sees what the principal is entitled to (on a beat, if given)."""
        return LogReader(self.storage, self.bus, principal, beat=beat)

    async def start(self) -> None:
        """Migrate the database, connect the bus, and start background jobs if asked to."""
        from newswire.jobs.supervisor import start_jobs

        await self.storage.migrate()
        await self.bus.start()
        await self.bus.announce(await self.storage.last_seq())
        self._stop = asyncio.Event()
        if self.run_jobs:
            self._tasks = start_jobs(self, self._stop)
        self._tasks.append(asyncio.create_task(self.usage.run(self._stop), name="usage-recorder"))
        self._tasks.append(asyncio.create_task(self.access.run(self._stop), name="access-watcher"))
        # On a bus shared by several nodes, re-announce what a crash left unannounced.
        from newswire.bus.announcer import announce_log, needs_announcer

        if needs_announcer(self.bus):
            self._tasks.append(
                asyncio.create_task(
                    announce_log(self.storage, self.bus, self._stop), name="log-announcer"
                )
            )

    @contextlib.asynccontextmanager
    async def lifespan(self, _app: Any) -> AsyncIterator[None]:
        """Run the runtime for as long as an ASGI app serves (its lifespan)."""
        await self.start()
        try:
            yield
        finally:
            await self.stop()

    @property
    def stopping(self) -> asyncio.Event:
        """Set when the process shuts down; long-lived loops and streams watch it."""
        return self._stop

    async def stop(self) -> None:
        """Stop background jobs, disconnect the bus and close the database."""
        self._stop.set()
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._tasks = []
        try:
            await self.usage.flush()  # the records of the last interval
        except Exception as error:
            log.warning("usage records lost at shutdown (%d): %r", self.usage.pending, error)
        await self.bus.close()
        await self.storage.close()
