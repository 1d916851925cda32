"""The pictures a draft uses (issue 17 with issue 18): upload, pick, feature, remove.

A draft's `media` is a list of `{"id", "rel"}`: one picture may be the
`featuremedia`, the rest are `inline`. It goes out with the story when the
draft is filed (the newsroom checks every id names a picture filed here).
An upload from the editor is the same operation as `POST /v1/media` (the
`MediaLibrary`): the picture is filed on the wire as its own item, so only
those who may publish may upload; anyone who may edit the draft may pick
pictures already filed. Each change is a save of the draft against the
version the editor shows, so it never overwrites another's work.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from newswire.desk.service import Desk
from newswire.media.library import MediaForm, MediaLibrary
from newswire.models.drafts import Draft, Staff
from newswire.models.errors import Conflict, Forbidden, Invalid
from newswire.models.media import MediaKind, MediaVersion
from newswire.storage.media_interfaces import MediaStore

FEATURED = "featuremedia"
INLINE = "inline"
RECENT = 24


@dataclass(frozen=True)
class PictureUse:
    """A picture a draft uses: its id, how, and its stored version (None if it is gone)."""

    id: str
    rel: str
    media: MediaVersion | None

    @property
    def featured(self) -> bool:
        """Tell whether this is the story's featured picture."""
        return self.rel == FEATURED


def _uses(draft: Draft) -> list[dict[str, str]]:
    return [dict(use) for use in draft.fields.get("media", [])]


class DraftPictures:
    """The editor's picture operations, each one save of the draft."""

    def __init__(self, desk: Desk, library: MediaLibrary, media: MediaStore) -> None:
        self._desk = desk
        self._library = library
        self._media = media

    async def of(self, draft: Draft) -> list[PictureUse]:
        """Return the pictures a draft uses, in order, with their stored versions."""
        uses = _uses(draft)
        stored = await self._media.current_of([use["id"] for use in uses])
        return [PictureUse(use["id"], use["rel"], stored.get(use["id"])) for use in uses]

    async def recent(self) -> list[MediaVersion]:
        """Return the pictures filed most recently (what the editor offers to pick from)."""
        return await self._media.latest(MediaKind.PICTURE, RECENT)

    async def upload(
        self, draft_id: str, version: int, data: bytes, form: MediaForm, staff: Staff
    ) -> Draft:
        """File a picture (as POST /v1/media does) and add it to the draft."""
        if not staff.may_publish:
            raise Forbidden("an upload files the picture on the wire: editors upload", "file")
        draft = await self._desk.get(draft_id)
        if draft.version != version:
            # Refused before filing, so a stale editor files no picture nobody uses.
            raise Conflict("the story was saved since you opened it; reload it", "version")
        filed = await self._library.file(data, form)
        if filed.media.kind is not MediaKind.PICTURE:
            raise Invalid("the story editor takes pictures; file video through the API", "file")
        return await self.pick(draft_id, version, filed.media.media_id, staff)

    async def pick(self, draft_id: str, version: int, media_id: str, staff: Staff) -> Draft:
        """Add a picture already filed to the draft (featured if it has none yet)."""
        draft = await self._desk.get(draft_id)
        found = await self._media.current(media_id)
        if found is None or found.is_killed or found.kind is not MediaKind.PICTURE:
            raise Invalid(f"no picture {media_id} to use", "media")
        uses = _uses(draft)
        if any(use["id"] == media_id for use in uses):
            return draft
        rel = INLINE if any(use["rel"] == FEATURED for use in uses) else FEATURED
        return await self._save(draft, version, [*uses, {"id": media_id, "rel": rel}], staff)

    async def feature(self, draft_id: str, version: int, media_id: str, staff: Staff) -> Draft:
        """Make one of the draft's pictures the featured one (the others become inline)."""
        draft = await self._desk.get(draft_id)
        uses = _uses(draft)
        if not any(use["id"] == media_id for use in uses):
            raise Invalid(f"the story does not use picture {media_id}", "media")
        changed = [
            {"id": use["id"], "rel": FEATURED if use["id"] == media_id else INLINE} for use in uses
        ]
        return await self._save(draft, version, changed, staff)

    async def remove(self, draft_id: str, version: int, media_id: str, staff: Staff) -> Draft:
        """Take a picture out of the draft (the picture stays filed)."""
        draft = await self._desk.get(draft_id)
        kept = [use for use in _uses(draft) if use["id"] != media_id]
        return await self._save(draft, version, kept, staff)

    async def _save(
        self, draft: Draft, version: int, uses: list[dict[str, Any]], staff: Staff
    ) -> Draft:
        return await self._desk.save(draft.id, version, {"media": uses}, staff)
