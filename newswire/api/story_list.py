"""The editors' list of stories: `GET /v1/stories`, most recently changed first (issue 17)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from newswire.api.deps import AUTH_ERRORS, EditorDep, RuntimeDep
from newswire.delivery.envelopes import iso

router = APIRouter(prefix="/v1", tags=["stories"], responses=AUTH_ERRORS)


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
