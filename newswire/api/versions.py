"""A story's versions: list them, read one in any format, and (editors) diff two."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from newswire.api.deps import AUTH_ERRORS, EditorDep, FormatParam, ReaderDep, RuntimeDep
from newswire.api.errors import APIError
from newswire.api.stories import delivered, readable_story_id
from newswire.delivery.entitlement import Visibility
from newswire.delivery.envelopes import iso
from newswire.models.principals import Principal, Role
from newswire.models.stories import StoryVersion
from newswire.newsroom.diffs import diff_versions
from newswire.runtime import Runtime

router = APIRouter(prefix="/v1", tags=["stories"], responses=AUTH_ERRORS)
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such story or version"}}


async def visible_versions(runtime: Runtime, principal: Principal, story_id: str) -> list[int]:
    """Return the version numbers of a story that reached this principal, oldest first."""
    entries = await runtime.storage.log_entries_for_story(story_id, 2**62)
    if principal.role is not Role.SUBSCRIBER:
        return sorted({entry.event.version for entry in entries})
    visibility = Visibility(principal, runtime.storage.log_entries_for_story)
    seen: list[int] = []
    for entry in entries:
        if await visibility.delivered_type(entry) is not None and entry.event.version not in seen:
            seen.append(entry.event.version)
    return seen


def _summary(story: StoryVersion) -> dict[str, Any]:
    return {
        "version": story.version,
        "change": story.change.value,
        "pubstatus": story.pubstatus.value,
        "version_created": iso(story.version_created),
        "headline": story.headline,
        "ednote": story.ednote,
    }


@router.get("/stories/{story_id}/versions", responses=_NOT_FOUND)
async def list_versions(story_id: str, runtime: RuntimeDep, principal: ReaderDep) -> dict[str, Any]:
    """List the versions of a story that the caller received, oldest first."""
    found = await readable_story_id(runtime, principal, story_id)
    allowed = set(await visible_versions(runtime, principal, found))
    versions = await runtime.storage.story_versions(found)
    return {"story_id": found, "versions": [_summary(v) for v in versions if v.version in allowed]}


@router.get(
    "/stories/{story_id}/versions/{version}",
    responses={**_NOT_FOUND, 406: {"description": "Unknown format"}},
)
async def get_version(
    story_id: str,
    version: int,
    request: Request,
    runtime: RuntimeDep,
    principal: ReaderDep,
    format: FormatParam = None,
) -> Response:
    """Return one version of a story in the chosen format."""
    found = await readable_story_id(runtime, principal, story_id)
    story = await runtime.storage.story_version(found, version)
    if story is None or version not in await visible_versions(runtime, principal, found):
        raise APIError(404, f"story {story_id} has no version {version}", "version")
    return await delivered(story, request, principal, runtime, format)


@router.get("/stories/{story_id}/diff", responses=_NOT_FOUND)
async def diff(
    story_id: str,
    runtime: RuntimeDep,
    _editor: EditorDep,
    from_version: Annotated[int, Query(alias="from", ge=1, description="Older version")],
    to_version: Annotated[int, Query(alias="to", ge=1, description="Newer version")],
) -> dict[str, Any]:
    """Show editors what changed between two versions: fields and a unified body diff."""
    found = await runtime.storage.story_id_for(story_id)
    if found is None:
        raise APIError(404, f"no story {story_id}", "id")
    old = await runtime.storage.story_version(found, from_version)
    new = await runtime.storage.story_version(found, to_version)
    if old is None:
        raise APIError(404, f"story {story_id} has no version {from_version}", "from")
    if new is None:
        raise APIError(404, f"story {story_id} has no version {to_version}", "to")
    return diff_versions(old, new)
