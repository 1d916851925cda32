"""The distributed blob store: chunks in PostgreSQL, so every node serves every blob.

Two tables: `media_blobs` (one row per blob: key, size, chunk size, when)
and `media_blob_chunks` (the bytes, 1 MiB a row, numbered). A put inserts
every chunk and then the blob row in **one transaction**; a reader looks a
blob up by its row, which exists only once the transaction has committed
with all its chunks. A writer that fails, is cancelled or whose connection
dies (the node crashed) rolls back whole: nothing of it is ever visible.
Concurrent puts of the same key queue on a transaction-scoped advisory lock
and the second finds the blob stored.

Chunks are cut at fixed 1 MiB boundaries whatever sizes arrive, so a range
read fetches only the chunks it overlaps (HTTP Range on a video), and the
column's storage is EXTERNAL: JPEG and H.264 do not compress, so
PostgreSQL should not try, and it can slice without decompressing.

The constructor takes a `postgresql://` URL (`?schema=NAME` puts the tables
in that schema, as for newswire's storage) or an existing AsyncEngine, so
the blobs can share the storage's connection pool. PostgreSQL's own backups
(pg_dump, base backups with WAL archiving) carry the bytes with the log.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import AsyncIterator
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from newswire.blobs import base

CHUNK_BYTES = 1024 * 1024
CONNECT_TIMEOUT_SECONDS = 5.0

metadata = sa.MetaData()
blobs = sa.Table(
    "media_blobs",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("size", sa.BigInteger, nullable=False),
    sa.Column("chunk_bytes", sa.Integer, nullable=False),
    sa.Column(
        "stored_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
)
chunks = sa.Table(
    "media_blob_chunks",
    metadata,
    sa.Column("key", sa.Text, primary_key=True),
    sa.Column("n", sa.Integer, primary_key=True),
    sa.Column("data", sa.LargeBinary, nullable=False),
)

_CREATE = (
    "CREATE TABLE IF NOT EXISTS media_blobs (key TEXT PRIMARY KEY, size BIGINT NOT NULL,"
    " chunk_bytes INTEGER NOT NULL, stored_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    # The foreign key is checked at commit (the chunks go in before their blob
    # row) and deletes a blob's chunks with it.
    "CREATE TABLE IF NOT EXISTS media_blob_chunks (key TEXT NOT NULL REFERENCES media_blobs (key)"
    " ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, n INTEGER NOT NULL, data BYTEA NOT NULL,"
    " PRIMARY KEY (key, n))",
    "ALTER TABLE media_blob_chunks ALTER COLUMN data SET STORAGE EXTERNAL",
)


def engine_for(url: str) -> AsyncEngine:
    """Return an asyncpg engine for a postgresql:// URL, honouring `?schema=NAME`."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    schema = query.pop("schema", None)
    server_settings = {"application_name": "newswire-blobs"}
    if schema is not None:
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", schema):
            raise ValueError(f"invalid schema name {schema!r} in database URL")
        server_settings["search_path"] = schema
    sa_url = urlunsplit(("postgresql+asyncpg", parts.netloc, parts.path, urlencode(query), ""))
    return create_async_engine(
        sa_url,
        pool_pre_ping=True,
        connect_args={"timeout": CONNECT_TIMEOUT_SECONDS, "server_settings": server_settings},
    )


class PostgresBlobStore:
    """Blobs as chunked rows in PostgreSQL: one store for every node."""

    def __init__(self, database: str | AsyncEngine) -> None:
        self._owns_engine = isinstance(database, str)
        self.engine = engine_for(database) if isinstance(database, str) else database
        self._ready = False

    async def create_tables(self) -> None:
        """Create the two tables if they are missing (safe when several nodes start at once)."""
        async with self.engine.begin() as conn:
            await _lock(conn, "newswire-blobs:create-tables")
            for statement in _CREATE:
                await conn.execute(sa.text(statement))
        self._ready = True

    async def put(self, key: str, content: base.Content) -> base.BlobStat:
        """Store the content under its sha256 key in one transaction; return its stat."""
        base.check_key(key)
        await self._ensure_tables()
        async with self.engine.begin() as conn:
            await _lock(conn, f"newswire-blobs:{key}")
            stored = await self._stat(conn, key)
            size = 0
            # Bytes that do not hash to the key raise inside the block: the
            # transaction rolls back with every chunk inserted so far.
            pieces = _fixed_chunks(base.checked_chunks(key, content), CHUNK_BYTES)
            async for n, chunk in _numbered(pieces):
                size += len(chunk)
                if stored is None:
                    await conn.execute(chunks.insert().values(key=key, n=n, data=chunk))
            if stored is not None:
                return stored
            await conn.execute(blobs.insert().values(key=key, size=size, chunk_bytes=CHUNK_BYTES))
            result = await self._stat(conn, key)
        assert result is not None
        return result

    async def read(self, key: str, offset: int = 0, length: int | None = None) -> bytes:
        """Return `length` bytes of the blob from `offset` (to the end when None)."""
        return b"".join([part async for part in self._parts(key, offset, length, batch=64)])

    async def stream(
        self,
        key: str,
        offset: int = 0,
        length: int | None = None,
        chunk_bytes: int = base.DEFAULT_CHUNK_BYTES,
    ) -> AsyncIterator[bytes]:
        """Yield the blob's bytes from `offset`, a stored chunk at a time."""
        async for part in self._parts(
            key, offset, length, batch=max(1, chunk_bytes // CHUNK_BYTES)
        ):
            yield part

    async def stat(self, key: str) -> base.BlobStat:
        """Return the blob's size and when it was stored; raise BlobNotFound."""
        base.check_key(key)
        await self._ensure_tables()
        async with self.engine.connect() as conn:
            found = await self._stat(conn, key)
        if found is None:
            raise base.BlobNotFound(key)
        return found

    async def exists(self, key: str) -> bool:
        """Return whether a blob is stored under the key."""
        try:
            await self.stat(key)
        except base.BlobNotFound:
            return False
        return True

    async def delete(self, key: str) -> bool:
        """Remove the blob and its chunks in one transaction; return whether there was one."""
        base.check_key(key)
        await self._ensure_tables()
        async with self.engine.begin() as conn:
            await _lock(conn, f"newswire-blobs:{key}")
            await conn.execute(chunks.delete().where(chunks.c.key == key))
            result = await conn.execute(blobs.delete().where(blobs.c.key == key))
        return bool(result.rowcount)

    async def close(self) -> None:
        """Dispose of the engine if this store created it (a shared engine stays open)."""
        if self._owns_engine:
            await self.engine.dispose()

    async def _ensure_tables(self) -> None:
        if not self._ready:
            await self.create_tables()

    async def _stat(self, conn: AsyncConnection, key: str) -> base.BlobStat | None:
        row = (
            await conn.execute(sa.select(blobs.c.size, blobs.c.stored_at).where(blobs.c.key == key))
        ).first()
        return None if row is None else base.BlobStat(key, int(row.size), row.stored_at)

    async def _parts(
        self, key: str, offset: int, length: int | None, batch: int
    ) -> AsyncIterator[bytes]:
        """Yield the slices of stored chunks that cover [offset, offset + length)."""
        base.check_key(key)
        await self._ensure_tables()
        async with self.engine.connect() as conn:
            row = (
                await conn.execute(
                    sa.select(blobs.c.size, blobs.c.chunk_bytes).where(blobs.c.key == key)
                )
            ).first()
        if row is None:
            raise base.BlobNotFound(key)
        size, step = int(row.size), int(row.chunk_bytes)
        start, end = base.check_range(key, offset, length, size)
        if start == end:
            return
        first, last = start // step, (end - 1) // step
        for low in range(first, last + 1, batch):
            high = min(last, low + batch - 1)
            # A connection per batch, not per download: a slow client streaming
            # a video does not hold a pooled connection for minutes.
            async with self.engine.connect() as conn:
                found = (
                    await conn.execute(
                        sa.select(chunks.c.n, chunks.c.data)
                        .where(chunks.c.key == key, chunks.c.n.between(low, high))
                        .order_by(chunks.c.n)
                    )
                ).all()
            if len(found) != high - low + 1:
                raise base.BlobNotFound(key)  # deleted while being read
            for n, data in found:
                at = n * step  # where in the blob this chunk starts
                yield bytes(data[max(start, at) - at : min(end, at + len(data)) - at])


async def _lock(conn: AsyncConnection, name: str) -> None:
    """Take a transaction-scoped advisory lock, released at commit or rollback."""
    key = zlib.crc32(name.encode())
    await conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


async def _fixed_chunks(parts: AsyncIterator[bytes], size: int) -> AsyncIterator[bytes]:
    """Yield the bytes again cut at multiples of `size` (the last piece may be shorter)."""
    pending = bytearray()
    async for part in parts:
        pending += part
        while len(pending) >= size:
            yield bytes(pending[:size])
            del pending[:size]
    if pending:
        yield bytes(pending)


async def _numbered(parts: AsyncIterator[bytes]) -> AsyncIterator[tuple[int, bytes]]:
    n = 0
    async for part in parts:
        yield n, part
        n += 1
