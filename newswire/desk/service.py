"""The desk's operations on drafts: write, save, lock, submit, move, spike, and file.

Every filing goes through the newsroom's own operations (`Newsroom`), the one
path into the log the API uses too: a draft's first filing publishes it, a
later one updates (or corrects) its story. A save names the version it was
made against and is refused when the draft moved on, so two editors never
overwrite each other; a click on Publish claims the draft's version first, so
a double-click files once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from newswire.desk.desks import DESK, DeskBook
from newswire.desk.fields import Limits, clean_fields, fields_of, gate
from newswire.desk.live import DeskCue
from newswire.models.clock import Clock
from newswire.models.drafts import Draft, DraftStatus, HistoryEntry, Lock, Staff
from newswire.models.errors import Conflict, Forbidden, Invalid, NotFound
from newswire.models.stories import Author, Event, StoryVersion
from newswire.newsroom.filing import Filed, Newsroom, NotEmbargoed, StoryKilled, StoryNotFound
from newswire.newsroom.sections import SectionBook, Sections
from newswire.storage.desk_interfaces import DeskConfigStore, DraftStore
from newswire.storage.errors import VersionConflict
from newswire.storage.interfaces import StoryStore


@dataclass(frozen=True)
class DeskPolicy:
    """The desk's configuration: stages in order, how long a lock lasts, field limits."""

    stages: tuple[str, ...]
    lock_for: timedelta
    limits: Limits


@dataclass(frozen=True)
class Board:
    """The monitoring view of one desk: drafts per stage and the latest stories on the wire."""

    desk: str
    stages: tuple[str, ...]
    columns: dict[str, list[Draft]]
    wire: list[StoryVersion]
    drafts_by_story: dict[str, Draft]


@dataclass(frozen=True)
class Published:
    """What filing a draft put on the wire; `event` is None when a repeat filed nothing."""

    story: StoryVersion
    event: Event | None


def _author(staff: Staff) -> Author:
    return Author(staff.id, staff.name)


@contextlib.contextmanager
def _refusals() -> Iterator[None]:
    """Turn the newsroom's refusals into the domain's errors, as the desk's pages show them."""
    try:
        yield
    except StoryNotFound as error:
        raise NotFound(f"no story {error}", "story") from error
    except (StoryKilled, NotEmbargoed, VersionConflict) as error:
        raise Conflict(str(error), "story") from error


class Desk:
    """Drafts on the desk, and the filings made from them."""

    def __init__(
        self,
        drafts: DraftStore,
        config: DeskConfigStore,
        desks: DeskBook,
        stories: StoryStore,
        newsroom: Newsroom,
        sections: SectionBook,
        policy: DeskPolicy,
        clock: Clock,
        cue: DeskCue,
    ) -> None:
        self._drafts = drafts
        self._config = config
        self.desks = desks
        self._stories = stories
        self._newsroom = newsroom
        self.sections = sections
        self.policy = policy
        self._clock = clock
        self.cue = cue

    # -- reading ---------------------------------------------------------------

    async def get(self, draft_id: str) -> Draft:
        """Return a draft, or raise NotFound."""
        draft = await self._drafts.get(draft_id)
        if draft is None:
            raise NotFound(f"no draft {draft_id}", "draft")
        return draft

    async def history(self, draft_id: str) -> list[HistoryEntry]:
        """Return what happened to a draft: who did what, when."""
        await self.get(draft_id)
        return await self._drafts.history(draft_id)

    async def story_history(self, story_id: str) -> list[HistoryEntry]:
        """Return the desk's history of a filed story (empty when filed by the API alone)."""
        draft = await self._drafts.for_story(story_id)
        return await self._drafts.history(draft.id) if draft else []

    async def mine(self, staff: Staff) -> list[Draft]:
        """Return a person's own drafts not yet submitted."""
        return await self._drafts.with_status(DraftStatus.DRAFT, 200, staff.id)

    async def spiked(self) -> list[Draft]:
        """Return the spiked drafts (a chief may restore them)."""
        return await self._drafts.with_status(DraftStatus.SPIKED, 200)

    async def stages(self, desk: str = DESK) -> tuple[str, ...]:
        """Return a desk's stages, in order: as a chief set them, else the settings'."""
        return await self.desks.stages(desk)

    async def set_stages(
        self, stages: list[str], staff: Staff, desk: str = DESK
    ) -> tuple[str, ...]:
        """Set a desk's stages (a chief); drafts at a stage no longer listed stay visible."""
        return await self.desks.set_stages(stages, staff, desk)

    async def set_sections(self, names: list[str], staff: Staff) -> Sections:
        """Set the agency's section vocabulary (a chief): add, rename or retire names.

        A retired name stays on the stories filed under it; new filings may no
        longer use it. An empty list lifts the vocabulary (any name is accepted).
        """
        if not staff.is_chief:
            raise Forbidden("only a chief may change the agency's sections", "sections")
        sections = Sections.of(names)
        if len(sections.names) > 200 or any(len(name) > 60 for name in sections.names):
            raise Invalid("give at most 200 sections, each at most 60 characters", "sections")
        await self._config.set_sections(sections.names, staff.name, self._clock())
        self.cue.ring()
        return sections

    async def board(self, wire: list[StoryVersion], desk: str = DESK) -> Board:
        """Return a desk's submitted drafts per stage, beside the given latest stories."""
        desk = await self.desks.named(desk)
        stages = await self.stages(desk)
        columns: dict[str, list[Draft]] = {stage: [] for stage in stages}
        for draft in await self._drafts.with_status(DraftStatus.SUBMITTED, 1_000, desk=desk):
            columns.setdefault(draft.stage, []).append(draft)
        by_story = await self._drafts.for_stories([story.story_id for story in wire])
        return Board(desk, tuple(columns), columns, wire, by_story)

    async def changed_since(self, since: datetime) -> list[Draft]:
        """Return drafts changed after `since` (what a live page has not seen)."""
        return await self._drafts.changed_since(since)

    # -- writing ---------------------------------------------------------------

    def _lock(self, staff: Staff) -> Lock:
        return Lock(staff.id, staff.name, self._clock() + self.policy.lock_for)

    async def _record(self, draft_id: str, action: str, staff: Staff, detail: str = "") -> None:
        await self._drafts.add_history(
            draft_id, HistoryEntry(self._clock(), action, staff.id, staff.name, detail)
        )
        self.cue.ring()

    def _new_draft(self, staff: Staff, desk: str) -> Draft:
        """Return an empty draft at version 1, started now by `staff` on a desk, unlocked."""
        now = self._clock()
        return Draft(
            id=secrets.token_hex(8),
            story_id=None,
            desk=desk,
            stage="",
            status=DraftStatus.DRAFT,
            fields={},
            version=1,
            author_id=staff.id,
            author_name=staff.name,
            editor_id=staff.id,
            editor_name=staff.name,
            created_at=now,
            updated_at=now,
        )

    async def create(
        self, staff: Staff, given: dict[str, Any] | None = None, desk: str = DESK
    ) -> Draft:
        """Start a draft for a desk in the person's own drafts, locked to them."""
        draft = dataclasses.replace(
            self._new_draft(staff, await self.desks.named(desk)),
            fields=clean_fields(given or {}),
            lock=self._lock(staff),
        )
        await self._drafts.insert(draft)
        await self._record(draft.id, "created", staff)
        return draft

    async def open_story(self, story_id: str, staff: Staff) -> Draft:
        """Return the draft that edits a filed story, making one from its current version."""
        found = await self._drafts.for_story(story_id)
        if found is not None:
            return found
        story = await self._stories.current(story_id)
        if story is None:
            raise NotFound(f"no story {story_id}", "story")
        # The draft of a filed story keeps the story's author; whoever opens it edits it.
        draft = dataclasses.replace(
            self._new_draft(staff, DESK),
            story_id=story_id,
            status=DraftStatus.PUBLISHED,
            fields=fields_of(story),
            author_id=story.author_id or staff.id,
            author_name=story.author_name or staff.name,
            filed_version=1,
        )
        await self._drafts.insert(draft)
        return draft

    def may_edit(self, draft: Draft, staff: Staff) -> bool:
        """Tell whether a person may change a draft at all (a reporter: only their own)."""
        return staff.may_publish or draft.author_id == staff.id

    async def lock(self, draft_id: str, staff: Staff) -> Draft:
        """Open a draft for editing: take its lock unless another holds it; return the draft.

        A person who may only read it (a reporter, another's draft) takes no lock.
        """
        draft = await self.get(draft_id)
        if not self.may_edit(draft, staff) or draft.status is DraftStatus.SPIKED:
            return draft
        await self._drafts.set_lock(draft_id, self._lock(staff), staff.id, self._clock(), False)
        self.cue.ring()
        return await self.get(draft_id)

    async def unlock(self, draft_id: str, staff: Staff, force: bool = False) -> Draft:
        """Let go of a draft (a chief may `force` another's lock away)."""
        if force and not staff.is_chief:
            raise Forbidden("only a chief may unlock a draft someone else is editing", "draft")
        draft = await self.get(draft_id)
        await self._drafts.set_lock(draft_id, None, staff.id, self._clock(), force)
        if force and draft.lock is not None:
            await self._record(draft_id, "unlocked", staff, draft.lock.holder_name)
        else:
            self.cue.ring()
        return await self.get(draft_id)

    def _editable(self, draft: Draft, version: int, staff: Staff) -> None:
        held = draft.locked_for(staff.id, self._clock())
        if held is not None:
            raise Conflict(f"{held.holder_name} is editing this story; it is read-only for you")
        if draft.status is DraftStatus.SPIKED:
            raise Conflict("this draft is spiked; restore it first")
        if not self.may_edit(draft, staff):
            raise Forbidden("a reporter edits only their own drafts", "draft")
        if draft.version != version:
            raise Conflict(
                f"{draft.editor_name} saved this story at "
                f"{draft.updated_at.strftime('%H:%M:%S UTC')} (version {draft.version}) after "
                f"you opened version {version}. Reload to see their changes; nothing was "
                "overwritten.",
                "version",
            )

    async def save(self, draft_id: str, version: int, given: dict[str, Any], staff: Staff) -> Draft:
        """Save a draft's fields (an autosave too) against the version they were typed on."""
        draft = await self.get(draft_id)
        self._editable(draft, version, staff)
        saved = dataclasses.replace(
            draft,
            fields=clean_fields(given, draft.fields),
            version=draft.version + 1,
            editor_id=staff.id,
            editor_name=staff.name,
            updated_at=self._clock(),
            lock=self._lock(staff),
        )
        if not await self._drafts.replace(saved, version):
            raise Conflict("someone saved this story at the same moment; reload it", "version")
        self.cue.ring()
        return saved

    async def _move(
        self, draft: Draft, staff: Staff, action: str, detail: str = "", **changes: Any
    ) -> Draft:
        moved = dataclasses.replace(draft, **changes, updated_at=self._clock())
        if not await self._drafts.replace(moved, draft.version):
            raise Conflict("the draft changed meanwhile; reload it", "version")
        await self._record(draft.id, action, staff, detail)
        return moved

    async def submit(self, draft_id: str, version: int, staff: Staff) -> Draft:
        """Send a draft to its desk's first stage, once it passes the gate."""
        draft = await self.get(draft_id)
        self._editable(draft, version, staff)
        if draft.status is not DraftStatus.DRAFT:
            raise Conflict("this draft is already on the desk", "draft")
        gate(draft.fields, await self.sections.current(), self.policy.limits)
        return await self._move(
            draft,
            staff,
            "submitted",
            status=DraftStatus.SUBMITTED,
            stage=(await self.stages(draft.desk))[0],
            lock=None,
        )

    async def move(self, draft_id: str, stage: str, staff: Staff) -> Draft:
        """Move a submitted draft to another stage of its desk."""
        draft = await self.get(draft_id)
        stages = await self.stages(draft.desk)
        if stage not in stages:
            raise Invalid(f"no stage {stage!r}; stages: {', '.join(stages)}", "stage")
        if draft.status is not DraftStatus.SUBMITTED:
            raise Conflict("only a draft on the desk has a stage", "stage")
        return await self._move(draft, staff, "moved", stage, stage=stage)

    async def transfer(self, draft_id: str, desk: str, staff: Staff) -> Draft:
        """Move a draft to another desk (an editor); on a desk, it starts at its first stage."""
        if not staff.may_publish:
            raise Forbidden("an editor moves drafts between desks", "desk")
        desk = await self.desks.named(desk)
        draft = await self.get(draft_id)
        if draft.status is DraftStatus.SPIKED:
            raise Conflict("this draft is spiked; restore it first", "desk")
        if draft.desk == desk:
            return draft
        stage = (await self.stages(desk))[0] if draft.status is DraftStatus.SUBMITTED else ""
        detail = f"{desk}: {stage}" if stage else desk
        return await self._move(draft, staff, "moved", detail, desk=desk, stage=stage)

    async def spike(self, draft_id: str, staff: Staff) -> Draft:
        """Take a draft off the desk (reversible; its story, if filed, stays on the wire)."""
        draft = await self.get(draft_id)
        if not staff.may_publish and draft.author_id != staff.id:
            raise Forbidden("a reporter spikes only their own drafts", "draft")
        if draft.status is DraftStatus.SPIKED:
            return draft
        return await self._move(
            draft, staff, "spiked", draft.status.value, status=DraftStatus.SPIKED, lock=None
        )

    async def unspike(self, draft_id: str, staff: Staff) -> Draft:
        """Restore a spiked draft to where it was (a chief's decision)."""
        if not staff.is_chief:
            raise Forbidden("only a chief may restore a spiked draft", "draft")
        draft = await self.get(draft_id)
        if draft.status is not DraftStatus.SPIKED:
            raise Conflict("this draft is not spiked", "draft")
        history = await self._drafts.history(draft_id)
        before = next((e.detail for e in reversed(history) if e.action == "spiked"), "draft")
        status = DraftStatus(before) if before in set(DraftStatus) else DraftStatus.DRAFT
        return await self._move(draft, staff, "restored", status=status)

    async def _saved(self, draft_id: str, version: int, given: dict[str, Any], staff: Staff) -> int:
        """Save what a form holds unless the draft already holds it; return the version."""
        draft = await self.get(draft_id)
        if clean_fields(given, draft.fields) == draft.fields:
            return draft.version  # nothing typed since (a second click): no conflict to fear
        return (await self.save(draft_id, version, given, staff)).version

    async def submit_edited(
        self, draft_id: str, version: int, given: dict[str, Any], staff: Staff
    ) -> Draft:
        """Save the editor's form, then submit the draft."""
        return await self.submit(
            draft_id, await self._saved(draft_id, version, given, staff), staff
        )

    async def publish_edited(
        self,
        draft_id: str,
        version: int,
        given: dict[str, Any],
        staff: Staff,
        correction: bool = False,
    ) -> Published:
        """Save the editor's form, then file the draft (see `publish`)."""
        saved = await self._saved(draft_id, version, given, staff)
        return await self.publish(draft_id, saved, staff, correction)

    # -- filing ----------------------------------------------------------------

    async def preview(self, draft: Draft) -> StoryVersion:
        """Return the version filing the draft would make now (raise FieldErrors if it cannot)."""
        return await self._newsroom.preview(
            gate(draft.fields, await self.sections.current(), self.policy.limits)
        )

    async def publish(
        self, draft_id: str, version: int, staff: Staff, correction: bool = False
    ) -> Published:
        """File a draft: publish its story, or update (or correct) the story it edits.

        The draft's version is claimed first: a second click on the same version
        answers with what the first filed instead of filing again.
        """
        if not staff.may_publish:
            raise Forbidden("a reporter submits drafts; an editor publishes them", "draft")
        draft = await self.get(draft_id)
        if draft.filed_version == version and draft.story_id is not None:
            return await self._already_filed(draft.story_id)
        self._editable(draft, version, staff)
        if correction and draft.story_id is None:
            raise Conflict("only a published story can be corrected", "draft")
        story_draft = gate(
            draft.fields, await self.sections.current(), self.policy.limits, correction
        )
        if not await self._drafts.claim_filing(draft_id, version):
            again = await self.get(draft_id)
            if again.story_id is not None and again.filed_version == version:
                return await self._already_filed(again.story_id)
            raise Conflict("this story is being published right now", "draft")
        by = _author(staff)
        try:
            with _refusals():
                if draft.story_id is None:
                    filed = await self._newsroom.file_story(story_draft, by)
                elif correction:
                    filed = await self._newsroom.correct_story(draft.story_id, story_draft, by)
                else:
                    filed = await self._newsroom.update_story(draft.story_id, story_draft, by)
        except Exception:
            await self._drafts.release_filing(draft_id, version)
            raise
        published = dataclasses.replace(
            draft,
            story_id=filed.story.story_id,
            status=DraftStatus.PUBLISHED,
            stage="",
            filed_version=version,
            lock=None,
            # Notes are for one filing; the next starts without.
            fields={**draft.fields, "ednote": ""},
        )
        await self._drafts.replace(published, version)
        await self._record(draft_id, filed.event.type.value.removeprefix("story."), staff)
        return Published(filed.story, filed.event)

    async def _already_filed(self, story_id: str) -> Published:
        story = await self._stories.current(story_id)
        if story is None:
            raise NotFound(f"no story {story_id}", "story")
        return Published(story, None)

    async def kill(self, story_id: str, reason: str, staff: Staff) -> Filed:
        """Withdraw a filed story with the reason subscribers are told."""
        if not staff.may_publish:
            raise Forbidden("only an editor may kill a story", "story")
        if not reason.strip():
            raise Invalid("say why the story is withdrawn", "reason")
        with _refusals():
            filed = await self._newsroom.kill_story(
                story_id, reason.strip()[:2_000], _author(staff)
            )
        await self._on_story(story_id, "killed", staff, reason.strip()[:200])
        return filed

    async def embargo(self, story_id: str, until: datetime | None, staff: Staff) -> Filed:
        """Move a filed story's embargo, or lift it (None)."""
        if not staff.may_publish:
            raise Forbidden("only an editor may change an embargo", "story")
        with _refusals():
            filed = await self._newsroom.change_embargo(story_id, until, _author(staff))
        await self._on_story(story_id, filed.event.type.value.removeprefix("story."), staff)
        return filed

    async def _on_story(self, story_id: str, action: str, staff: Staff, detail: str = "") -> None:
        draft = await self._drafts.for_story(story_id)
        if draft is not None:
            await self._record(draft.id, action, staff, detail)
        else:
            self.cue.ring()
