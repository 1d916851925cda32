"""The distributed storage: PostgreSQL through asyncpg, shared by every node.

The SQL is the stores' own; this module only says how to connect and what
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
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, create_async_engine

from newswire.storage.connections import Connections
from newswire.storage.text_index import PostgresTextIndex

CONNECT_TIMEOUT_SECONDS = 5.0
COMMAND_TIMEOUT_SECONDS = 30.0
POOL_SIZE = 10
POOL_OVERFLOW = 10


def engine_url(url: str) -> tuple[str, str | None]:
    """Return the SQLAlchemy asyncpg URL for a postgresql:// URL and the schema it names."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    schema = query.pop("schema", None)
    if schema is not None and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", schema):
        raise ValueError(f"invalid schema name {schema!r} in database URL")
    scheme = "postgresql+asyncpg"
    return urlunsplit((scheme, parts.netloc, parts.path, urlencode(query), "")), schema


class PostgresConnections(Connections):
    """Connections to PostgreSQL: the backend for several nodes on several machines."""

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
        super().__init__(engine, engine, PostgresTextIndex())
        self.schema = schema

    async def lock_for_migrations(self, conn: AsyncConnection) -> None:
        """Wait for other nodes' migrations; the lock is released at commit."""
        key = zlib.crc32(f"newswire-migrations:{self.schema or ''}".encode())
        await conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
