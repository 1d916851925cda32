"""The storage contract: a small interface with an embedded and a distributed implementation.

Like httpx's transports, the interface is small enough to read in one go.
`SQLiteStorage` is the embedded default; `PostgresStorage` carries several
nodes. Both pass the same tests. Methods read like sentences.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from newswire.models import Entitlements, Event, EventType, LogEntry, Principal, Role, StoryVersion
from newswire.portion import PublicQuery, PublicStory


class StorageError(Exception):
    """Base class of the errors storage raises on purpose."""


class VersionConflict(StorageError):
    """Someone else filed a version of the story first; reload and try again."""


class Unavailable(StorageError):
    """The database cannot be reached; nothing was written."""


class Storage(Protocol):
    """What newswire keeps: principals, story versions, the ordered log, the public portion."""

    dialect: str

    async def migrate(self) -> list[int]:
        """Apply pending migrations; return the versions applied."""
        ...

    async def close(self) -> None:
        """Release connections."""
        ...

    async def ping(self) -> None:
        """Raise Unavailable when the database does not answer."""
        ...

    # Principals --------------------------------------------------------------

    async def create_principal(
        self, role: Role, name: str, key_hash: str, entitlements: Entitlements, format: str
    ) -> Principal:
        """Store a new admin, editor or subscriber with the hash of its key."""
        ...

    async def principal_with_key_hash(self, key_hash: str) -> Principal | None:
        """Return the unrevoked principal whose key hashes to key_hash."""
        ...

    async def principal_by_id(self, principal_id: str) -> Principal | None:
        """Return a principal by id, revoked or not."""
        ...

    async def list_principals(self, role: Role) -> list[Principal]:
        """Return the unrevoked principals of a role, oldest first."""
        ...

    async def revoke_principal(self, principal_id: str) -> bool:
        """Revoke a principal's key; return whether it existed and was active."""
        ...

    async def update_principal(
        self, principal_id: str, entitlements: Entitlements | None, format: str | None
    ) -> Principal | None:
        """Change a subscriber's entitlements or preferred format."""
        ...

    # Stories and the log -------------------------------------------------------

    async def save_story_version(
        self, story: StoryVersion, event_type: EventType, public: PublicStory | None
    ) -> Event:
        """Store a version, append its event to the log and update the public portion, atomically.

        Raises VersionConflict unless story.version is greater than the stored
        current version (the wire files current + 1; ingest may skip numbers).
        """
        ...

    async def append_event(self, story_id: str, version: int, event_type: EventType) -> Event:
        """Append an event about an existing version (e.g. an embargo release)."""
        ...

    async def current_story(self, story_id: str) -> StoryVersion | None:
        """Return the current version of a story."""
        ...

    async def story_id_for(self, id_slug_or_guid: str) -> str | None:
        """Resolve a story id, slug or guid to the story id."""
        ...

    async def story_versions(self, story_id: str) -> list[StoryVersion]:
        """Return every version of a story, oldest first."""
        ...

    async def story_version(self, story_id: str, version: int) -> StoryVersion | None:
        """Return one version of a story."""
        ...

    async def log_entries_after(self, seq: int, limit: int) -> list[LogEntry]:
        """Return up to limit log entries with seq greater than the given one, in order."""
        ...

    async def log_entries_for_story(self, story_id: str, before_seq: int) -> list[LogEntry]:
        """Return a story's log entries before a sequence number, in order."""
        ...

    async def last_seq(self) -> int:
        """Return the highest sequence number in the log (0 when empty)."""
        ...

    # The public portion -------------------------------------------------------

    async def public_stories(self, query: PublicQuery) -> Sequence[PublicStory]:
        """Return visible, unkilled public stories matching the query, newest first."""
        ...

    async def count_public_stories(self, query: PublicQuery) -> int:
        """Count what public_stories would return without limit and offset."""
        ...

    async def public_story(self, story_id: str) -> PublicStory | None:
        """Return a public story or its tombstone, whatever its visibility time."""
        ...

    async def public_sections(self, now: datetime) -> list[tuple[str, int]]:
        """Return each section path with its number of visible public stories."""
        ...

    async def count_public_by_section(self, query: PublicQuery) -> list[tuple[str, int]]:
        """Return each section path with its number of public stories matching the query."""
        ...

    async def count_public_by_subject(self, query: PublicQuery) -> list[tuple[str, int]]:
        """Return each subject code with its number of public stories matching the query."""
        ...

    async def count_public_by_author(self, query: PublicQuery) -> list[tuple[str, int]]:
        """Return each byline with its number of public stories matching the query."""
        ...

    async def public_languages(self, now: datetime) -> list[tuple[str, int]]:
        """Return each language with its number of visible public stories."""
        ...

    # Embargoes ------------------------------------------------------------------

    async def stories_due_for_release(self, now: datetime) -> list[str]:
        """Return the ids of withheld stories whose embargo time is at or before now."""
        ...

    async def next_embargo_release(self) -> datetime | None:
        """Return the earliest embargo time among withheld stories, or None."""
        ...
