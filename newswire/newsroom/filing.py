"""The newsroom's operations on stories: file, update, correct, kill, and ingest.

Each operation builds the next `StoryVersion`, asks storage to save it with
its log event and public projection in one transaction, and only then
announces the new sequence number on the bus. A crash before the commit
leaves nothing; a crash after it loses only the announcement, which readers
make up for by polling the log.

An item taken from another agency follows its source (`ingest_story`): the
source's kill (pubStatus canceled) is our kill, a version that makes a withheld
item usable is our release, a version the source signals as a correction is our
correction, and withheld stays withheld until the source says otherwise.
"""

from __future__ import annotations

import dataclasses
import secrets
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from newswire.bus import Bus
from newswire.models.clock import Clock
from newswire.models.errors import Conflict, Invalid
from newswire.models.events import RemoteMedia, RemoteRendition
from newswire.models.slugs import story_slug
from newswire.models.sources import SourceItem
from newswire.models.stories import Author, Event, EventType, MediaRef, PubStatus, StoryVersion
from newswire.monitoring.metrics import record_event
from newswire.newsroom.bodies import html_paragraphs, paragraphs_to_html
from newswire.newsroom.drafts import MediaUse, StoryDraft
from newswire.newsroom.sections import SectionBook
from newswire.newsroom.summaries import public_summary
from newswire.settings import Settings
from newswire.site.portion import public_projection
from newswire.storage.errors import VersionConflict
from newswire.storage.interfaces import StoryStore
from newswire.storage.media_interfaces import MediaStore


class StoryNotFound(LookupError):
    """No story has that id."""


class StoryKilled(ValueError):
    """A killed story cannot be changed again."""


class NotEmbargoed(ValueError):
    """The story is not under embargo, so its embargo cannot be moved or lifted."""


@dataclass(frozen=True)
class Filed:
    """The result of an editor's operation: the stored version and its log event."""

    story: StoryVersion
    event: Event


@dataclass(eq=False)
class Newsroom:
    """Files story versions into the log and announces them on the bus."""

    stories: StoryStore
    bus: Bus
    settings: Settings
    agency_code: str
    clock: Clock
    # The configured section vocabulary an editor's filing must use (issue 17).
    sections: SectionBook = field(default_factory=SectionBook)
    # Checks the pictures and video a draft names (issue 18); None: drafts may name none.
    media: MediaStore | None = None

    def _summary(self, draft: StoryDraft) -> str:
        return public_summary(
            draft.summary,
            html_paragraphs(draft.body),
            self.settings.summary_max_words,
            draft.language,
        )

    def _version_from_draft(
        self,
        draft: StoryDraft,
        story_id: str,
        version: int,
        previous: StoryVersion | None,
        source: SourceItem | None = None,
        media: tuple[MediaRef, ...] = (),
    ) -> StoryVersion:
        now = self.clock()
        first_created = previous.first_created if previous else (draft.first_created or now)
        guid = (
            previous.guid
            if previous
            else (draft.guid or f"urn:newsml:{self.agency_code}:{story_id}")
        )
        embargoed_until = draft.embargoed_until
        if (
            source is None
            and embargoed_until is None
            and previous is not None
            and previous.pubstatus is PubStatus.WITHHELD
        ):
            # An editor's update does not lift an embargo by omission; lifting is its
            # own operation. A source's version without one does lift it (see ingest).
            embargoed_until = previous.embargoed_until
        public = draft.public
        if source is None and previous is not None and "public" not in draft.model_fields_set:
            # An update that does not say keeps the story where it was (on the site or not).
            public = previous.public
        embargoed = embargoed_until is not None and embargoed_until > now
        withheld = embargoed or (source is not None and source.pubstatus is PubStatus.WITHHELD)
        return StoryVersion(
            story_id=story_id,
            version=version,
            guid=guid,
            slug=previous.slug if previous else story_slug(draft.headline, story_id),
            headline=draft.headline,
            summary=draft.summary,
            body_html=draft.body,
            byline=draft.byline,
            dateline=draft.dateline,
            categories=tuple(draft.categories),
            subjects=tuple(draft.subjects),
            urgency=draft.urgency,
            language=draft.language,
            public=public,
            pubstatus=PubStatus.WITHHELD if withheld else PubStatus.USABLE,
            first_created=first_created,
            version_created=self._source_time(source) if source else now,
            embargoed_until=embargoed_until,
            ednote=draft.ednote,
            genre=draft.genre,
            source=draft.source,
            public_summary=self._summary(draft),
            slugline=draft.slugline,
            genre_code=draft.genre_code,
            located=draft.located,
            located_code=draft.located_code,
            copyright_holder=draft.copyright_holder,
            copyright_notice=draft.copyright_notice,
            usage_terms=draft.usage_terms,
            content_created=draft.content_created,
            content_modified=draft.content_modified,
            media=media,
        )

    def _source_time(self, source: SourceItem | None) -> datetime:
        """Return the source's version time, never later than now (a clock ahead of ours)."""
        now = self.clock()
        if source is None or source.version_created is None:
            return now
        return min(source.version_created, now)

    async def _save(
        self,
        story: StoryVersion,
        event_type: EventType,
        change: EventType | None = None,
        by: Author | None = None,
    ) -> Filed:
        # `change` is what the version is when that differs from the event: a correction
        # seen for the first time is published to subscribers, and is still a correction.
        story = dataclasses.replace(
            story,
            change=change or event_type,
            author_id=by.id if by else "",
            author_name=by.name if by else "",
        )
        event = await self.stories.save_version(
            story, event_type, public_projection(story, self.settings)
        )
        record_event(event.type.value)
        await self.bus.announce(event.seq)
        return Filed(story, event)

    async def _media_refs(self, draft: StoryDraft, ingest: bool = False) -> tuple[MediaRef, ...]:
        """Return the draft's media as stored ids; Invalid names one that cannot be used.

        An ingested item may name pictures its source holds: those are kept as
        the source described them (`MediaRef.remote`).
        """
        refs = []
        for use in draft.media:
            media_id = await self.media.id_for(use.id) if self.media else None
            current = await self.media.current(media_id) if self.media and media_id else None
            if current is None and ingest:
                refs.append(MediaRef(use.id, use.rel, _remote(use)))
                continue
            if current is None:
                raise Invalid(f"no media item {use.id}: upload it first (POST /v1/media)", "media")
            if current.is_killed:
                raise Invalid(f"media item {use.id} was killed and cannot be used", "media")
            refs.append(MediaRef(current.media_id, use.rel))
        return tuple(refs)

    async def _current(self, story_id: str) -> StoryVersion:
        story = await self.stories.current(story_id)
        if story is None:
            raise StoryNotFound(story_id)
        if story.is_killed:
            raise StoryKilled(f"story {story_id} was killed and cannot be changed")
        return story

    async def file(
        self, draft: StoryDraft, source: SourceItem | None = None, by: Author | None = None
    ) -> Filed:
        """File a draft: a new story, or (with what its source says) another agency's item."""
        if source is None:
            return await self.file_story(draft, by)
        return await self.ingest_story(draft, source)

    async def _checked(self, draft: StoryDraft) -> StoryDraft:
        """Return an editor's draft with its sections checked against the vocabulary."""
        categories = (await self.sections.current()).check(draft.categories)
        if categories == draft.categories:
            return draft
        return draft.model_copy(update={"categories": categories})

    async def preview(
        self, draft: StoryDraft, previous: StoryVersion | None = None
    ) -> StoryVersion:
        """Return the version filing `draft` would make, without filing it (the desk's preview)."""
        draft = await self._checked(draft)
        story_id = previous.story_id if previous else "preview"
        return self._version_from_draft(
            draft, story_id, previous.version + 1 if previous else 1, previous
        )

    async def file_story(self, draft: StoryDraft, by: Author | None = None) -> Filed:
        """File a new story: version 1, event story.published."""
        draft = await self._checked(draft)
        if draft.guid:
            existing = await self.stories.id_for(draft.guid)
            if existing is not None:
                # Filing is never a silent update: a new version is its own request.
                raise Conflict(
                    f"story {existing} already has guid {draft.guid}; file a new version "
                    f"with PUT /v1/stories/{existing}",
                    "guid",
                )
        story_id = secrets.token_hex(8)
        media = await self._media_refs(draft)
        return await self._save(
            self._version_from_draft(draft, story_id, 1, None, media=media),
            EventType.PUBLISHED,
            by=by,
        )

    async def ingest_story(self, draft: StoryDraft, source: SourceItem) -> Filed:
        """File an item taken from another agency, following its versions and its status.

        The story keeps the source's guid and version numbers; an equal or older
        version is refused as a conflict, so re-ingesting an item is harmless. The
        operation is the one the source means: pubStatus canceled kills the story
        (refused when we never had it), a usable version of a withheld story
        releases it, a version signalled sig:correction corrects it, a withheld one
        whose embargo alone moved changes the embargo, and any other is an update.
        """
        story_id = await self.stories.id_for(draft.guid) if draft.guid else None
        if story_id is None:
            if source.pubstatus is PubStatus.CANCELED:
                raise Conflict(
                    f"{draft.guid} is withdrawn by its source and was never filed here: "
                    "there is nothing to kill",
                    "pubstatus",
                )
            media = await self._media_refs(draft, ingest=True)
            story = self._version_from_draft(
                draft, secrets.token_hex(8), max(source.version, 1), None, source, media
            )
            change = EventType.CORRECTED if source.is_correction else EventType.PUBLISHED
            return await self._save(story, EventType.PUBLISHED, change)
        previous = await self._current(story_id)
        if source.version <= previous.version:
            raise VersionConflict(
                f"already have version {previous.version} of {draft.guid}; "
                f"source version {source.version} is not newer"
            )
        if source.pubstatus is PubStatus.CANCELED:
            reason = draft.ednote or " ".join(html_paragraphs(draft.body))
            return await self._save(
                self._killed(previous, reason[:2_000], source.version, self._source_time(source)),
                EventType.KILLED,
            )
        media = await self._media_refs(draft, ingest=True)
        story = self._version_from_draft(draft, story_id, source.version, previous, source, media)
        return await self._save(story, _ingest_event(previous, story, source))

    async def update_story(
        self, story_id: str, draft: StoryDraft, by: Author | None = None
    ) -> Filed:
        """File a new version replacing the current one: event story.updated."""
        return await self._revise(story_id, draft, EventType.UPDATED, by)

    async def correct_story(
        self, story_id: str, draft: StoryDraft, by: Author | None = None
    ) -> Filed:
        """File a corrected version with an editor's note: event story.corrected."""
        return await self._revise(story_id, draft, EventType.CORRECTED, by)

    async def _revise(
        self, story_id: str, draft: StoryDraft, event_type: EventType, by: Author | None
    ) -> Filed:
        """File the draft as the next version of the current story, told as `event_type`."""
        previous = await self._current(story_id)
        draft = await self._checked(draft)
        media = await self._media_refs(draft)
        story = self._version_from_draft(
            draft, story_id, previous.version + 1, previous, media=media
        )
        return await self._save(story, event_type, by=by)

    async def change_embargo(
        self, story_id: str, embargoed_until: datetime | None, by: Author | None = None
    ) -> Filed:
        """Move a story's embargo, or lift it (None or a past time releases it now)."""
        previous = await self._current(story_id)
        if previous.pubstatus is not PubStatus.WITHHELD:
            raise NotEmbargoed(f"story {story_id} is not under embargo")
        if embargoed_until is None or embargoed_until <= self.clock():
            return await self.release_story(story_id, previous, by)
        moved = self._next_version(previous, embargoed_until=embargoed_until)
        return await self._save(moved, EventType.EMBARGO_CHANGED, by=by)

    async def release_story(
        self, story_id: str, previous: StoryVersion | None = None, by: Author | None = None
    ) -> Filed:
        """Lift a story's embargo now: a usable version, event story.released.

        Safe to call from several workers at once: storage accepts only one
        version N+1, so exactly one release is filed and the others get
        VersionConflict.
        """
        previous = previous or await self._current(story_id)
        if previous.pubstatus is not PubStatus.WITHHELD:
            raise NotEmbargoed(f"story {story_id} is not under embargo")
        released = self._next_version(previous, pubstatus=PubStatus.USABLE, embargoed_until=None)
        return await self._save(released, EventType.RELEASED, by=by)

    def _next_version(self, previous: StoryVersion, **changes: Any) -> StoryVersion:
        """Return the next version of a story with the same content, changed only as given."""
        return dataclasses.replace(
            previous,
            version=previous.version + 1,
            version_created=self.clock(),
            content_modified=previous.content_modified or previous.version_created,
            **changes,
        )

    async def reproject_public_portion(self) -> int:
        """Apply the site's current rules to every story's public projection; return how many.

        The rules (always-public sections, delay, hidden urgencies) are applied
        when a version is written; run this after changing them. Killed stories
        keep their tombstones; nothing enters the log.
        """
        count = 0
        for story_id in await self.stories.ids():
            story = await self.stories.current(story_id)
            if story is None:
                continue
            await self.stories.replace_public_projection(
                story_id, public_projection(story, self.settings)
            )
            count += 1
        return count

    async def kill_story(self, story_id: str, reason: str, by: Author | None = None) -> Filed:
        """Withdraw a story: a last version with pubstatus canceled, event story.killed."""
        previous = await self._current(story_id)
        killed = self._killed(previous, reason, previous.version + 1, self.clock())
        return await self._save(killed, EventType.KILLED, by=by)

    def _killed(
        self, previous: StoryVersion, reason: str, version: int, created: datetime
    ) -> StoryVersion:
        # Like the agencies' kill advisories, the last version carries the notice
        # instead of the text, so a withdrawn story cannot be republished from it.
        notice = f"This story has been withdrawn. {reason} Do not use; delete it from your systems."
        return dataclasses.replace(
            previous,
            version=version,
            pubstatus=PubStatus.CANCELED,
            body_html=paragraphs_to_html([notice]),
            ednote=reason,
            version_created=created,
            content_modified=created,
        )


def _ingest_event(previous: StoryVersion, story: StoryVersion, source: SourceItem) -> EventType:
    """Return what a newer source version of a story we have is: see `ingest_story`."""
    if source.is_correction:
        return EventType.CORRECTED
    if previous.pubstatus is PubStatus.WITHHELD and story.pubstatus is PubStatus.USABLE:
        return EventType.RELEASED
    if (
        previous.pubstatus is PubStatus.WITHHELD
        and story.pubstatus is PubStatus.WITHHELD
        and story.embargoed_until != previous.embargoed_until
        and (story.headline, story.body_html) == (previous.headline, previous.body_html)
    ):
        return EventType.EMBARGO_CHANGED
    return EventType.UPDATED


def _remote(use: MediaUse) -> RemoteMedia:
    """Return what an ingested item said of a picture its source holds."""
    renditions = tuple(RemoteRendition(**rendition.model_dump()) for rendition in use.renditions)
    return RemoteMedia(use.name or use.rel, use.type, use.headline, use.caption, renditions)
