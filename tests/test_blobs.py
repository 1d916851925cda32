"""The blob store contract, run against every implementation: the filesystem and PostgreSQL.

PostgreSQL runs against the real server (a fresh schema per test); it is
skipped, saying why, only when the server cannot be reached. Atomicity is
tested the hard ways: a stream that fails half way, a cancelled task, a
reader looking while a write is in flight, and a writer process killed with
SIGKILL in the middle of a put.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import secrets
import sys
import textwrap
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa

from newswire.blobs import (
    BlobNotFound,
    ContentMismatch,
    FilesystemBlobStore,
    InvalidKey,
    PostgresBlobStore,
    RangeNotSatisfiable,
    key_for,
)
from newswire.blobs.base import BlobStore
from tests.backends import PG_URL, run_aside, with_query, worker_name

pytestmark = pytest.mark.anyio

MiB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[1]


def payload(size: int) -> bytes:
    """Return `size` random bytes (incompressible, like JPEG and H.264)."""
    return secrets.token_bytes(size)


async def pieces(data: bytes, size: int) -> AsyncIterator[bytes]:
    """Yield the data in pieces of `size` bytes, as a request body arrives."""
    for start in range(0, len(data), size):
        yield data[start : start + size]
        await asyncio.sleep(0)


async def failing_after(data: bytes, good_bytes: int) -> AsyncIterator[bytes]:
    """Yield `good_bytes` of the data, then fail like a client that went away."""
    yield data[:good_bytes]
    raise ConnectionResetError("client disconnected mid-upload")


@dataclass
class Backend:
    """One store under test, with how to reach it again from another process."""

    store: BlobStore
    kind: str
    location: str

    async def leftovers(self) -> int:
        """Return how many bytes or rows of unfinished writes are stored anywhere."""
        if isinstance(self.store, PostgresBlobStore):
            async with self.store.engine.connect() as conn:
                rows = await conn.execute(sa.text("SELECT count(*) FROM media_blob_chunks"))
                return int(rows.scalar_one())
        return await asyncio.to_thread(_files_under, Path(self.location))


def _files_under(root: Path) -> int:
    return sum(1 for path in root.rglob("*") if path.is_file())


def _partials_under(root: Path) -> list[int]:
    return [path.stat().st_size for path in root.rglob(".partial-*")]


def _pg_execute(sql: str) -> None:
    async def execute() -> None:
        import asyncpg

        conn = await asyncpg.connect(PG_URL, timeout=3)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    run_aside(execute)


@pytest.fixture(scope="session")
def postgres_reason() -> str | None:
    try:
        _pg_execute("SELECT 1")
    except Exception as error:  # refused, no such database, authentication, ...
        return f"PostgreSQL at {PG_URL} is not reachable ({type(error).__name__}: {error})"
    return None


@pytest.fixture
def pg_schema(postgres_reason: str | None) -> Iterator[str]:
    if postgres_reason:
        pytest.skip(postgres_reason + " (`.ci/run` starts it; NEWSWIRE_TEST_PG points elsewhere)")
    schema = f"blobs_{worker_name()}_{secrets.token_hex(5)}"
    _pg_execute(f"CREATE SCHEMA {schema}")
    try:
        yield schema
    finally:
        _pg_execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")


@pytest.fixture(params=["filesystem", pytest.param("postgres", marks=pytest.mark.postgres)])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    if request.param == "filesystem":
        root = tmp_path / "blobs"
        yield Backend(FilesystemBlobStore(root), "filesystem", str(root))
        return
    schema = request.getfixturevalue("pg_schema")
    url = with_query(PG_URL, schema=schema)
    store = PostgresBlobStore(url)
    await store.create_tables()
    try:
        yield Backend(store, "postgres", url)
    finally:
        await store.close()


async def test_put_then_read_stat_and_exists(backend: Backend) -> None:
    data = payload(300_000)
    key = key_for(data)
    stat = await backend.store.put(key, data)
    assert (stat.key, stat.size) == (key, len(data))
    assert await backend.store.read(key) == data
    assert (await backend.store.stat(key)).size == len(data)
    assert await backend.store.exists(key)


async def test_a_streamed_put_across_chunk_boundaries_reads_back_whole(backend: Backend) -> None:
    data = payload(2 * MiB + 12_345)  # spans three 1 MiB chunks, in odd-sized pieces
    key = key_for(data)
    await backend.store.put(key, pieces(data, 100_003))
    assert await backend.store.read(key) == data
    streamed = b"".join([part async for part in backend.store.stream(key, chunk_bytes=MiB)])
    assert streamed == data


@pytest.mark.parametrize(
    ("offset", "length"),
    [
        (0, 1),
        (0, 10),
        (MiB - 5, 10),  # across the first chunk boundary
        (MiB, MiB),  # exactly the second chunk
        (2 * MiB + 12_000, 345),  # the last bytes
        (2 * MiB + 12_000, 10_000),  # more than is left: up to the end
        (500_000, None),  # from an offset to the end
        (100, 0),  # nothing
    ],
)
async def test_ranges_read_exactly_the_bytes_asked_for(
    backend: Backend, offset: int, length: int | None
) -> None:
    data = payload(2 * MiB + 12_345)
    key = key_for(data)
    await backend.store.put(key, data)
    end = len(data) if length is None else offset + length
    assert await backend.store.read(key, offset, length) == data[offset:end]
    streamed = [part async for part in backend.store.stream(key, offset, length, chunk_bytes=MiB)]
    assert b"".join(streamed) == data[offset:end]


async def test_a_range_beyond_the_end_is_not_satisfiable(backend: Backend) -> None:
    data = payload(1000)
    key = key_for(data)
    await backend.store.put(key, data)
    for offset in (1000, 5000):
        with pytest.raises(RangeNotSatisfiable) as refused:
            await backend.store.read(key, offset, 10)
        assert refused.value.size == 1000
    with pytest.raises(RangeNotSatisfiable):
        _ = [part async for part in backend.store.stream(key, 1000)]


async def test_an_empty_blob_is_a_blob(backend: Backend) -> None:
    key = key_for(b"")
    await backend.store.put(key, b"")
    assert await backend.store.read(key) == b""
    assert (await backend.store.stat(key)).size == 0


async def test_putting_the_same_bytes_again_stores_nothing_new(backend: Backend) -> None:
    data = payload(1_500_000)
    key = key_for(data)
    first = await backend.store.put(key, data)
    stored = await backend.leftovers()
    again = await backend.store.put(key, pieces(data, 65_536))
    assert again.size == first.size
    assert await backend.leftovers() == stored
    assert await backend.store.read(key) == data


async def test_concurrent_puts_of_the_same_bytes_both_succeed(backend: Backend) -> None:
    data = payload(2 * MiB)
    key = key_for(data)
    results = await asyncio.gather(
        backend.store.put(key, pieces(data, 300_000)), backend.store.put(key, pieces(data, 70_000))
    )
    assert {stat.size for stat in results} == {len(data)}
    assert await backend.store.read(key) == data


async def test_bytes_that_do_not_hash_to_the_key_are_refused(backend: Backend) -> None:
    data = payload(10_000)
    wrong = key_for(b"something else")
    with pytest.raises(ContentMismatch, match="nothing was stored"):
        await backend.store.put(wrong, data)
    assert not await backend.store.exists(wrong)
    assert await backend.leftovers() == 0


async def test_other_bytes_under_a_stored_key_are_refused_and_change_nothing(
    backend: Backend,
) -> None:
    data = payload(1_100_000)
    key = key_for(data)
    await backend.store.put(key, data)
    with pytest.raises(ContentMismatch):
        await backend.store.put(key, pieces(payload(1_100_000), 50_000))
    assert await backend.store.read(key) == data


async def test_keys_must_be_sha256_hex(backend: Backend) -> None:
    for bad in ("../../etc/passwd", "ABC", "A" * 64, key_for(b"x")[:-1]):
        with pytest.raises(InvalidKey):
            await backend.store.read(bad)
        with pytest.raises(InvalidKey):
            await backend.store.put(bad, b"x")


async def test_a_missing_key_raises_not_found(backend: Backend) -> None:
    missing = key_for(b"never stored")
    with pytest.raises(BlobNotFound):
        await backend.store.read(missing)
    with pytest.raises(BlobNotFound):
        await backend.store.stat(missing)
    with pytest.raises(BlobNotFound):
        _ = [part async for part in backend.store.stream(missing)]
    assert not await backend.store.exists(missing)
    assert await backend.store.delete(missing) is False


async def test_delete_removes_the_blob_once(backend: Backend) -> None:
    data = payload(1_200_000)
    key = key_for(data)
    await backend.store.put(key, data)
    assert await backend.store.delete(key) is True
    assert await backend.store.delete(key) is False
    with pytest.raises(BlobNotFound):
        await backend.store.read(key)
    assert await backend.leftovers() == 0


async def test_a_stream_that_fails_half_way_leaves_nothing(backend: Backend) -> None:
    data = payload(3 * MiB)
    key = key_for(data)
    with pytest.raises(ConnectionResetError):
        await backend.store.put(key, failing_after(data, 2 * MiB))
    assert not await backend.store.exists(key)
    with pytest.raises(BlobNotFound):
        await backend.store.read(key)
    assert await backend.leftovers() == 0
    # The key is not poisoned: the whole upload, tried again, is stored.
    await backend.store.put(key, data)
    assert await backend.store.read(key) == data


async def test_a_cancelled_put_leaves_nothing(backend: Backend) -> None:
    data = payload(3 * MiB)
    key = key_for(data)
    halfway = asyncio.Event()

    async def slow() -> AsyncIterator[bytes]:
        yield data[: 2 * MiB]
        halfway.set()
        await asyncio.sleep(60)
        yield data[2 * MiB :]

    writing = asyncio.create_task(backend.store.put(key, slow()))
    await halfway.wait()
    writing.cancel()
    with pytest.raises(asyncio.CancelledError):
        await writing
    assert not await backend.store.exists(key)
    assert await backend.leftovers() == 0


async def test_a_reader_never_sees_a_write_in_flight(backend: Backend) -> None:
    data = payload(3 * MiB)
    key = key_for(data)
    halfway, go_on = asyncio.Event(), asyncio.Event()

    async def paused() -> AsyncIterator[bytes]:
        yield data[: 2 * MiB]
        halfway.set()
        await go_on.wait()
        yield data[2 * MiB :]

    writing = asyncio.create_task(backend.store.put(key, paused()))
    await halfway.wait()
    assert not await backend.store.exists(key)
    with pytest.raises(BlobNotFound):
        await backend.store.read(key, 0, 10)
    go_on.set()
    await writing
    assert await backend.store.read(key) == data


WRITER = textwrap.dedent(
    """
    import asyncio, sys
    from newswire.blobs import FilesystemBlobStore, PostgresBlobStore

    kind, location, key, size = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

    async def body():
        yield b"\\x00" * size          # most of the blob...
        print("WRITING", flush=True)   # ...then the parent kills us
        await asyncio.sleep(120)
        yield b"never sent"

    async def main():
        if kind == "filesystem":
            store = FilesystemBlobStore(location)
        else:
            store = PostgresBlobStore(location)
        await store.put(key, body())

    asyncio.run(main())
    """
)


async def test_a_writer_killed_mid_put_leaves_nothing_readable(backend: Backend) -> None:
    size = 5 * MiB  # more than one write batch of the filesystem store
    key = key_for(b"\x00" * size + b"never sent")
    writer = await asyncio.create_subprocess_exec(
        *[sys.executable, "-c", WRITER, backend.kind, backend.location, key, str(size)],
        stdout=asyncio.subprocess.PIPE,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert writer.stdout is not None
        line = await asyncio.wait_for(writer.stdout.readline(), 30)
        assert line.strip() == b"WRITING"
        await asyncio.sleep(0.3)  # let the first chunks reach the disk or the database
    finally:
        writer.kill()  # SIGKILL: no finally blocks, no rollback from the writer's side
        await writer.wait()
    assert not await backend.store.exists(key)
    with pytest.raises(BlobNotFound):
        await backend.store.read(key)
    if isinstance(backend.store, FilesystemBlobStore):
        # The half-written temporary file is there, under a name no key maps to...
        partials = await asyncio.to_thread(_partials_under, Path(backend.location))
        assert len(partials) == 1 and partials[0] > 0
        # ...and the sweep removes it.
        assert await asyncio.to_thread(backend.store.remove_partial_writes, 0) == 1
    else:
        # The server rolled the dead session's transaction back; poll briefly
        # while it notices the closed socket.
        for _ in range(50):
            if await backend.leftovers() == 0:
                break
            await asyncio.sleep(0.1)
    assert await backend.leftovers() == 0
    # The advisory lock died with the session: the same key can be written now.
    full = b"\x00" * size + b"never sent"
    await backend.store.put(key, full)
    assert hashlib.sha256(await backend.store.read(key)).hexdigest() == key


async def test_the_filesystem_store_shards_by_key(tmp_path: Path) -> None:
    store = FilesystemBlobStore(tmp_path)
    data = b"sharded"
    key = key_for(data)
    await store.put(key, data)
    path = tmp_path / key[:2] / key[2:4] / key
    assert path.read_bytes() == data
    assert store.path_for(key) == path
