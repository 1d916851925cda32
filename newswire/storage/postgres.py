"""The distributed storage: PostgreSQL through asyncpg, shared by every node.

The SQL is `sql.py`'s; this module only says how to connect and what
PostgreSQL does differently. Writers are serialized where it matters by the
row lock on `log_counter` (taken by `UPDATE ... RETURNING` and held until
commit), so sequence numbers are handed out in commit order and stay gapless
across any number of nodes. Migrations take an advisory lock so several nodes
starting at once apply each migration exactly once. Text search uses
PostgreSQL's full-text search with the 'simple' configuration, which works
for every language because it neither stems nor drops stop words.

A `schema=NAME` query parameter in the URL puts newswire's tables in that
schema (the tests give each test its own); every other parameter is asyncpg's.
"""

from __future__ import annotations

import re
import zlib
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from newswire.models.public import PublicStory
from newswire.models.stories import Event, EventType, StoryVersion
from newswire.search.folding import words as folded_words
from newswire.storage.base import VersionConflict
from newswire.storage.sql import SQLStorage
from newswire.storage.tables import public_stories
from newswire.storage.text_index import PostgresTextIndex

CONNECT_TIMEOUT_SECONDS = 5.0
COMMAND_TIMEOUT_SECONDS = 30.0
POOL_SIZE = 10
POOL_OVERFLOW = 10

# Words as PostgreSQL's parser sees them, in any script.


def engine_url(url: str) -> tuple[str, str | None]:
    """Return the SQLAlchemy asyncpg URL for a postgresql:// URL and the schema it names."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    schema = query.pop("schema", None)
    if schema is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", schema):
        raise ValueError(f"invalid schema name {schema!r} in database URL")
    scheme = "postgresql+asyncpg"
    return urlunsplit((scheme, parts.netloc, parts.path, urlencode(query), "")), schema


def search_document() -> sa.ColumnElement[Any]:
    """Return the tsvector expression the GIN index of migration 8 is built on."""
    # Literals, not bound parameters: the planner uses the expression index only
    # when the query's expression is the same as the index's.
    return sa.func.to_tsvector(sa.literal_column("'simple'"), public_stories.c.search_words)


class PostgresStorage(SQLStorage):
    """Storage in PostgreSQL: the backend for several nodes on several machines."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        sa_url, schema = engine_url(url)
        server_settings = {"application_name": "newswire"}
        if schema:
            server_settings["search_path"] = schema
        engine = create_async_engine(
            sa_url,
            pool_size=POOL_SIZE,
            max_overflow=POOL_OVERFLOW,
            # A connection broken by a database restart is noticed and replaced
            # before use, so the first request after an outage does not fail.
            pool_pre_ping=True,
            pool_recycle=1800,
            connect_args={
                "timeout": CONNECT_TIMEOUT_SECONDS,
                "command_timeout": COMMAND_TIMEOUT_SECONDS,
                "server_settings": server_settings,
            },
        )
        super().__init__(engine, engine)
        self.schema = schema
        self._text_index = PostgresTextIndex()

    async def _lock_for_migrations(self, conn: AsyncConnection) -> None:
        """Wait for other nodes' migrations; the lock is released at commit."""
        key = zlib.crc32(f"newswire-migrations:{self.schema or ''}".encode())
        await conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})

    async def migrate(self) -> list[int]:
        """Apply pending migrations; safe when several nodes start at the same moment."""
        # Two concurrent `CREATE TABLE IF NOT EXISTS` can both try to create the
        # table on PostgreSQL; create the bookkeeping table under the lock first.
        async with self._write() as conn:
            await self._lock_for_migrations(conn)
            await conn.execute(
                sa.text(
                    "CREATE TABLE IF NOT EXISTS schema_migrations ("
                    "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
                )
            )
        return await super().migrate()

    async def save_story_version(
        self, story: StoryVersion, event_type: EventType, public: PublicStory | None
    ) -> Event:
        """Save as SQLStorage does; a concurrent first version on another node is a conflict."""
        try:
            return await super().save_story_version(story, event_type, public)
        except IntegrityError as error:
            # Two nodes filing version 1 of the same story (or guid) at once: the
            # loser's transaction rolled back whole, exactly like a version conflict.
            raise VersionConflict(f"story {story.story_id} was filed concurrently") from error

    def _text_match(self, text: str) -> sa.ColumnElement[bool]:
        """Match stories whose headline or summary has words starting with each given word."""
        words = folded_words(text)
        if not words:
            return sa.true()
        # Prefix terms (`word:*`) keep "budg" finding "budget", as LIKE does on SQLite.
        tsquery = " & ".join(f"'{word}':*" for word in words)
        return search_document().bool_op("@@")(
            sa.func.to_tsquery(sa.literal_column("'simple'"), tsquery)
        )
