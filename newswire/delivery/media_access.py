"""Reading pictures and video: which items a caller may see, their renditions and signed URLs.

A media item is readable by a subscriber when one of its log events reached
that subscriber: the same question the log reader asks of every event
(`entitlement.Visibility`), so media types, sections, embargo and kills are
decided in one place. A killed item's renditions are never served again. An
item the caller may not see is "not found", so its existence does not leak.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from newswire.blobs import BlobStore
from newswire.delivery.entitlement import reached
from newswire.delivery.formats import Agency, get_format, render_media
from newswire.media.urls import RenditionUrls, SignedRendition
from newswire.models.clock import Clock
from newswire.models.errors import NotFound
from newswire.models.media import MediaRendition, MediaVersion
from newswire.models.principals import Principal, PrincipalStatus, Role
from newswire.storage.interfaces import LogStore, PrincipalStore
from newswire.storage.media_interfaces import MediaStore

MAX_DECISIONS = 20_000


@dataclass(frozen=True)
class RenditionFile:
    """A rendition to send: what it is, and where its bytes are."""

    media: MediaVersion
    rendition: MediaRendition
    modified: datetime


@dataclass(eq=False)
class MediaAccess:
    """Finds the media items a caller may read and serves their renditions."""

    media: MediaStore
    log: LogStore
    blobs: BlobStore
    principals: PrincipalStore
    urls: RenditionUrls
    clock: Clock
    agency: Agency = Agency()

    def __post_init__(self) -> None:
        # Whether a subscriber may read an item depends only on the item's log
        # entries up to its current version, which never change: remembered per
        # (item, version, subscriber, entitlements), a download costs one query.
        self._decisions: OrderedDict[tuple[str, int, str, str], bool] = OrderedDict()

    async def item(self, principal: Principal, key: str) -> MediaVersion:
        """Return the current version of an item the caller may read; NotFound otherwise."""
        found = await self.media.current(key)
        if found is None:
            media_id = await self.media.id_for(key)  # a guid
            found = await self.media.current(media_id) if media_id else None
        if found is not None and await self._may_read(principal, found):
            return found
        raise NotFound(f"no media item {key}", "id")

    async def rendered(self, principal: Principal, key: str, format_name: str) -> tuple[bytes, str]:
        """Return the current version of a readable item in a format, with its media type."""
        media = await self.item(principal, key)
        return render_media(media, format_name, self.agency), get_format(format_name).media_type

    async def _may_read(self, principal: Principal, media: MediaVersion) -> bool:
        if principal.role is not Role.SUBSCRIBER:
            return True
        decision_key = (
            media.media_id,
            media.version,
            principal.id,
            principal.entitlements.model_dump_json(),
        )
        decided = self._decisions.get(decision_key)
        if decided is None:
            history = self.log.entries_for_story
            decided = await reached(principal, history, media.media_id, media.version)
            self._decisions[decision_key] = decided
            while len(self._decisions) > MAX_DECISIONS:
                self._decisions.popitem(last=False)
        return decided

    async def rendition(
        self, principal: Principal, key: str, name: str, version: int | None = None
    ) -> RenditionFile:
        """Return a rendition of an item the caller may read (the current version by default)."""
        current = await self.item(principal, key)
        media = current
        if version is not None and version != current.version:
            found = await self.media.version(current.media_id, version)
            if found is None:
                raise NotFound(f"no version {version} of media item {key}", "version")
            media = found
        if current.is_killed:
            raise NotFound(f"media item {key} was killed: do not use it", "id")
        rendition = media.rendition(name)
        if rendition is None:
            raise NotFound(f"media item {key} has no rendition {name}", "name")
        return RenditionFile(media, rendition, media.version_created)

    async def signed_rendition(
        self, key: str, name: str, version: int, principal_id: str, expires: int, signature: str
    ) -> tuple[Principal, RenditionFile]:
        """Check a signed URL and return its rendition; NotFound for a bad or expired one."""
        grant = SignedRendition(key, version, name, principal_id)
        self.urls.check(grant, expires, signature, self.clock())
        principal = await self.principals.by_id(principal_id)
        if principal is None or principal.status is not PrincipalStatus.ACTIVE:
            raise NotFound("no such rendition, or the link has expired", "sig")
        return principal, await self.rendition(principal, key, name, version)

    def signed_query(self, principal: Principal, media: MediaVersion, name: str) -> str:
        """Return the query string of a signed, expiring URL of a rendition for a caller."""
        grant = SignedRendition(media.media_id, media.version, name, principal.id)
        return self.urls.query(grant, self.clock())

    async def public_pictures(self, media_ids: list[str]) -> dict[str, MediaVersion]:
        """Return the media the public site may show now: usable, public, with a preview."""
        now = self.clock()
        found = await self.media.current_of(sorted(set(filter(None, media_ids))))
        return {
            media_id: media
            for media_id, media in found.items()
            if media.public and media.shown_with_stories(now) and media.rendition("preview")
        }

    async def public_rendition(self, media_id: str, name: str) -> RenditionFile:
        """Return a public rendition (preview, thumbnail) of a picture the site may show."""
        media = (await self.public_pictures([media_id])).get(media_id)
        rendition = media.rendition(name) if media else None
        if media is None or rendition is None or not rendition.public:
            raise NotFound(f"no public picture {media_id}/{name}", "id")
        return RenditionFile(media, rendition, media.version_created)

    def bytes_of(
        self, file: RenditionFile, offset: int = 0, length: int | None = None
    ) -> AsyncIterator[bytes]:
        """Yield a rendition's bytes from `offset` (all of them, or `length`)."""
        return self.blobs.stream(file.rendition.key, offset, length)
