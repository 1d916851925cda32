"""What changed between two versions of a story, for editors."""

from __future__ import annotations

import difflib
from typing import Any

from newswire.models.stories import StoryVersion
from newswire.newsroom.bodies import html_paragraphs

COMPARED_FIELDS = (
    "headline", "summary", "byline", "dateline", "categories", "subjects", "urgency",
    "language", "public", "pubstatus", "embargoed_until", "ednote", "genre",
)  # fmt: skip


def _plain(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "value"):
        return value.value
    return value


def diff_versions(old: StoryVersion, new: StoryVersion) -> dict[str, Any]:
    """Return the changed fields (old and new value) and a unified diff of the body paragraphs."""
    fields = {}
    for name in COMPARED_FIELDS:
        before, after = _plain(getattr(old, name)), _plain(getattr(new, name))
        if before != after:
            fields[name] = {"from": before, "to": after}
    body = list(
        difflib.unified_diff(
            html_paragraphs(old.body_html),
            html_paragraphs(new.body_html),
            fromfile=f"version {old.version}",
            tofile=f"version {new.version}",
            lineterm="",
        )
    )
    return {"from": old.version, "to": new.version, "fields": fields, "body_diff": body}
