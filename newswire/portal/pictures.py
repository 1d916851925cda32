"""A story's pictures and video in the portal, and their renditions, as the company receives them.

The portal decides nothing about media itself: a picture is shown, and its
renditions served, only when `delivery.MediaAccess` lets the company's
subscriber principal read it (the same answer `GET /v1/media/{id}` and its
rendition downloads give): a company that does not buy pictures sees none,
and a rendition URL answers 404. A killed or embargoed picture is not shown;
a killed one's renditions are never served again. Renditions go through the
portal's own route (`/portal/media/...`, the session and the entitlement),
never a public URL of the original.
"""

from __future__ import annotations

from dataclasses import dataclass

from newswire.delivery.media_access import MediaAccess, RenditionFile
from newswire.models.clock import Clock
from newswire.models.errors import NotFound
from newswire.models.media import MediaKind, MediaRendition, MediaVersion
from newswire.models.people import Person
from newswire.models.portal import ActivityKind
from newswire.models.principals import Principal
from newswire.models.stories import StoryVersion, media_log_header
from newswire.portal.history import History

# What a picture is drawn from on the page: the preview, with the base for wide screens.
SHOWN_RENDITIONS = ("preview", "base")
EXTENSIONS = {
    "image/jpeg": "jpg",
    "image/png": "png",
    "image/webp": "webp",
    "image/heic": "heic",
    "video/mp4": "mp4",
}


def rendition_href(media: MediaVersion, name: str, download: bool = False) -> str:
    """Return the portal path of one rendition of one version (`download` asks for a file)."""
    path = f"/portal/media/{media.media_id}/renditions/{name}?version={media.version}"
    return f"{path}&download=1" if download else path


def rendition_file_name(file: RenditionFile) -> str:
    """Return the file name a downloaded rendition is saved under."""
    rendition = file.rendition
    ending = EXTENSIONS.get(rendition.content_type, "bin")
    return f"{file.media.media_id}-v{file.media.version}-{rendition.name}.{ending}"


@dataclass(frozen=True)
class ShownRendition:
    """One rendition as the story page lists it: what it is, and its download link."""

    rendition: MediaRendition
    href: str


@dataclass(frozen=True)
class PortalPicture:
    """A picture or video of a story, as the company may see it."""

    rel: str  # featuremedia, or how else the story uses it
    media: MediaVersion

    @property
    def is_video(self) -> bool:
        """Tell whether the item is a video (shown by its poster frame)."""
        return self.media.kind is MediaKind.VIDEO

    @property
    def featured(self) -> bool:
        """Tell whether the story features this picture."""
        return self.rel == "featuremedia"

    @property
    def shown(self) -> MediaRendition | None:
        """Return the rendition the page shows: the preview (the base if there is none)."""
        for name in SHOWN_RENDITIONS:
            found = self.media.rendition(name)
            if found is not None and found.content_type.startswith("image/"):
                return found
        return None

    @property
    def src(self) -> str:
        """Return the portal path of the shown rendition."""
        shown = self.shown
        return rendition_href(self.media, shown.name) if shown else ""

    @property
    def thumbnail(self) -> str:
        """Return the portal path of the thumbnail (a wire line's picture), or ""."""
        found = self.media.rendition("thumbnail")
        return rendition_href(self.media, "thumbnail") if found else ""

    @property
    def srcset(self) -> str:
        """Return the image candidates by width: the preview and the base."""
        candidates = []
        for name in SHOWN_RENDITIONS:
            found = self.media.rendition(name)
            if found is not None and found.content_type.startswith("image/") and found.width:
                candidates.append(f"{rendition_href(self.media, name)} {found.width}w")
        return ", ".join(candidates)

    @property
    def alt(self) -> str:
        """Return the alt text (the caption, or the headline, when none was filed)."""
        details = self.media.details
        return details.alt_text or details.caption or details.headline

    @property
    def credit(self) -> str:
        """Return the credit line (the creator, when none was filed)."""
        return self.media.details.credit_line or self.media.details.creator

    @property
    def renditions(self) -> list[ShownRendition]:
        """Return every rendition with its download link."""
        return [
            ShownRendition(rendition, rendition_href(self.media, rendition.name, download=True))
            for rendition in self.media.renditions
        ]


@dataclass(eq=False)
class StoryPictures:
    """Finds a story's pictures the company may see, and serves their renditions."""

    access: MediaAccess
    clock: Clock
    history: History | None = None

    async def of_story(
        self, principal: Principal, story: StoryVersion
    ) -> tuple[PortalPicture, ...]:
        """Return the pictures and video a story names that the company may see now, in order.

        A killed story shows none (its text is the kill notice); a killed or
        embargoed picture is left out.
        """
        if story.is_killed or not story.media:
            return ()
        now = self.clock()
        shown = []
        for ref in story.media:
            try:
                media = await self.access.item(principal, ref.id)
            except NotFound:
                continue  # not bought, not in the company's sections, or gone
            if media.shown_with_stories(now):
                shown.append(PortalPicture(ref.rel, media))
        return tuple(shown)

    async def item(self, principal: Principal, key: str) -> PortalPicture:
        """Return a picture or video the company may see now; NotFound if killed or embargoed."""
        media = await self.access.item(principal, key)
        if not media.shown_with_stories(self.clock()):
            raise NotFound(f"no media item {key}", "id")
        return PortalPicture("", media)

    async def rendition(
        self,
        person: Person,
        principal: Principal,
        key: str,
        name: str,
        version: int | None,
        download: bool = False,
    ) -> RenditionFile:
        """Return a rendition the company may download; NotFound otherwise (or killed).

        A download (not a picture drawn on a page) goes into the company's
        history, as `rendition:<name>`, beside its stories' downloads.
        """
        file = await self.access.rendition(principal, key, name, version)
        if download and self.history is not None:
            taken = media_log_header(file.media)
            await self.history.took(person, ActivityKind.DOWNLOADED, [taken], f"rendition:{name}")
        return file
