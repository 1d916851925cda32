"""A story's versions: list them, read one in any format, and (editors) diff two."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Response

from newswire.api.deps import AUTH_ERRORS, EditorDep, ReaderDep, RuntimeDep
from newswire.api.params import ReadingDep
from newswire.api.shapes import story_download
from newswire.delivery.envelopes import iso
from newswire.models.stories import StoryVersion

router = APIRouter(prefix="/v1", tags=["stories"], responses=AUTH_ERRORS)
# Versions are stored as 32-bit integers; anything larger cannot name one.
MAX_VERSION = 2**31 - 1
_NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"description": "No such story or version"}}


def _summary(story: StoryVersion) -> dict[str, Any]:
    return {
        "version": story.version,
        "change": story.change.value,
        "pubstatus": story.pubstatus.value,
        "version_created": iso(story.version_created),
        "headline": story.headline,
        "ednote": story.ednote,
        "author": {"id": story.author_id, "name": story.author_name} if story.author_id else None,
    }


@router.get("/stories/{story_id}/versions", responses=_NOT_FOUND)
async def list_versions(story_id: str, runtime: RuntimeDep, principal: ReaderDep) -> dict[str, Any]:
    """List the versions of a story that the caller received, oldest first."""
    found, versions = await runtime.story_access.versions(principal, story_id)
    return {"story_id": found, "versions": [_summary(version) for version in versions]}


@router.get(
    "/stories/{story_id}/versions/{version}",
    responses={**_NOT_FOUND, 406: {"description": "Unknown format"}},
)
async def get_version(
    story_id: str,
    version: Annotated[int, Path(ge=1, le=MAX_VERSION, description="A version number")],
    runtime: RuntimeDep,
    reading: ReadingDep,
) -> Response:
    """Return one version of a story in the chosen format."""
    return await story_download(runtime.story_access, reading, story_id, version)


@router.get("/stories/{story_id}/diff", responses=_NOT_FOUND)
async def diff(
    story_id: str,
    runtime: RuntimeDep,
    editor: EditorDep,
    from_version: Annotated[
        int, Query(alias="from", ge=1, le=MAX_VERSION, description="Older version")
    ],
    to_version: Annotated[
        int, Query(alias="to", ge=1, le=MAX_VERSION, description="Newer version")
    ],
) -> dict[str, Any]:
    """Show editors what changed between two versions: fields and a unified body diff."""
    return await runtime.story_access.diff(editor, story_id, from_version, to_version)
