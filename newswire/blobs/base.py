"""The blob store contract: content-addressed bytes, written atomically, read whole or by range.

Like httpx's transports, the interface is a handful of methods that an
implementation fills in; `FilesystemBlobStore` is the embedded default and
`PostgresBlobStore` serves every node from one database. Both pass
tests/test_blobs.py.

A key is the sha256 (lowercase hex) of the blob's bytes. `put` checks that
the bytes it received hash to the key before anything becomes visible, so a
key always names exactly one content, writes are idempotent (a second put of
the same bytes stores nothing new), and a blob is never seen half-written.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

KEY_PATTERN = re.compile(r"[0-9a-f]{64}")
DEFAULT_CHUNK_BYTES = 1024 * 1024

Content = bytes | AsyncIterable[bytes]


class BlobError(Exception):
    """Base class of the errors a blob store raises on purpose."""


class BlobNotFound(BlobError, KeyError):
    """No blob is stored under that key."""


class InvalidKey(BlobError, ValueError):
    """The key is not a sha256 in lowercase hex."""


class ContentMismatch(BlobError, ValueError):
    """The bytes given to `put` do not hash to the key; nothing was stored."""


class RangeNotSatisfiable(BlobError, ValueError):
    """The byte range starts beyond the blob's end (HTTP 416)."""

    def __init__(self, key: str, offset: int, size: int) -> None:
        super().__init__(f"blob {key} has {size} bytes; offset {offset} is beyond its end")
        self.size = size


@dataclass(frozen=True)
class BlobStat:
    """What is known about a stored blob without reading it."""

    key: str
    size: int
    stored_at: datetime


class BlobStore(Protocol):
    """Bytes under their sha256, shared by whoever can reach the store."""

    async def put(self, key: str, content: Content) -> BlobStat:
        """Store the bytes (or chunks) under their sha256 key, atomically; return their stat."""
        ...

    async def read(self, key: str, offset: int = 0, length: int | None = None) -> bytes:
        """Return the blob's bytes from `offset`, `length` of them (to the end when None)."""
        ...

    def stream(
        self,
        key: str,
        offset: int = 0,
        length: int | None = None,
        chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    ) -> AsyncIterator[bytes]:
        """Yield the blob's bytes from `offset` in chunks (an HTTP body, a Range request)."""
        ...

    async def stat(self, key: str) -> BlobStat:
        """Return the blob's size and when it was stored; raise BlobNotFound."""
        ...

    async def exists(self, key: str) -> bool:
        """Return whether a blob is stored under the key."""
        ...

    async def delete(self, key: str) -> bool:
        """Remove the blob; return whether there was one (deleting twice is not an error)."""
        ...

    async def close(self) -> None:
        """Release connections and files."""
        ...


def check_key(key: str) -> str:
    """Return the key, or raise InvalidKey when it is not a lowercase hex sha256."""
    if not isinstance(key, str) or KEY_PATTERN.fullmatch(key) is None:
        raise InvalidKey(f"blob key must be a sha256 in lowercase hex, not {key!r}")
    return key


def key_for(data: bytes) -> str:
    """Return the key bytes are stored under: their sha256 in lowercase hex."""
    return hashlib.sha256(data).hexdigest()


def check_range(key: str, offset: int, length: int | None, size: int) -> tuple[int, int]:
    """Return (start, end) of a byte range within a blob of `size` bytes, end exclusive."""
    if offset < 0 or (length is not None and length < 0):
        raise ValueError(f"offset and length must not be negative ({offset}, {length})")
    if offset > size or (offset == size and size > 0 and length != 0):
        raise RangeNotSatisfiable(key, offset, size)
    end = size if length is None else min(size, offset + length)
    return offset, end


async def chunks_of(
    content: Content, chunk_bytes: int = DEFAULT_CHUNK_BYTES
) -> AsyncIterator[bytes]:
    """Yield the content in chunks: bytes sliced to `chunk_bytes`, an iterable's as they come."""
    if isinstance(content, bytes | bytearray | memoryview):
        view = memoryview(content)
        for start in range(0, len(view), chunk_bytes):
            yield bytes(view[start : start + chunk_bytes])
        return
    async for chunk in content:
        if chunk:
            yield bytes(chunk)


async def checked_chunks(key: str, content: Content) -> AsyncIterator[bytes]:
    """Yield the content's chunks, then raise ContentMismatch unless they hash to `key`.

    A store writes the chunks as they come and makes the blob visible only
    once the iteration has ended without error: wrong bytes are never seen.
    """
    digest = hashlib.sha256()
    async for chunk in chunks_of(content):
        digest.update(chunk)
        yield chunk
    if digest.hexdigest() != key:
        raise mismatch(key, digest.hexdigest())


def mismatch(key: str, actual: str) -> ContentMismatch:
    """Return the error for bytes that hash to `actual` but were put under `key`."""
    return ContentMismatch(f"content hashes to {actual}, not to its key {key}; nothing was stored")
