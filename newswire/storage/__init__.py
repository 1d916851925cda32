"""Where newswire keeps stories, the log, principals and delivery state."""

from __future__ import annotations

from newswire.storage.base import Storage, StorageError, Unavailable, VersionConflict


def open_storage(url: str) -> Storage:
    """Return the storage for a database URL: sqlite:///PATH or postgresql://..."""
    if url.startswith("sqlite:///"):
        from newswire.storage.sqlite import SQLiteStorage

        return SQLiteStorage(url.removeprefix("sqlite:///"))
    if url.startswith(("postgresql://", "postgres://", "postgresql+asyncpg://")):
        from newswire.storage.postgres import PostgresStorage

        return PostgresStorage(url)
    raise ValueError(f"unsupported database URL {url!r}: use sqlite:///PATH or postgresql://...")


__all__ = ["Storage", "StorageError", "Unavailable", "VersionConflict", "open_storage"]
