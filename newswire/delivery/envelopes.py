"""The delivery envelope: one JSON shape for an event in every channel.

    {"seq": 42, "cursor": "42", "type": "story.published", "story_id": "...",
     "version": 1, "guid": "...", "created_at": "...", "urgency": 4,
     "format": "ninjs2", "item": {...ninjs...} or "<newsItem ...>"}

Anything of ours that a standard format has no place for lives here, beside
the item, never inside it.

No poison: if a version ever fails to render (the gate in `newsroom/drafts.py`
should make that impossible), the event is sent as a notice without its item,

    {"seq": 42, ..., "format": "nitf", "error": {"message": "..."}}

so the subscriber's cursor moves on and the rest of the wire keeps flowing; the
failure is logged, counted (`newswire_render_failures_total{format}`) and, for
webhooks, written on the delivery attempt (`Unrenderable.problem`).
"""

from __future__ import annotations

import functools
import json
import logging
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from newswire.delivery.formats import Agency, render_item, render_media_item
from newswire.delivery.reader import Delivery
from newswire.models.stories import StoryVersion
from newswire.monitoring.metrics import record_render_failure

log = logging.getLogger("newswire.delivery")


class Unrenderable(str):
    """The JSON text of an event sent without its item because the item failed to render."""

    problem: str


def iso(value: Any) -> str:
    """Return a datetime as ISO 8601 with a Z for UTC."""
    return str(value.isoformat()).replace("+00:00", "Z")


def envelope(delivery: Delivery, format_name: str, agency: Agency) -> dict[str, Any]:
    """Return the JSON envelope of one delivery, with the item in the chosen format."""
    event, story = delivery.entry.event, delivery.entry.story
    body: dict[str, Any] = {
        "seq": event.seq,
        "cursor": str(delivery.resume_cursor),
        "type": delivery.type.value,
        "story_id": story.story_id,
        "version": story.version,
        "guid": story.guid,
        "created_at": iso(event.created_at),
        "urgency": story.urgency,
        "pubstatus": story.pubstatus.value,
        "categories": list(story.categories),
        "format": format_name,
    }
    media = delivery.entry.media
    if media is not None:
        # A picture or video event: the item is the media item, not a story.
        del body["story_id"]
        body["media_id"] = media.media_id
        body["kind"] = media.kind.value
        body["item"] = render_media_item(media, format_name, agency)
    else:
        body["item"] = render_item(story, format_name, agency, delivery.entry.attached)
        if delivery.entry.attached:
            body["media"] = [
                {"id": item.media.media_id, "version": item.media.version, "rel": item.rel}
                for item in delivery.entry.attached
            ]
    if story.embargoed_until is not None:
        body["embargoed_until"] = iso(story.embargoed_until)
    if delivery.type.is_kill:
        body["reason"] = story.ednote
    elif story.ednote:
        body["ednote"] = story.ednote
    return body


# Enough for every live event of a busy day in every format; a hit saves re-encoding ~2 KB.
_ENVELOPE_CACHE_SIZE = 4096


@lru_cache(maxsize=_ENVELOPE_CACHE_SIZE)
def envelope_json(delivery: Delivery, format_name: str, agency: Agency) -> str:
    """Return the envelope as compact JSON text, encoded once per delivery and format.

    A thousand connections receiving the same event as the same type after the
    same cursor share one encoding (the key is the whole delivery, so a
    different type or cursor is a different entry). Every channel sends this
    text: the feed's page, SSE's `data:`, WebSocket frames and webhook bodies.
    """
    try:
        body = envelope(delivery, format_name, agency)
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    except Exception as error:  # one bad version must not stop any channel
        return _unrenderable(delivery, format_name, error)


def _unrenderable(delivery: Delivery, format_name: str, error: Exception) -> Unrenderable:
    event, story = delivery.entry.event, delivery.entry.story
    problem = f"{type(error).__name__}: {error}"[:300]
    log.error(
        "event %s (story %s version %s) could not be rendered as %s: %s",
        event.seq,
        story.story_id,
        story.version,
        format_name,
        problem,
        exc_info=error,
    )
    record_render_failure(format_name)
    body = {
        "seq": event.seq,
        "cursor": str(delivery.resume_cursor),
        "type": delivery.type.value,
        "story_id": story.story_id,
        "version": story.version,
        "format": format_name,
        "error": {
            "message": f"this version could not be rendered as {format_name}; the agency "
            "has been alerted; fetch it later or in another format"
        },
    }
    text = Unrenderable(json.dumps(body, ensure_ascii=False, separators=(",", ":")))
    text.problem = problem
    return text


@lru_cache(maxsize=64)
def envelope_renderer(format_name: str, agency: Agency) -> Callable[[Delivery], str]:
    """Return the one function rendering envelopes in a format (connections share its frames)."""
    return functools.partial(envelope_json, format_name=format_name, agency=agency)


def story_json(story: StoryVersion) -> dict[str, Any]:
    """Return a story version in newswire's own editorial JSON (for editors)."""
    return {
        "id": story.story_id,
        "version": story.version,
        "guid": story.guid,
        "slug": story.slug,
        "headline": story.headline,
        "summary": story.summary,
        "body": story.body_html,
        "byline": story.byline,
        "dateline": story.dateline,
        "categories": list(story.categories),
        "subjects": list(story.subjects),
        "urgency": story.urgency,
        "language": story.language,
        "public": story.public,
        "pubstatus": story.pubstatus.value,
        "embargoed_until": iso(story.embargoed_until) if story.embargoed_until else None,
        "ednote": story.ednote,
        "genre": story.genre,
        "source": story.source,
        "public_summary": story.public_summary,
        "first_created": iso(story.first_created),
        "version_created": iso(story.version_created),
        "slugline": story.slugline,
        "genre_code": story.genre_code,
        "located": story.located,
        "located_code": story.located_code,
        "copyright_holder": story.copyright_holder,
        "copyright_notice": story.copyright_notice,
        "usage_terms": story.usage_terms,
        "content_created": iso(story.content_created) if story.content_created else None,
        "content_modified": iso(story.content_modified) if story.content_modified else None,
        "media": [{"id": ref.id, "rel": ref.rel} for ref in story.media],
    }


# Characters a JSON text may hold raw inside its strings that some line readers take
# for line ends (Python's splitlines, some SSE clients): escaped, an SSE `data:` line
# stays one line for every reader. JSON reads the escapes back as the same characters.
_LINE_BREAKERS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def one_line(json_text: str) -> str:
    """Return compact JSON text that no reader can split into lines (for SSE `data:`)."""
    return json_text.translate(_LINE_BREAKERS)
