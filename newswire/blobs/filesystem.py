"""The embedded blob store: one file per blob in sharded directories, written atomically.

`root/ab/cd/abcd...` holds the blob whose key is `abcd...` (two levels of
256 directories keep any directory small at millions of blobs). A put
writes a temporary `.partial-*` file in the blob's own directory, fsyncs
it, checks the sha256, then `os.replace`s it onto the final name and fsyncs
the directory: the final name appears whole or not at all, even if the
process or the machine dies half way. A crash leaves at most a `.partial-*`
file, which no key names (so it is never read) and which
`remove_partial_writes` deletes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newswire.blobs import base

PARTIAL_PREFIX = ".partial-"
# Chunks arriving from a request are gathered up to this size before one
# write in a worker thread: a thread hop per 64 KiB network chunk costs more
# than the write.
WRITE_BATCH_BYTES = 4 * 1024 * 1024


class FilesystemBlobStore:
    """Blobs as files under one directory: the embedded default."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def path_for(self, key: str) -> Path:
        """Return the path the blob with this key is (or would be) stored at."""
        base.check_key(key)
        return self.root / key[:2] / key[2:4] / key

    async def put(self, key: str, content: base.Content) -> base.BlobStat:
        """Store the content under its sha256 key, atomically; return its stat."""
        final = self.path_for(key)
        if await asyncio.to_thread(final.is_file):
            # Already stored: check the bytes are the key's, write nothing.
            async for _ in base.checked_chunks(key, content):
                pass
            return await self.stat(key)
        directory = final.parent
        await asyncio.to_thread(directory.mkdir, parents=True, exist_ok=True)
        fd, partial = await asyncio.to_thread(
            tempfile.mkstemp, prefix=PARTIAL_PREFIX, dir=directory
        )
        try:
            batch: list[bytes] = []
            batched = 0
            async for chunk in base.checked_chunks(key, content):
                batch.append(chunk)
                batched += len(chunk)
                if batched >= WRITE_BATCH_BYTES:
                    await _blocking(_write_all, fd, batch)
                    batch, batched = [], 0
            await _blocking(_write_all, fd, batch)
            closing, fd = fd, -1
            await _blocking(_finish, closing)
            await asyncio.to_thread(_publish, partial, final)
        except BaseException:
            # Cancelled, failed, or the wrong bytes: the partial file goes and
            # nothing was ever visible under the key.
            if fd >= 0:
                os.close(fd)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(partial)
            raise
        return await self.stat(key)

    async def read(self, key: str, offset: int = 0, length: int | None = None) -> bytes:
        """Return `length` bytes of the blob from `offset` (to the end when None)."""
        path = self.path_for(key)
        return await asyncio.to_thread(_read_range, key, path, offset, length)

    async def stream(
        self,
        key: str,
        offset: int = 0,
        length: int | None = None,
        chunk_bytes: int = base.DEFAULT_CHUNK_BYTES,
    ) -> AsyncIterator[bytes]:
        """Yield the blob's bytes from `offset` in chunks of at most `chunk_bytes`."""
        path = self.path_for(key)
        try:
            handle = await asyncio.to_thread(path.open, "rb")
        except FileNotFoundError:
            raise base.BlobNotFound(key) from None
        try:
            # The open handle keeps reading the same file even if it is
            # deleted meanwhile: a download in flight finishes.
            size = os.fstat(handle.fileno()).st_size
            start, end = base.check_range(key, offset, length, size)
            await asyncio.to_thread(handle.seek, start)
            while start < end:
                chunk = await asyncio.to_thread(handle.read, min(chunk_bytes, end - start))
                if not chunk:
                    break
                start += len(chunk)
                yield chunk
        finally:
            handle.close()

    async def stat(self, key: str) -> base.BlobStat:
        """Return the blob's size and when it was stored; raise BlobNotFound."""
        path = self.path_for(key)
        try:
            info = await asyncio.to_thread(path.stat)
        except FileNotFoundError:
            raise base.BlobNotFound(key) from None
        return base.BlobStat(key, info.st_size, datetime.fromtimestamp(info.st_mtime, UTC))

    async def exists(self, key: str) -> bool:
        """Return whether a blob is stored under the key."""
        return await asyncio.to_thread(self.path_for(key).is_file)

    async def delete(self, key: str) -> bool:
        """Remove the blob; return whether there was one."""
        path = self.path_for(key)
        try:
            await asyncio.to_thread(path.unlink)
        except FileNotFoundError:
            return False
        return True

    async def close(self) -> None:
        """Nothing to release: every call opens and closes its own file."""

    def remove_partial_writes(self, older_than: float = 3600.0) -> int:
        """Delete `.partial-*` files a crashed writer left, older than `older_than` seconds."""
        cutoff = time.time() - older_than
        removed = 0
        for partial in self.root.glob(f"*/*/{PARTIAL_PREFIX}*"):
            with contextlib.suppress(FileNotFoundError):
                if partial.stat().st_mtime < cutoff:
                    partial.unlink()
                    removed += 1
        return removed


async def _blocking(function: Callable[..., None], *arguments: Any) -> None:
    """Run a blocking call in a thread; if cancelled, let it finish before unwinding.

    Otherwise the caller would close the file descriptor under a thread still
    writing to it, and the number could be reused by another file meanwhile.
    """
    running = asyncio.ensure_future(asyncio.to_thread(function, *arguments))
    try:
        await asyncio.shield(running)
    except asyncio.CancelledError:
        with contextlib.suppress(Exception):
            await running
        raise


def _write_all(fd: int, chunks: list[bytes]) -> None:
    for chunk in chunks:
        view = memoryview(chunk)
        while view:
            written = os.write(fd, view)
            view = view[written:]


def _finish(fd: int) -> None:
    try:
        os.fchmod(fd, 0o644)  # mkstemp makes 0600; the blob is read by the server's group
        os.fsync(fd)
    finally:
        os.close(fd)


def _publish(partial: str, final: Path) -> None:
    # Same bytes under the same key: replacing an existing blob is harmless
    # (readers holding the old file keep it) and keeps the put idempotent.
    os.replace(partial, final)
    directory = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power cut
    finally:
        os.close(directory)


def _read_range(key: str, path: Path, offset: int, length: int | None) -> bytes:
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise base.BlobNotFound(key) from None
    with handle:
        size = os.fstat(handle.fileno()).st_size
        start, end = base.check_range(key, offset, length, size)
        handle.seek(start)
        return handle.read(end - start)
