"""Blob storage: media bytes under their sha256, on the filesystem or in PostgreSQL."""

from newswire.blobs.base import (
    BlobError,
    BlobNotFound,
    BlobStat,
    BlobStore,
    ContentMismatch,
    InvalidKey,
    RangeNotSatisfiable,
    key_for,
)
from newswire.blobs.filesystem import FilesystemBlobStore
from newswire.blobs.postgres import PostgresBlobStore

__all__ = [
    "BlobError",
    "BlobNotFound",
    "BlobStat",
    "BlobStore",
    "ContentMismatch",
    "FilesystemBlobStore",
    "InvalidKey",
    "PostgresBlobStore",
    "RangeNotSatisfiable",
    "key_for",
]
