"""ninjs 3.1 (camelCase keys: versionCreated, pubStatus, embargoedUntil); mapping in _ninjs."""

from __future__ import annotations

import json
from collections.abc import Sequence

from newswire.delivery.formats import _ninjs, media_items
from newswire.delivery.formats.agency import Agency
from newswire.models.media import Attached, MediaVersion
from newswire.models.stories import StoryVersion

STANDARD_VERSION = "3.1"


def render(story: StoryVersion, agency: Agency, attached: Sequence[Attached] = ()) -> bytes:
    """Render a story version as a ninjs 3.1 JSON document (UTF-8)."""
    item = _ninjs.build(story, STANDARD_VERSION, agency)
    associations = media_items.ninjs_associations(story, attached, STANDARD_VERSION, agency)
    if associations:
        item["associations"] = associations
    return json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def render_media(media: MediaVersion, agency: Agency) -> bytes:
    """Render a picture or video as a ninjs object of type picture or video."""
    item = {
        "standard": {
            "name": "ninjs",
            "version": STANDARD_VERSION,
            "schema": _ninjs.schema_uri(STANDARD_VERSION),
        },
        **media_items.ninjs_media(media, STANDARD_VERSION, agency),
    }
    return json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
