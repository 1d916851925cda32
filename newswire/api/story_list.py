"""The editors' list of stories: `GET /v1/stories`, most recently changed first (issue 17)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from newswire.api.deps import AUTH_ERRORS, EditorDep, RuntimeDep
from newswire.delivery.envelopes import iso

router = APIRouter(prefix="/v1", tags=["stories"], responses=AUTH_ERRORS)
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such story"}}


@router.get("/stories")
async def list_stories(
    runtime: RuntimeDep,
    _editor: EditorDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    before: Annotated[
        datetime | None, Query(description="Only stories last changed before this time")
    ] = None,
) -> dict[str, Any]:
    """List stories (current versions) for editors; page on with `next_before`."""
    stories = await runtime.storage.story_list.latest(limit, before)
    return {
        "stories": [
            {
                "id": story.story_id,
                "version": story.version,
                "headline": story.headline,
                "pubstatus": story.pubstatus.value,
                "change": story.change.value,
                "urgency": story.urgency,
                "categories": list(story.categories),
                "language": story.language,
                "version_created": iso(story.version_created),
                "author": {"id": story.author_id, "name": story.author_name}
                if story.author_id
                else None,
            }
            for story in stories
        ],
        "next_before": iso(stories[-1].version_created) if len(stories) == limit else None,
    }


@router.get("/stories/{story_id}/deliveries", responses=_NOT_FOUND)
async def story_deliveries(
    story_id: str, runtime: RuntimeDep, _editor: EditorDep
) -> dict[str, Any]:
    """What went out to whom: per subscriber, the channel, format, version and time.

    For a webhook delivery, `webhook` is the receiver's last answer (status,
    attempt, error); a webhook attempt that failed appears with `deliveries` 0.
    """
    record = await runtime.story_records.record(story_id)
    return {
        "story_id": story_id,
        "deliveries": [
            {
                "subscriber": delivery.subscriber,
                "channel": delivery.channel,
                "format": delivery.format or None,
                "version": delivery.version,
                "delivered_at": iso(delivery.delivered_at),
                "deliveries": delivery.count,
                "webhook": {
                    "status": delivery.webhook.status_code,
                    "succeeded": delivery.webhook.succeeded,
                    "attempt": delivery.webhook.attempt,
                    "error": delivery.webhook.error or None,
                }
                if delivery.webhook
                else None,
            }
            for delivery in record.deliveries
        ],
    }
