"""The errors storage raises on purpose: a lost race, and a database that cannot be reached."""

from __future__ import annotations


class StorageError(Exception):
    """Base class of the errors storage raises on purpose."""


class VersionConflict(StorageError):
    """Someone else filed a version of the story first; reload and try again."""


class Unavailable(StorageError):
    """The database cannot be reached; nothing was written."""
