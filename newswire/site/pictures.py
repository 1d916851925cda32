"""Pictures on the public site: a story's featured picture, from its public preview only.

A page shows a story's featured picture while that picture is usable and
public (`MediaAccess.public_pictures`): a kill removes it from every page at
once, on the next rendering. Only the public renditions are ever linked or
served here (preview and thumbnail, stripped of private EXIF); the original
and the base are for subscribers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from newswire.models.media import MediaVersion
from newswire.models.public import PublicStory
from newswire.site.common import runtime_of

PREVIEW = "preview"


@dataclass(frozen=True)
class SitePicture:
    """What a page needs to show a picture: its preview's URL and size, and its words."""

    src: str
    width: int
    height: int
    alt: str
    caption: str
    credit: str

    @property
    def srcset(self) -> str:
        """The `srcset` of the picture: the public preview at its width."""
        return f"{self.src} {self.width}w"

    def schema_org(self, base: str) -> dict[str, Any]:
        """Return the picture as a schema.org ImageObject (the article's `image`)."""
        image: dict[str, Any] = {
            "@type": "ImageObject",
            "url": base + self.src,
            "contentUrl": base + self.src,
            "width": self.width,
            "height": self.height,
        }
        if self.caption:
            image["caption"] = self.caption
        if self.credit:
            image["creditText"] = self.credit
        return image


def public_path(media: MediaVersion, name: str) -> str:
    """Return the site's path of a public rendition of one version of a picture."""
    return f"/media/{media.media_id}/v{media.version}/{name}"


def site_picture(media: MediaVersion) -> SitePicture | None:
    """Return how the site shows a picture, from its preview; None without one."""
    preview = media.rendition(PREVIEW)
    if preview is None:
        return None
    details = media.details
    return SitePicture(
        src=public_path(media, PREVIEW),
        width=preview.width,
        height=preview.height,
        alt=details.alt_text or details.headline or details.caption,
        caption=details.caption,
        credit=details.credit_line or details.creator,
    )


async def featured_pictures(
    request: Request, stories: Sequence[PublicStory]
) -> Mapping[str, SitePicture]:
    """Return the featured picture the site may show of each story, by story id."""
    access = runtime_of(request).media_access
    found = await access.public_pictures([story.featured_media for story in stories])
    pictures = {}
    for story in stories:
        media = found.get(story.featured_media)
        picture = site_picture(media) if media else None
        if picture is not None:
            pictures[story.story_id] = picture
    return pictures


def picture_stamps(pictures: Mapping[str, SitePicture]) -> list[str]:
    """Return what a page's ETag must change with: the pictures it shows."""
    return sorted(picture.src for picture in pictures.values())
