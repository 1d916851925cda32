"""One database as the runtime holds it: its role stores over one set of connections.

The stores are written once in SQLAlchemy Core for both dialects; the
connections (`sqlite.py`, `postgres.py`) say what differs: how to connect,
how writers are serialized, how migrations are locked and which text index
the engine has.
"""

from __future__ import annotations

from newswire.models.clock import Clock
from newswire.storage.archive import SQLArchiveStore
from newswire.storage.connections import Connections
from newswire.storage.credentials import SQLCredentialStore
from newswire.storage.desk_config import SQLDeskConfigStore
from newswire.storage.drafts import SQLDraftStore
from newswire.storage.embargoes import SQLEmbargoStore
from newswire.storage.feed_urls import SQLFeedUrlStore
from newswire.storage.idempotency import SQLIdempotencyStore
from newswire.storage.log import SQLLogStore
from newswire.storage.media import SQLMediaStore
from newswire.storage.migrations import apply_migrations
from newswire.storage.outbox import SQLOutboxStore
from newswire.storage.people import SQLPeopleStore
from newswire.storage.portal import SQLPortalStore
from newswire.storage.principals import SQLPrincipalStore
from newswire.storage.public import SQLPublicStore
from newswire.storage.sessions import SQLSessionStore
from newswire.storage.stories import SQLStoryStore
from newswire.storage.story_list import SQLStoryListing
from newswire.storage.throttle import SQLSignInFailureStore
from newswire.storage.usage import SQLUsageStore
from newswire.storage.webhooks import SQLWebhookStore


class SQLStorage:
    """Every role store of one SQL database, sharing its connections."""

    def __init__(self, connections: Connections, clock: Clock) -> None:
        self.connections = connections
        self.clock = clock
        self.dialect = connections.dialect
        self.log = SQLLogStore(connections)
        self.stories = SQLStoryStore(connections, clock)
        self.principals = SQLPrincipalStore(connections, clock)
        self.usage = SQLUsageStore(connections)
        self.public = SQLPublicStore(connections)
        self.archive = SQLArchiveStore(connections, clock)
        self.embargoes = SQLEmbargoStore(connections)
        self.webhooks = SQLWebhookStore(connections, clock)
        self.people = SQLPeopleStore(connections)
        self.credentials = SQLCredentialStore(connections)
        self.sessions = SQLSessionStore(connections)
        self.sign_in_failures = SQLSignInFailureStore(connections)
        self.outbox = SQLOutboxStore(connections)
        self.portal = SQLPortalStore(connections)
        self.feed_urls = SQLFeedUrlStore(connections)
        self.drafts = SQLDraftStore(connections)
        self.story_list = SQLStoryListing(connections)
        self.media = SQLMediaStore(connections, clock)
        self.idempotency = SQLIdempotencyStore(connections)
        self.desk_config = SQLDeskConfigStore(connections)

    async def migrate(self) -> list[int]:
        """Apply pending migrations, each with its data step in one transaction."""
        return await apply_migrations(self.connections, self.clock)

    async def ping(self) -> None:
        """Raise Unavailable when the database does not answer."""
        await self.connections.ping()

    async def close(self) -> None:
        """Release connections."""
        await self.connections.close()
