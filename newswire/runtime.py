"""The running system's parts, built once from settings and handed to whoever needs them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from newswire.bus import Bus, open_bus
from newswire.formats import Agency
from newswire.models import Principal
from newswire.reader import LogReader
from newswire.settings import Settings
from newswire.storage import Storage, open_storage
from newswire.wire import Wire


@dataclass
class Runtime:
    """Storage, bus, the newsroom service and the settings of one process."""

    settings: Settings
    storage: Storage
    bus: Bus
    agency: Agency
    admin_token: str
    wire: Wire = field(init=False)

    def __post_init__(self) -> None:
        self.wire = Wire(self.storage, self.bus, self.settings, self.agency.code)

    @classmethod
    def from_settings(cls, settings: Settings) -> Runtime:
        """Open storage and bus as the settings say; generate an admin token when none is set."""
        return cls(
            settings=settings,
            storage=open_storage(settings.db),
            bus=open_bus(settings.bus),
            agency=Agency(name=settings.site_name),
            admin_token=settings.admin_token or "nwa_" + secrets.token_urlsafe(32),
        )

    def reader_for(self, principal: Principal) -> LogReader:
        """Return a log reader that sees what the principal is entitled to."""
        return LogReader(self.storage, self.bus, principal)

    async def start(self) -> None:
        """Migrate the database and connect the bus."""
        await self.storage.migrate()
        await self.bus.start()
        await self.bus.announce(await self.storage.last_seq())

    async def stop(self) -> None:
        """Disconnect the bus and close the database."""
        await self.bus.close()
        await self.storage.close()
