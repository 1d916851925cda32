"""The media library: files picture and video versions into the one log, and kills them.

Each operation checks everything first (the bytes, the metadata fields),
makes the version's renditions, writes their bytes to the blob store, and
only then asks storage to save the version with its log event in one
transaction; the new `seq` is announced on the bus after the commit, exactly
as the newsroom does for stories (`newsroom/filing.py`). So an upload that
fails or is interrupted anywhere leaves nothing visible: at most blobs that
no version names (content-addressed, so a retry reuses them).

A new version without a new file is rendered again from the stored original,
because the caption and rights are written into every delivered rendition.
"""

from __future__ import annotations

import asyncio
import dataclasses
import secrets
from dataclasses import dataclass
from datetime import datetime

from newswire.blobs import BlobStore
from newswire.bus import Bus
from newswire.media.errors import MediaRejected
from newswire.media.limits import Limits, Upload
from newswire.media.metadata import EmbeddedMetadata, Rights, check_rights, read_metadata
from newswire.media.renditions import FocusPoint, Rendition, make_renditions
from newswire.media.uploads import inspect_upload
from newswire.models.clock import Clock
from newswire.models.errors import (
    Conflict,
    DomainError,
    Invalid,
    NotFound,
    TooLarge,
    Unsupported,
)
from newswire.models.events import EventType, PubStatus
from newswire.models.media import MediaDetails, MediaKind, MediaRendition, MediaVersion
from newswire.models.stories import Event
from newswire.monitoring.metrics import record_event
from newswire.storage.errors import VersionConflict
from newswire.storage.media_interfaces import MediaStore

# How often the release job looks for media whose embargo has passed.
EMBARGO_POLL_SECONDS = 1.0
TOO_LARGE = 413
UNSUPPORTED = 415


@dataclass(frozen=True)
class MediaForm:
    """What an editor files with a picture or video; None leaves a field as embedded or before."""

    details: dict[str, str | tuple[str, ...]]
    language: str | None = None
    categories: tuple[str, ...] | None = None
    urgency: int | None = None
    public: bool | None = None
    focus: FocusPoint | None = None
    embargoed_until: datetime | None = None
    guid: str | None = None


@dataclass(frozen=True)
class FiledMedia:
    """The result of a media operation: the stored version and its log event."""

    media: MediaVersion
    event: Event


def domain_error(error: MediaRejected) -> DomainError:
    """Return the domain's error for a refused upload, keeping its field and its kind."""
    if error.status == TOO_LARGE:
        return TooLarge(error.message, error.field)
    if error.status == UNSUPPORTED:
        return Unsupported(error.message, error.field)
    return Invalid(error.message, error.field)


def _embedded_details(found: EmbeddedMetadata) -> dict[str, str | tuple[str, ...]]:
    values: dict[str, str | tuple[str, ...]] = {}
    for name in MediaDetails.__dataclass_fields__:
        source = "subject_codes" if name == "subjects" else name
        value = getattr(found, source, None)
        if value:
            values[name] = value
    return values


def _rights(details: MediaDetails) -> Rights:
    """Return the rights fields of the details, an empty one as None (removed from the file)."""
    return Rights(**{name: getattr(details, name) or None for name in Rights.__dataclass_fields__})


def _recorded(rendition: Rendition) -> MediaRendition:
    return MediaRendition(
        name=rendition.name,
        key=rendition.sha256,
        content_type=rendition.content_type,
        width=rendition.width,
        height=rendition.height,
        size=rendition.size,
        duration=rendition.duration,
    )


@dataclass(eq=False)
class MediaLibrary:
    """Files media versions into the log, their bytes into the blob store."""

    media: MediaStore
    blobs: BlobStore
    bus: Bus
    clock: Clock
    agency_code: str
    limits: Limits = Limits()

    async def file(self, data: bytes, form: MediaForm) -> FiledMedia:
        """File a new picture or video: version 1, event picture.published / video.published."""
        if form.guid and await self.media.id_for(form.guid) is not None:
            raise Conflict(f"{form.guid} is already filed: PUT a new version", "guid")
        upload, embedded = await self._inspect(data)
        media_id = secrets.token_hex(8)
        now = self.clock()
        kind = MediaKind(upload.kind)
        blank = MediaVersion(
            media_id=media_id,
            version=0,
            kind=kind,
            guid=form.guid or f"urn:newsml:{self.agency_code}:media:{media_id}",
            pubstatus=PubStatus.USABLE,
            first_created=now,
            version_created=now,
        )
        version = await self._next(blank, form, upload, embedded)
        return await self._save(version, kind.event("published"))

    async def update(self, media_id: str, data: bytes | None, form: MediaForm) -> FiledMedia:
        """File a new version: a new file, or new metadata or crop over the stored original."""
        previous = await self._current(media_id)
        if data is None:
            original = previous.rendition("original")
            assert original is not None, "every version has an original"
            data = await self.blobs.read(original.key)
            upload, _ = await self._inspect(data)
            embedded: dict[str, str | tuple[str, ...]] = {}
        else:
            upload, embedded = await self._inspect(data)
            if upload.kind != previous.kind.value:
                raise Invalid(f"a {previous.kind.value} cannot become a {upload.kind}", "file")
        version = await self._next(previous, form, upload, embedded)
        return await self._save(version, previous.kind.event("updated"))

    async def kill(self, media_id: str, reason: str) -> FiledMedia:
        """Withdraw a picture or video: a last version with pubstatus canceled.

        The bytes stay (a kill is a record); every rendition is refused from
        now on, and stories that used the item no longer show it.
        """
        previous = await self._current(media_id)
        now = self.clock()
        killed = dataclasses.replace(
            previous,
            version=previous.version + 1,
            pubstatus=PubStatus.CANCELED,
            ednote=reason,
            version_created=now,
        )
        return await self._save(killed, previous.kind.event("killed"))

    async def release(self, media_id: str) -> FiledMedia:
        """Lift an item's embargo now: a usable version, event picture.updated / video.updated.

        Subscribers without embargo access receive it then as published. Safe
        from several workers: storage accepts one version N+1 only.
        """
        previous = await self._current(media_id)
        if previous.pubstatus is not PubStatus.WITHHELD:
            raise Conflict(f"media {media_id} is not under embargo", "id")
        released = dataclasses.replace(
            previous,
            version=previous.version + 1,
            pubstatus=PubStatus.USABLE,
            embargoed_until=None,
            version_created=self.clock(),
        )
        return await self._save(released, previous.kind.event("updated"))

    async def release_due(self) -> list[str]:
        """Release every item whose embargo time has come; return the ids this call released."""
        released = []
        for media_id in await self.media.due_for_release(self.clock()):
            try:
                await self.release(media_id)
            except (VersionConflict, Conflict):
                continue  # another worker released it first, or it changed meanwhile
            released.append(media_id)
        return released

    async def run_embargoes(self, stop: asyncio.Event) -> None:
        """Release embargoed media as their time comes, until stop is set (a job)."""
        while not stop.is_set():
            await self.release_due()
            await self.bus.wait_beyond(self.bus.latest, EMBARGO_POLL_SECONDS)

    async def current(self, media_id: str) -> MediaVersion:
        """Return the current version of a media item, killed or not."""
        found_id = await self.media.id_for(media_id)
        found = await self.media.current(found_id) if found_id else None
        if found is None:
            raise NotFound(f"no media item {media_id}", "id")
        return found

    async def _current(self, media_id: str) -> MediaVersion:
        found = await self.current(media_id)
        if found.is_killed:
            raise Conflict(f"media {media_id} was killed and cannot be changed", "id")
        return found

    async def _inspect(self, data: bytes) -> tuple[Upload, dict[str, str | tuple[str, ...]]]:
        # Decoding and resizing hold the CPU for a while: off the event loop.
        try:
            upload = await asyncio.to_thread(inspect_upload, data, self.limits)
            embedded = {}
            if upload.kind == "picture":
                found = await asyncio.to_thread(read_metadata, upload.data, self.limits)
                embedded = _embedded_details(found)
        except MediaRejected as error:
            raise domain_error(error) from error
        return upload, embedded

    async def _next(
        self,
        previous: MediaVersion,
        form: MediaForm,
        upload: Upload,
        embedded: dict[str, str | tuple[str, ...]],
    ) -> MediaVersion:
        # Filed fields win over embedded ones, embedded over the previous version's.
        values = {**previous.details.as_json(), **embedded, **form.details}
        details = MediaDetails.from_json({k: list(v) if isinstance(v, tuple) else v
                                          for k, v in values.items()})  # fmt: skip
        try:
            rights = check_rights(_rights(details), self.limits)
        except MediaRejected as error:
            raise domain_error(error) from error
        details = dataclasses.replace(details, digital_source_type=rights.digital_source_type or "")
        focus = form.focus or FocusPoint(previous.focus_x, previous.focus_y)
        renditions = await asyncio.to_thread(make_renditions, upload, rights, focus)
        for rendition in renditions:
            await self.blobs.put(rendition.sha256, rendition.data)
        now = self.clock()
        embargo = form.embargoed_until if form.embargoed_until else previous.embargoed_until
        withheld = embargo is not None and embargo > now
        return dataclasses.replace(
            previous,
            version=previous.version + 1,
            details=details,
            renditions=tuple(_recorded(rendition) for rendition in renditions),
            language=form.language or previous.language,
            categories=form.categories if form.categories is not None else previous.categories,
            urgency=form.urgency or previous.urgency,
            public=form.public if form.public is not None else previous.public,
            focus_x=focus.x,
            focus_y=focus.y,
            embargoed_until=embargo if withheld else None,
            pubstatus=PubStatus.WITHHELD if withheld else PubStatus.USABLE,
            version_created=now,
        )

    async def _save(self, media: MediaVersion, event_type: EventType) -> FiledMedia:
        media = dataclasses.replace(media, change=event_type)
        event = await self.media.save_version(media, event_type)
        record_event(event.type.value)
        await self.bus.announce(event.seq)
        return FiledMedia(media, event)
