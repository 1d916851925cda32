"""ninjs 2.1 (lower-case keys), valid against the 2.1 and 2.2 schemas; mapping in _ninjs."""

from __future__ import annotations

from collections.abc import Sequence

from newswire.delivery.formats import _ninjs
from newswire.delivery.formats.agency import Agency
from newswire.models.media import Attached, MediaVersion
from newswire.models.stories import StoryVersion

STANDARD_VERSION = "2.1"


def render(story: StoryVersion, agency: Agency, attached: Sequence[Attached] = ()) -> bytes:
    """Render a story version as a ninjs 2.1 JSON document (UTF-8)."""
    return _ninjs.render(story, STANDARD_VERSION, agency, attached)


def render_media(media: MediaVersion, agency: Agency) -> bytes:
    """Render a picture or video as a ninjs 2.1 object of type picture or video."""
    return _ninjs.render_media(media, STANDARD_VERSION, agency)
