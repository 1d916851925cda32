"""Story endpoints: editors file, update, correct, embargo and kill; readers get a story by id.

Handlers decode the request, let the newsroom's importers and `StoryDraft`
validate it, call the newsroom, and respond; the rules live in
`newsroom/` and, for reads, `delivery/story_access.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from newswire.api.deps import AUTH_ERRORS, EditorDep, RuntimeDep
from newswire.api.idempotency import IdempotentDep
from newswire.api.params import QUOTA_USED_UP, PublicParam, ReadingDep, decode_utf8
from newswire.api.shapes import filed_response, inline_schema, story_download
from newswire.models.sources import SourceItem
from newswire.models.stories import Author, EventType
from newswire.newsroom import importers
from newswire.newsroom.drafts import CorrectionRequest, KillRequest, StoryDraft
from newswire.newsroom.filing import Newsroom
from newswire.newsroom.safe_values import WireTime

router = APIRouter(prefix="/v1", tags=["stories"], responses=AUTH_ERRORS)

_STORY_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": inline_schema(StoryDraft)},
            "application/vnd.iptc.ninjs+json": {
                "schema": {"type": "object", "description": "A ninjs 2.x or 3.x text item"}
            },
            "application/vnd.iptc.g2.newsitem+xml": {
                "schema": {"type": "string", "description": "A NewsML-G2 2.x newsItem"}
            },
            "text/plain": {
                "schema": {"type": "string"},
                "example": "World, Europe\n\nHeadline\n\nSummary line\n\n"
                "Byline  | 14.11.2024 - Update : 14.11.2024\n\nLONDON\n\nFirst paragraph.",
            },
        },
    }
}
_FILING_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "Body is not UTF-8 or not JSON"},
    413: {"description": "Body larger than NEWSWIRE_MAX_REQUEST_BYTES"},
    415: {"description": "Unsupported Content-Type"},
    422: {"description": "A field is missing or invalid; `error.field` names it"},
}

_REVISION_ERRORS: dict[int | str, dict[str, Any]] = {
    **_FILING_ERRORS,
    404: {"description": "No such story"},
    409: {"description": "The story was killed"},
}


async def read_filing(
    request: Request, public: bool | None, draft_type: type[StoryDraft] = StoryDraft
) -> tuple[StoryDraft, SourceItem | None]:
    """Decode and validate a filed story; also return what the source says of ingested items."""
    text = decode_utf8(await request.body())
    content_type = request.headers.get("content-type", "")
    filing = importers.parse(content_type, text)
    fields = filing.fields
    if content_type.lower().startswith(importers.TEXT_LAYOUT):
        # The layout has no place for these; the query string carries them.
        for name in ("language", "urgency"):
            if name in request.query_params:
                fields[name] = request.query_params[name]
    if public is not None:
        fields["public"] = public
    return draft_type.model_validate(fields), filing.source


@dataclass(frozen=True)
class Filer:
    """An editor filing through the API: the newsroom to file with, and as whom."""

    newsroom: Newsroom
    author: Author


async def filer(runtime: RuntimeDep, editor: EditorDep, _key: IdempotentDep) -> Filer:
    """Return the caller of a filing endpoint: an editor, answered once per Idempotency-Key.

    Who files a version through the API is the key's principal (issue 17).
    """
    return Filer(runtime.newsroom, Author(editor.id, editor.name))


FilerDep = Annotated[Filer, Depends(filer)]


@router.post("/stories", status_code=201, openapi_extra=_STORY_BODY, responses=_FILING_ERRORS)
async def file_story(
    request: Request,
    filer: FilerDep,
    public: PublicParam = None,
) -> JSONResponse:
    """File a new story; returns it with its id, version and log position.

    JSON and the agency text layout make version 1. A ninjs, NewsML-G2 or NITF
    item from another agency keeps its guid and follows the source's versions: a
    newer version of a known guid updates that story (200), an older or equal
    one is refused with 409. The source's status and signals decide the event:
    pubStatus canceled kills the story (409 when it was never filed here), a
    usable version of a withheld story releases it, sig:correction corrects it.
    """
    draft, source = await read_filing(request, public)
    filed = await filer.newsroom.file(draft, source, filer.author)
    return filed_response(filed, 201 if filed.event.type is EventType.PUBLISHED else 200)


@router.put("/stories/{story_id}", openapi_extra=_STORY_BODY, responses=_REVISION_ERRORS)
async def update_story(
    story_id: str,
    request: Request,
    filer: FilerDep,
    public: PublicParam = None,
) -> JSONResponse:
    """File a new version of a story (write-through update); the version number grows by one."""
    draft, _ = await read_filing(request, public)
    filed = await filer.newsroom.update_story(story_id, draft, filer.author)
    return filed_response(filed, 200)


@router.post(
    "/stories/{story_id}/kill",
    responses={404: {"description": "No such story"}, 409: {"description": "Already killed"}},
)
async def kill_story(story_id: str, body: KillRequest, filer: FilerDep) -> JSONResponse:
    """Withdraw a story with a reason; every subscriber that received it is told."""
    filed = await filer.newsroom.kill_story(story_id, body.reason, filer.author)
    return filed_response(filed, 200)


@router.post("/stories/{story_id}/correct", openapi_extra=_STORY_BODY, responses=_REVISION_ERRORS)
async def correct_story(
    story_id: str,
    request: Request,
    filer: FilerDep,
    public: PublicParam = None,
) -> JSONResponse:
    """File a corrected version; `ednote` (required) says what was wrong.

    Every subscriber that received the story gets the correction, even if the
    corrected story no longer matches its entitlements.
    """
    draft, _ = await read_filing(request, public, CorrectionRequest)
    filed = await filer.newsroom.correct_story(story_id, draft, filer.author)
    return filed_response(filed, 200)


class EmbargoChange(BaseModel):
    """A new embargo time, or null to lift the embargo now."""

    model_config = ConfigDict(extra="forbid")
    embargoed_until: WireTime | None = Field(
        description="New release time (with a time zone), or null / a past time to release now"
    )


@router.post(
    "/stories/{story_id}/embargo",
    responses={404: {"description": "No such story"}, 409: {"description": "Not under embargo"}},
)
async def change_embargo(story_id: str, body: EmbargoChange, filer: FilerDep) -> JSONResponse:
    """Move a story's embargo, or lift it now (`null`): story.embargo_changed or story.released."""
    filed = await filer.newsroom.change_embargo(story_id, body.embargoed_until, filer.author)
    return filed_response(filed, 200)


@router.get(
    "/stories/{story_id}",
    responses={
        200: {"description": "The current version in the chosen format"},
        404: {"description": "No such story, or not yours"},
        406: {"description": "Unknown format"},
        **QUOTA_USED_UP,
    },
)
async def get_story(story_id: str, runtime: RuntimeDep, reading: ReadingDep) -> Response:
    """Return the current version of a story as ninjs (or the chosen format)."""
    return await story_download(runtime.story_access, reading, story_id, None)
