"""The portal's reads: the wire, search, one story with its versions, downloads, a zip of several.

A company user acts as the company's subscriber principal, so every read
goes through the API's own services with that principal: lists through
`search.Searches` (the entitlements are inside the query), one story through
`delivery.StoryAccess` (the log's entitlement decision, put to the story's
events; a story the company may not see is "not found"), downloads through
`StoryAccess.download` (counted against the daily quota and recorded as
usage). The portal makes no entitlement decision of its own.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from typing import Any

from newswire.delivery.story_access import Download, StoryAccess
from newswire.models.clock import Clock
from newswire.models.errors import Invalid
from newswire.models.media import MediaVersion
from newswire.models.people import Person
from newswire.models.portal import ActivityKind
from newswire.models.principals import Principal
from newswire.models.stories import StoryVersion
from newswire.newsroom.diffs import diff_versions
from newswire.portal.filters import WireFilters
from newswire.portal.history import History
from newswire.portal.picture_wire import MEDIA_KINDS, PictureWire
from newswire.portal.pictures import PortalPicture, StoryPictures
from newswire.search.beats import SavedSearch
from newswire.search.highlight import highlight, snippet
from newswire.search.request import SearchHit, SearchOrder, encode_cursor
from newswire.search.service import Searches

PAGE_SIZE = 30
# The most stories one zip may hold: a desk's selection, not an archive export.
MAX_BUNDLE = 50


@dataclass(frozen=True)
class DownloadFormat:
    """A format offered by the Download control: its name on the button and file ending."""

    name: str  # delivery.formats' name
    label: str
    extension: str


DOWNLOAD_FORMATS = (
    DownloadFormat("ninjs2", "ninjs", "json"),
    DownloadFormat("newsml-g2", "NewsML-G2", "xml"),
    DownloadFormat("nitf", "NITF", "nitf.xml"),
    DownloadFormat("text", "text", "txt"),
)
_BY_NAME = {fmt.name: fmt for fmt in DOWNLOAD_FORMATS}


def download_format(name: str) -> DownloadFormat:
    """Return a format the portal offers; Invalid naming `format` otherwise."""
    found = _BY_NAME.get(name)
    if found is None:
        offered = ", ".join(_BY_NAME)
        raise Invalid(f"format {name!r} is not one of {offered}", "format")
    return found


@dataclass(frozen=True)
class Listed:
    """One story on a wire or search page: its hit with the matched words marked."""

    hit: SearchHit
    headline_html: str
    snippet_html: str


@dataclass(frozen=True)
class ListPage:
    """A page of stories, how many there are in all, and the filters of the next page."""

    items: list[Listed]
    total: int
    filters: WireFilters
    next_cursor: str
    topic: SavedSearch | None = None  # the topic followed, if any
    topics: list[SavedSearch] = field(default_factory=list)  # every topic of the company
    media: list[MediaVersion] = field(default_factory=list)  # with a media type filter


@dataclass(frozen=True)
class VersionChange:
    """What changed from one version of a story to the next, for reading."""

    version: StoryVersion
    fields: dict[str, Any]
    body_diff: list[str]


@dataclass(frozen=True)
class StoryView:
    """A story as the company is entitled to it: the current version and its history."""

    current: StoryVersion
    versions: list[StoryVersion]  # oldest first, only those that reached the company
    changes: list[VersionChange]  # newest first: what each later version changed
    pictures: tuple[PortalPicture, ...] = ()  # those the company may see, in the story's order

    @property
    def corrections(self) -> list[StoryVersion]:
        """Return the versions filed as corrections, oldest first."""
        return [version for version in self.versions if version.is_correction]


def file_name(story: StoryVersion, fmt: DownloadFormat) -> str:
    """Return a download's file name: the slug, the version and the format's ending."""
    return f"{story.slug or story.story_id}-v{story.version}.{fmt.extension}"


@dataclass(eq=False)
class Portal:
    """What the portal's pages read, always as the company's subscriber principal."""

    searches: Searches
    access: StoryAccess
    history: History
    clock: Clock
    pictures: StoryPictures | None = None
    picture_wire: PictureWire | None = None

    async def _params_of(
        self, principal: Principal, filters: WireFilters
    ) -> tuple[WireFilters, SavedSearch | None]:
        filters = filters.checked().pinned(self.clock())
        if not filters.topic:
            return filters, None
        topic = await self.searches.owned(principal, filters.topic, "topic")
        return filters, topic

    async def listing(
        self, principal: Principal, filters: WireFilters, cursor: str = "", newest: bool = True
    ) -> ListPage:
        """Return a page of the stories the company may see: the wire (newest) or by relevance.

        Following a topic runs the topic's own search; the other filters
        then narrow nothing further (the topic is the search). With a media
        type filter (pictures, video) the page lists media items instead,
        newest first (`picture_wire.py`).
        """
        filters, topic = await self._params_of(principal, filters)
        params = topic.params if topic is not None else filters.params()
        topics = await self.searches.saved_of(principal)
        kind = MEDIA_KINDS.get(filters.media)
        if kind is not None and self.picture_wire is not None:
            found = await self.picture_wire.page(principal, kind, params, cursor, PAGE_SIZE)
            return ListPage(
                [], len(found.items), filters, found.next_cursor, topic, topics, found.items
            )
        order = SearchOrder.NEWEST if newest or not params.q else None
        result = await self.searches.run(principal, params, order, PAGE_SIZE, cursor)
        items = [
            Listed(
                hit,
                highlight(hit.headline, result.terms),
                snippet(f"{hit.summary}\n{hit.body_text}", result.terms),
            )
            for hit in result.page.hits
        ]
        following = encode_cursor(result.page.next) if result.page.next else ""
        return ListPage(items, result.page.total, filters, following, topic, topics)

    async def story(self, person: Person, principal: Principal, key: str) -> StoryView:
        """Return a story the company may read with every version of it that reached it."""
        _story_id, versions = await self.access.versions(principal, key)
        if not versions:  # pragma: no cover - a readable story has a version that reached us
            raise Invalid("the story has no version for you", "id")
        # Reading the full text is a delivery of it, as GET /v1/stories/{id} is: counted
        # against the daily quota (QuotaExhausted when used up) and recorded as usage.
        await self.access.download(principal, versions[-1], "text")
        await self.history.took(person, ActivityKind.VIEWED, versions[-1:], "page")
        changes = [
            VersionChange(new, diff["fields"], diff["body_diff"])
            for old, new in zip(versions, versions[1:], strict=False)
            for diff in (diff_versions(old, new),)
        ]
        pictures = await self.pictures.of_story(principal, versions[-1]) if self.pictures else ()
        return StoryView(versions[-1], versions, list(reversed(changes)), pictures)

    async def download(
        self,
        person: Person,
        principal: Principal,
        key: str,
        format_name: str,
        version: int | None = None,
    ) -> tuple[Download, str]:
        """Render one story in a format (counted as a delivery); return it and its file name."""
        fmt = download_format(format_name)
        found = await self.access.download_version(principal, key, version, fmt.name)
        await self.history.took(person, ActivityKind.DOWNLOADED, [found.story], fmt.name)
        return found, file_name(found.story, fmt)

    async def bundle(
        self, person: Person, principal: Principal, keys: list[str], format_name: str
    ) -> tuple[bytes, list[StoryVersion]]:
        """Return one zip of several stories' current versions in a format, and what it holds.

        Every story is checked and rendered before the zip is made, so a story
        the company may not read fails the whole request with "not found".
        """
        fmt = download_format(format_name)
        wanted = list(dict.fromkeys(key.strip() for key in keys if key.strip()))
        if not wanted:
            raise Invalid("select at least one story", "story")
        if len(wanted) > MAX_BUNDLE:
            raise Invalid(f"select at most {MAX_BUNDLE} stories", "story")
        stories = [await self.access.current(principal, key) for key in wanted]
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for story in stories:
                rendered = await self.access.download(principal, story, fmt.name)
                archive.writestr(file_name(story, fmt), rendered.body)
        await self.history.took(person, ActivityKind.DOWNLOADED, stories, f"{fmt.name} (zip)")
        return buffer.getvalue(), stories
