"""How the portal shows things: its page renderer, the wire item, and the live frames.

One wire item (`WireItem`) is drawn by one template (`portal/_item.html`),
whether it comes from a page of search hits or arrives live from the log, so
a story looks the same in the list it was loaded with and in the one it
joined while the page was open.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from markupsafe import Markup, escape

from newswire.delivery.envelopes import one_line
from newswire.delivery.reader import Delivery
from newswire.models.media import MediaVersion
from newswire.models.stories import EventType, StoryVersion, media_log_header, urgency_name
from newswire.portal.i18n import PORTAL_STRINGS
from newswire.portal.picture_wire import MEDIA_KINDS
from newswire.portal.pictures import PortalPicture
from newswire.portal.service import Listed, ListPage
from newswire.web.i18n import Interface
from newswire.web.templating import PageRenderer

PAGES = PageRenderer(("newswire.portal",), PORTAL_STRINGS)

CHANGE_LABELS = {
    EventType.PUBLISHED: "New",
    EventType.UPDATED: "Updated",
    EventType.CORRECTED: "Correction",
    EventType.KILLED: "Kill",
    EventType.EMBARGO_CHANGED: "Embargo changed",
    EventType.RELEASED: "Released",
    EventType.PICTURE_PUBLISHED: "New",
    EventType.PICTURE_UPDATED: "Updated",
    EventType.PICTURE_KILLED: "Kill",
    EventType.VIDEO_PUBLISHED: "New",
    EventType.VIDEO_UPDATED: "Updated",
    EventType.VIDEO_KILLED: "Kill",
}


@dataclass(frozen=True)
class WireItem:
    """A story as one line of the wire."""

    story_id: str
    version: int
    headline_html: Markup
    snippet_html: Markup
    urgency: int
    categories: tuple[str, ...]
    language: str
    first_created: datetime
    version_created: datetime
    change: str  # "New", "Updated", "Correction", "Kill" (English; translated in the template)
    killed: bool = False
    picture: PortalPicture | None = None  # a picture or video, drawn by its thumbnail

    @property
    def href(self) -> str:
        """Return the page the line links to: the story's, or the picture's."""
        if self.picture is not None:
            return f"/portal/media/{self.story_id}"
        return f"/portal/stories/{self.story_id}"

    @property
    def urgency_name(self) -> str:
        """Return flash, urgent, important or routine."""
        return urgency_name(self.urgency)

    @classmethod
    def of_listed(cls, listed: Listed) -> WireItem:
        """Return the wire line of a search hit (its marks already made, escaped)."""
        hit = listed.hit
        return cls(
            hit.story_id,
            hit.version,
            Markup(listed.headline_html),  # search.highlight escapes the text
            Markup(listed.snippet_html),  # and the snippet
            hit.urgency,
            hit.categories,
            hit.language,
            hit.first_created,
            hit.version_created,
            "Updated" if hit.version > 1 else "New",
        )

    @classmethod
    def of_media(cls, media: MediaVersion, change: str) -> WireItem:
        """Return the wire line of a picture or video: its headline, caption and thumbnail."""
        header = media_log_header(media)
        return cls(
            media.media_id,
            media.version,
            escape(header.headline),
            escape(media.details.caption),
            media.urgency,
            media.categories,
            media.language,
            media.first_created,
            media.version_created,
            change,
            killed=media.is_killed,
            picture=PortalPicture("", media),
        )

    @classmethod
    def of_delivery(cls, delivery: Delivery) -> WireItem:
        """Return the wire line of a story version (or a media version) arriving from the log."""
        if delivery.entry.media is not None:
            return cls.of_media(delivery.entry.media, CHANGE_LABELS.get(delivery.type, "Updated"))
        story = delivery.entry.story
        return cls(
            story.story_id,
            story.version,
            escape(story.headline),
            escape(story.summary),
            story.urgency,
            story.categories,
            story.language,
            story.first_created,
            story.version_created,
            CHANGE_LABELS.get(delivery.type, "Updated"),
            killed=story.is_killed,
        )


def wire_items(page: ListPage) -> list[WireItem]:
    """Return the lines of a wire or search page: its stories, or its pictures or video."""
    if page.media:
        return [
            WireItem.of_media(media, "Updated" if media.version > 1 else "New")
            for media in page.media
        ]
    return [WireItem.of_listed(each) for each in page.items]


def kill_notice_html(story: StoryVersion, ui: Interface) -> str:
    """Return what replaces a killed story's text: the notice and the reason."""
    return PAGES.environment.get_template("portal/_kill_notice.html").render(story=story, t=ui)


@lru_cache(maxsize=32)
def live_renderer(language: str, media: str = "", every: bool = False) -> LiveFrames:
    """Return the one frame renderer of a language and media type filter (frames are shared).

    `every` is a story page's: it hears of stories and of pictures alike (a
    picture's kill takes it off the open page).
    """
    return LiveFrames(Interface(language, PAGES.catalog), media, every)


# Hashed by identity: the fan-out keys the frames it shares by the render function.
@dataclass(frozen=True, eq=False)
class LiveFrames:
    """Renders deliveries as the portal's SSE events, in one interface language."""

    ui: Interface
    media: str = ""  # the page's media type filter: "" (stories), pictures or video
    every: bool = False  # a story page: every media type

    def wanted(self, delivery: Delivery) -> bool:
        """Tell whether a delivery is of the media type the page lists."""
        media = delivery.entry.media
        if self.every:
            return True
        if media is None:
            return not self.media
        return MEDIA_KINDS.get(self.media) is media.kind

    def __call__(self, delivery: Delivery) -> bytes:
        """Return one delivery as an SSE event whose data carries its drawn wire line.

        A delivery of another media type than the page lists is an empty frame:
        the page's connection shares its audience's stream, and sends nothing.
        """
        if not self.wanted(delivery):
            return b""
        story = delivery.entry.story
        item = WireItem.of_delivery(delivery)
        data = {
            "type": delivery.type.value,
            "story_id": story.story_id,
            "version": story.version,
            "urgency": story.urgency,
            "html": PAGES.environment.get_template("portal/_item.html").render(
                item=item, t=self.ui, selectable=delivery.entry.media is None
            ),
        }
        if story.is_killed and delivery.entry.media is None:
            data["notice_html"] = kill_notice_html(story, self.ui)
        text = one_line(json.dumps(data, separators=(",", ":"), ensure_ascii=False))
        return f"id: {delivery.resume_cursor}\nevent: wire\ndata: {text}\n\n".encode()
