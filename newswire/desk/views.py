"""What the desk's pages show, assembled from the domain (no rules here, no SQL)."""

from __future__ import annotations

import json
from typing import Any

from newswire.delivery.formats import get_format, render
from newswire.desk.desks import DESK
from newswire.desk.fields import FieldErrors
from newswire.desk.service import Board, Desk
from newswire.desk.topics import topic_name
from newswire.models.drafts import Draft, Staff
from newswire.models.stories import StoryVersion, urgency_name
from newswire.runtime import Runtime
from newswire.site.portion import public_projection

WIRE_COLUMN = 40
PREVIEW_FORMATS = (
    ("summary", "Public summary"),
    ("ninjs2", "ninjs"),
    ("newsml-g2", "NewsML-G2"),
    ("nitf", "NITF"),
    ("text", "Text"),
)


async def board(runtime: Runtime, desk: str = DESK) -> Board:
    """Return a desk's monitoring view: drafts per stage and the latest stories on the wire."""
    return await runtime.desk.board(await runtime.storage.story_list.latest(WIRE_COLUMN), desk)


async def board_context(runtime: Runtime, desk: str) -> dict[str, Any]:
    """Return what a desk's monitoring columns show: its stages, its searches, the wire."""
    return {
        "board": await board(runtime, desk),
        "searches": await runtime.search_columns.found(desk),
        "now": runtime.clock(),
    }


async def list_context(runtime: Runtime, heading: str, drafts: list[Draft]) -> dict[str, Any]:
    """Return what a list of drafts shows: the drafts, and what a new story may start from."""
    return {
        "heading": heading,
        "drafts": drafts,
        "templates": await runtime.templates.all(),
        "desks": await runtime.desk.desks.names(),
        "now": runtime.clock(),
    }


async def editor_context(
    runtime: Runtime,
    draft: Draft,
    staff: Staff,
    story: StoryVersion | None,
    errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Return what the story editor shows for a draft and the person editing it."""
    desk: Desk = runtime.desk
    return {
        "draft": draft,
        "staff": staff,
        "story": story,
        "held": draft.locked_for(staff.id, runtime.clock()),
        "read_only": not desk.may_edit(draft, staff) or draft.status.value == "spiked",
        "errors": errors or {},
        "limits": desk.policy.limits,
        "stages": await desk.stages(draft.desk),
        "desks": await desk.desks.names(),
        "pictures": await runtime.draft_pictures.of(draft),
        "recent_pictures": await runtime.draft_pictures.recent(),
        "templates": await runtime.templates.all(),
        "sections": (await desk.sections.current()).names,
        "preview_formats": PREVIEW_FORMATS,
        "topic_name": topic_name,
        "urgency_name": urgency_name,
    }


async def preview_context(runtime: Runtime, draft: Draft, format_name: str) -> dict[str, Any]:
    """Return the preview of a draft: the public summary, or the item in one format."""
    labels = dict(PREVIEW_FORMATS)
    if format_name not in labels:
        format_name = "summary"
    try:
        version = await runtime.desk.preview(draft)
    except FieldErrors as refused:
        return {"format": format_name, "errors": refused.errors}
    if format_name == "summary":
        return {
            "format": format_name,
            "errors": {},
            "public": public_projection(version, runtime.settings),
        }
    rendered = render(version, format_name, runtime.agency).decode("utf-8")
    if get_format(format_name).is_json:
        rendered = json.dumps(json.loads(rendered), indent=2, ensure_ascii=False)
    return {
        "format": format_name,
        "errors": {},
        "label": labels[format_name],
        "rendered": rendered,
    }
