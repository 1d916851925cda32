"""Reading one story by id: which stories and versions a caller may see, and its downloads.

Whether a subscriber may read a story is the same question the log reader
asks of every event (`entitlement.Visibility`), put to the story's own log
entries: a story is readable once one of its events reached the caller, and
a version is readable when its event did. A story the caller may not see is
"not found", never "forbidden", so its existence does not leak. A download
of a full version counts against the daily quota and is recorded as usage,
like every other delivery.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newswire.accounts.metering import Metering
from newswire.delivery.entitlement import WHOLE_HISTORY, Visibility, reached, shown_attachments
from newswire.delivery.formats import Agency, get_format, render
from newswire.delivery.withdrawn import Withdrawn, withdrawn
from newswire.models.errors import NotFound
from newswire.models.media import Attached
from newswire.models.principals import Principal, Role
from newswire.models.stories import PubStatus, StoryVersion
from newswire.models.usage import Channel
from newswire.newsroom.diffs import diff_versions
from newswire.storage.interfaces import LogStore, StoryStore
from newswire.storage.media_interfaces import MediaStore


@dataclass(frozen=True)
class Download:
    """A story version rendered in a format, ready to send."""

    story: StoryVersion
    body: bytes
    media_type: str


@dataclass(eq=False)
class StoryAccess:
    """Finds the stories and versions a caller may read, and renders them as downloads."""

    stories: StoryStore
    log: LogStore
    metering: Metering
    agency: Agency
    media: MediaStore | None = None

    async def readable_id(self, principal: Principal, key: str) -> str:
        """Resolve an id, slug or guid that the caller may see; NotFound otherwise."""
        story_id = await self.stories.id_for(key)
        if story_id is None:
            raise NotFound(f"no story {key}", "id")
        history = self.log.entries_for_story
        if principal.role is Role.SUBSCRIBER and not await reached(principal, history, story_id):
            raise NotFound(f"no story {key}", "id")
        return story_id

    async def visible_versions(self, principal: Principal, story_id: str) -> list[int]:
        """Return the version numbers of a story that reached the caller, oldest first."""
        entries = await self.log.entries_for_story(story_id, WHOLE_HISTORY)
        if principal.role is not Role.SUBSCRIBER:
            return sorted({entry.event.version for entry in entries})
        visibility = Visibility(principal, self.log.entries_for_story)
        seen: list[int] = []
        for entry in entries:
            if (
                await visibility.delivered_type(entry) is not None
                and entry.event.version not in seen
            ):
                seen.append(entry.event.version)
        return seen

    async def versions(self, principal: Principal, key: str) -> tuple[str, list[StoryVersion]]:
        """Return a readable story's id and the versions of it the caller received.

        A subscriber sees each version before a kill as the kill notice (`withdrawn`).
        """
        story_id = await self.readable_id(principal, key)
        allowed = set(await self.visible_versions(principal, story_id))
        versions = [v for v in await self.stories.versions(story_id) if v.version in allowed]
        kill = versions[-1] if versions and versions[-1].is_killed else None
        if kill is not None and principal.role is Role.SUBSCRIBER:
            versions = [withdrawn(version, kill) for version in versions]
        return story_id, versions

    async def current(self, principal: Principal, key: str) -> StoryVersion:
        """Return the current version of a story the caller may read."""
        story = await self.stories.current(await self.readable_id(principal, key))
        if story is None:  # pragma: no cover - an id that resolved always has a version
            raise NotFound(f"no story {key}", "id")
        return story

    async def version(self, principal: Principal, key: str, number: int) -> StoryVersion:
        """Return one version of a story, if that version reached the caller.

        Raises Withdrawn (410) when a subscriber asks for a version before a kill.
        """
        story_id = await self.readable_id(principal, key)
        story = await self.stories.version(story_id, number)
        if story is None or number not in await self.visible_versions(principal, story_id):
            raise NotFound(f"story {key} has no version {number}", "version")
        if principal.role is Role.SUBSCRIBER and not story.is_killed:
            current = await self.stories.current(story_id)
            if current is not None and current.is_killed:
                raise Withdrawn(current, number)
        return story

    async def diff(
        self, principal: Principal, key: str, from_version: int, to_version: int
    ) -> dict[str, Any]:
        """Return what changed between two versions: fields and a unified body diff."""
        story_id = await self.readable_id(principal, key)
        old = await self.stories.version(story_id, from_version)
        new = await self.stories.version(story_id, to_version)
        if old is None:
            raise NotFound(f"story {key} has no version {from_version}", "from")
        if new is None:
            raise NotFound(f"story {key} has no version {to_version}", "to")
        return diff_versions(old, new)

    async def download_version(
        self, principal: Principal, key: str, number: int | None, format_name: str
    ) -> Download:
        """Render the current version (None) or one version of a story the caller may read."""
        if number is None:
            story = await self.current(principal, key)
        else:
            story = await self.version(principal, key, number)
        return await self.download(principal, story, format_name)

    async def attached(self, principal: Principal, story: StoryVersion) -> tuple[Attached, ...]:
        """Return a story's media as they stand now, for this caller.

        Killed or withheld ones are left out (a kill removes a picture from
        every rendering from then on), and so are the media types a
        subscriber does not buy.
        """
        if not story.media or self.media is None:
            return ()
        current = await self.media.current_of([ref.id for ref in story.media])
        found = tuple(
            Attached(ref.rel, current[ref.id])
            for ref in story.media
            if ref.id in current and current[ref.id].pubstatus is PubStatus.USABLE
        )
        if principal.role is Role.SUBSCRIBER:
            return shown_attachments(principal.entitlements, found)
        return found

    async def download(
        self, principal: Principal, story: StoryVersion, format_name: str
    ) -> Download:
        """Render a version for the caller, counted against its daily quota and recorded."""
        body = render(story, format_name, self.agency, await self.attached(principal, story))
        meter = self.metering.meter(principal, Channel.STORY, format_name)
        if not await meter.grant(1):
            raise self.metering.quotas.exhausted(principal)
        meter.delivered([(story.story_id, story.version, None)])
        return Download(story, body, get_format(format_name).media_type)
