"""The embedded storage: one SQLite file in WAL mode, one writer, concurrent readers.

As in datasette, every write goes through a single connection, one at a time,
inside `BEGIN IMMEDIATE` (so a second process waits for the lock instead of
failing half-way); reads use a small pool and see the last committed state.
`synchronous=FULL` makes a commit durable before the editor is answered, so
an acknowledged story survives `kill -9` and power loss.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import AsyncAdaptedQueuePool

from newswire.storage.connections import Connections
from newswire.storage.text_index import FTS5Index

BUSY_TIMEOUT_MS = 10_000


def _on_connect(dbapi_connection: Any, _record: Any) -> None:
    # Manage transactions ourselves (see _on_begin); the driver's implicit
    # BEGIN would make every write a deferred one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.close()


def _engine(url: str, pool_size: int, immediate: bool) -> AsyncEngine:
    engine = create_async_engine(
        url, poolclass=AsyncAdaptedQueuePool, pool_size=pool_size, max_overflow=0
    )
    event.listen(engine.sync_engine, "connect", _on_connect)
    begin = "BEGIN IMMEDIATE" if immediate else "BEGIN"
    event.listen(engine.sync_engine, "begin", lambda conn: conn.exec_driver_sql(begin))
    return engine


class SQLiteConnections(Connections):
    """Connections to one SQLite file: the embedded default."""

    dialect = "sqlite"

    def __init__(self, path: str) -> None:
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite+aiosqlite:///{path}"
        super().__init__(
            _engine(url, pool_size=4, immediate=False), _engine(url, 1, True), FTS5Index()
        )
        self.path = path
        self._writer = asyncio.Lock()

    @asynccontextmanager
    async def write(self) -> AsyncIterator[AsyncConnection]:
        # One writer in this process; BEGIN IMMEDIATE and busy_timeout order us
        # with writers in other processes (a worker beside the server).
        async with self._writer, super().write() as conn:
            yield conn
