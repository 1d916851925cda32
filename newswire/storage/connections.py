"""The connections every store shares: one engine (or two), a read and a write transaction.

Each role store (`log.py`, `stories.py`, `principals.py`, ...) is handed the
same `Connections`, so all of them read and write one database through one
pool, and a write that spans several tables (a story version, its log event,
its public projection and its search entry) is one transaction. Dialects
subclass this (`sqlite.py`, `postgres.py`) to say how writers are serialized,
how migrations are locked and which text index the engine has.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from newswire.storage.errors import Unavailable
from newswire.storage.text_index import TextIndex


class Connections:
    """One database's engines and the transactions the stores run in."""

    dialect = "sql"

    def __init__(
        self, read_engine: AsyncEngine, write_engine: AsyncEngine, text_index: TextIndex
    ) -> None:
        self._read_engine = read_engine
        self._write_engine = write_engine
        self.text_index = text_index

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        """Open a write transaction; subclasses serialize writers as their engine needs."""
        with _unavailable_when_unreachable():
            async with self._write_engine.begin() as conn:
                yield conn

    @asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncConnection]:
        """Open a connection that reads the last committed state."""
        with _unavailable_when_unreachable():
            async with self._read_engine.connect() as conn:
                yield conn

    async def fetch_all(self, query: sa.Executable) -> list[sa.RowMapping]:
        """Run a query in a read and return its rows as mappings."""
        async with self.read() as conn:
            return list((await conn.execute(query)).mappings())

    async def fetch_one(self, query: sa.Executable) -> sa.RowMapping | None:
        """Run a query in a read and return its first row as a mapping, None when none."""
        async with self.read() as conn:
            return (await conn.execute(query)).mappings().first()

    async def delete(self, table: sa.Table, *where: sa.ColumnElement[bool]) -> int:
        """Delete the rows of a table that match, in a write of their own; return how many."""
        async with self.write() as conn:
            result = await conn.execute(table.delete().where(*where))
        return int(result.rowcount or 0)

    async def update(self, table: sa.Table, *where: sa.ColumnElement[bool], **values: Any) -> int:
        """Set values on the rows of a table that match, in a write of their own; say how many."""
        async with self.write() as conn:
            result = await conn.execute(table.update().where(*where).values(**values))
        return int(result.rowcount or 0)

    async def lock_for_migrations(self, conn: AsyncConnection) -> None:
        """Keep two processes from migrating at once (no-op where writes are serialized)."""

    def upsert(self, table: sa.Table) -> Any:
        """Return an INSERT with ON CONFLICT for this dialect (spelled alike, built apart)."""
        return (postgresql if self.dialect == "postgresql" else sqlite).insert(table)

    async def close(self) -> None:
        """Release connections."""
        await self._read_engine.dispose()
        if self._write_engine is not self._read_engine:
            await self._write_engine.dispose()

    async def ping(self) -> None:
        """Raise Unavailable when the database does not answer."""
        async with self.read() as conn:
            await conn.execute(sa.text("SELECT 1"))


@contextmanager
def _unavailable_when_unreachable() -> Iterator[None]:
    """Raise Unavailable for errors that mean the database could not be reached."""
    try:
        yield
    except (OperationalError, DBAPIError, OSError) as error:
        if is_connection_problem(error):
            raise Unavailable(str(error)) from error
        raise


def is_connection_problem(error: BaseException) -> bool:
    """Tell whether an error means the database could not be reached (not a bad query)."""
    if isinstance(error, OSError):
        return True
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    text = str(error).lower()
    return any(
        marker in text
        for marker in (
            "connection refused",
            "could not connect",
            "connection is closed",
            "unable to open database",
            "terminating connection",
            "connection was closed",
            # asyncpg: CannotConnectNowError while PostgreSQL starts, stops or recovers
            "the database system is",
            "cannotconnectnow",
        )
    )
