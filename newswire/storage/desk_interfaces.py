"""The desk's storage role (issue 17): drafts and their history, outside the wire log."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from newswire.models.drafts import Draft, DraftStatus, HistoryEntry, Lock, Template
from newswire.models.stories import StoryVersion
from newswire.models.webhooks import DeliveryAttempt


class DraftStore(Protocol):
    """Drafts: saved against the version they were read at, locked, claimed once for filing."""

    async def insert(self, draft: Draft) -> None:
        """Store a new draft."""
        ...

    async def get(self, draft_id: str) -> Draft | None:
        """Return a draft by id."""
        ...

    async def replace(self, draft: Draft, expected_version: int) -> bool:
        """Store a draft's new state if it is still at `expected_version`; tell whether it was."""
        ...

    async def set_lock(
        self, draft_id: str, lock: Lock | None, by_id: str, now: datetime, force: bool
    ) -> bool:
        """Set a draft's lock (None drops it) unless another than `by_id` holds it (or `force`)."""
        ...

    async def claim_filing(self, draft_id: str, version: int) -> bool:
        """Mark a draft version as being filed; false when it already was (a second click)."""
        ...

    async def release_filing(self, draft_id: str, version: int) -> None:
        """Undo a claim whose filing was refused, so the draft can be filed once fixed."""
        ...

    async def for_story(self, story_id: str) -> Draft | None:
        """Return the draft that edits a published story, if any (spiked ones excepted)."""
        ...

    async def for_stories(self, story_ids: Sequence[str]) -> dict[str, Draft]:
        """Return the drafts that edit these stories, by story id (one query for a page)."""
        ...

    async def with_status(
        self,
        status: DraftStatus,
        limit: int,
        author_id: str | None = None,
        desk: str | None = None,
    ) -> list[Draft]:
        """Return drafts in a status (of one author, on one desk), most urgent then latest first."""
        ...

    async def changed_since(self, since: datetime) -> list[Draft]:
        """Return drafts saved, moved or locked after `since` (the board's live updates)."""
        ...

    async def add_history(self, draft_id: str, entry: HistoryEntry) -> None:
        """Append one entry to a draft's history."""
        ...

    async def history(self, draft_id: str) -> list[HistoryEntry]:
        """Return a draft's history, oldest first."""
        ...


class StoryListing(Protocol):
    """The editors' list of stories: current versions, most recently changed first."""

    async def latest(self, limit: int, before: datetime | None = None) -> list[StoryVersion]:
        """Return current versions changed before `before` (all when None), latest first."""
        ...

    async def count(self) -> int:
        """Return how many stories there are."""
        ...

    async def webhook_attempts(self, seqs: Sequence[int]) -> list[tuple[str, DeliveryAttempt]]:
        """Return the webhook attempts for these log positions, each with its subscriber's id."""
        ...


class DeskConfigStore(Protocol):
    """What a chief configures: story templates, the desk's stages, the sections."""

    async def add_template(self, template: Template, created_by_id: str) -> None:
        """Store a new template."""
        ...

    async def templates(self) -> list[Template]:
        """Return every template, by name."""
        ...

    async def template(self, template_id: str) -> Template | None:
        """Return one template."""
        ...

    async def delete_template(self, template_id: str) -> bool:
        """Delete a template; tell whether there was one."""
        ...

    async def stages(self, desk: str = "") -> tuple[str, ...] | None:
        """Return the stages a chief set for a desk ("" the default one), or None when never set."""
        ...

    async def set_stages(self, desk: str, stages: tuple[str, ...], by: str, at: datetime) -> None:
        """Store a desk's stages ("" the default desk)."""
        ...

    async def desks(self) -> tuple[str, ...] | None:
        """Return the desks chiefs added beside the default one, or None when none ever was."""
        ...

    async def set_desks(self, desks: tuple[str, ...], by: str, at: datetime) -> None:
        """Store the desks beside the default one."""
        ...

    async def search_columns(self, desk: str = "") -> list[dict[str, str]]:
        """Return a desk's saved-search columns ("" the default desk), in order."""
        ...

    async def set_search_columns(
        self, desk: str, columns: list[dict[str, str]], by: str, at: datetime
    ) -> None:
        """Store a desk's saved-search columns."""
        ...

    async def sections(self) -> tuple[str, ...] | None:
        """Return the section vocabulary a chief set (maybe empty), or None when never set."""
        ...

    async def set_sections(self, sections: tuple[str, ...], by: str, at: datetime) -> None:
        """Store the agency's section vocabulary."""
        ...
