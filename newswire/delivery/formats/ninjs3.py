"""ninjs 3.1 (camelCase keys: versionCreated, pubStatus, embargoedUntil); mapping in _ninjs."""

from __future__ import annotations

import json

from newswire.delivery.formats import _ninjs
from newswire.delivery.formats.agency import Agency
from newswire.models.stories import StoryVersion

STANDARD_VERSION = "3.1"


def render(story: StoryVersion, agency: Agency) -> bytes:
    """Render a story version as a ninjs 3.1 JSON document (UTF-8)."""
    item = _ninjs.build(story, STANDARD_VERSION, agency)
    return json.dumps(item, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
