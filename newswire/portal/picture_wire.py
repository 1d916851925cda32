"""The wire's pictures and video: the media type filter's pages, newest first.

The archive search indexes stories only, so a page of pictures (or video) is
read from the media store, newest first, and each item is kept when
`delivery.MediaAccess` lets the company's principal read it (the API's one
decision: media type bought, sections, embargo) and when it meets the page's
filters and words, read as the search reads a story (`search.beats`), on the
item's log header, the same header the live stream's beat matches. Killed
items are never listed; pictures under embargo wait until released. A page
ends at an item (its time and id), so older pages stay as they are while new
pictures arrive.
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from newswire.delivery.media_access import MediaAccess
from newswire.models.clock import Clock
from newswire.models.errors import Invalid, NotFound
from newswire.models.media import MediaKind, MediaVersion
from newswire.models.principals import Principal
from newswire.models.stories import media_log_header
from newswire.search.beats import passes_filters
from newswire.search.matching import SearchDocument, matches_query
from newswire.search.params import SearchParams, compile_search
from newswire.search.query import Node
from newswire.search.request import SearchFilters
from newswire.storage.media_interfaces import MediaStore

# The media type filter's values that list media, and the kind each lists.
MEDIA_KINDS = {"pictures": MediaKind.PICTURE, "video": MediaKind.VIDEO}
BATCH = 100
# A page looks at no more than this many items (a company that may read few of
# them gets a shorter page and a link to the older ones, never a slow one).
MAX_BATCHES = 10


def encode_cursor(media: MediaVersion) -> str:
    """Return the cursor of the page after an item: its first-filed time and id."""
    text = f"{media.first_created.isoformat()}|{media.media_id}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, str] | None:
    """Return the (time, id) a cursor names; Invalid naming `cursor` for a bad one."""
    if not cursor:
        return None
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        created, media_id = text.split("|", 1)
        return datetime.fromisoformat(created), media_id
    except (ValueError, UnicodeDecodeError, binascii.Error) as error:
        raise Invalid("the page cursor is not one this wire gave", "cursor") from error


@dataclass(frozen=True)
class PicturePage:
    """A page of pictures or video and the cursor of the next one ("" at the end)."""

    items: list[MediaVersion]
    next_cursor: str


@dataclass(eq=False)
class PictureWire:
    """Pages of the pictures or video a company receives, newest first."""

    media: MediaStore
    access: MediaAccess
    clock: Clock

    async def page(
        self, principal: Principal, kind: MediaKind, params: SearchParams, cursor: str, size: int
    ) -> PicturePage:
        """Return up to `size` items of a kind the company may read that meet the search."""
        query, filters = compile_search(params)
        before = decode_cursor(cursor)
        found: list[MediaVersion] = []
        now = self.clock()
        for _ in range(MAX_BATCHES):
            batch = await self.media.newest(kind, before, BATCH)
            for media in batch:
                before = (media.first_created, media.media_id)
                if await self._shown(principal, media, query, filters, now):
                    found.append(media)
                    if len(found) == size:
                        return PicturePage(found, encode_cursor(media))
            if len(batch) < BATCH:
                return PicturePage(found, "")
        last = batch[-1]
        return PicturePage(found, encode_cursor(last))

    async def _shown(
        self,
        principal: Principal,
        media: MediaVersion,
        query: Node | None,
        filters: SearchFilters,
        now: datetime,
    ) -> bool:
        if not media.shown_with_stories(now):
            return False
        header = media_log_header(media)
        if not passes_filters(filters, header) or not matches_query(
            query, SearchDocument.of(header)
        ):
            return False
        try:
            await self.access.item(principal, media.media_id)
        except NotFound:
            return False
        return True
