"""Where newswire keeps stories, the log, principals and delivery state.

`open_storage` picks the dialect from the database URL; the interfaces are
in `interfaces.py`, one SQL implementation of them in the other modules.
"""

from __future__ import annotations

from newswire.models.clock import Clock, SystemClock
from newswire.storage.errors import StorageError, Unavailable, VersionConflict
from newswire.storage.interfaces import Storage
from newswire.storage.sql import SQLStorage


def open_storage(url: str, clock: Clock | None = None) -> SQLStorage:
    """Return the storage for a database URL: sqlite:///PATH or postgresql://..."""
    clock = clock or SystemClock()
    if url.startswith("sqlite:///"):
        from newswire.storage.sqlite import SQLiteConnections

        return SQLStorage(SQLiteConnections(url.removeprefix("sqlite:///")), clock)
    if url.startswith(("postgresql://", "postgres://", "postgresql+asyncpg://")):
        from newswire.storage.postgres import PostgresConnections

        return SQLStorage(PostgresConnections(url), clock)
    raise ValueError(f"unsupported database URL {url!r}: use sqlite:///PATH or postgresql://...")


__all__ = ["Storage", "StorageError", "Unavailable", "VersionConflict", "open_storage"]
