"""Story endpoints: editors file, update, correct and kill; readers get a story by id.

Handlers decode and validate the request, call the wire, and respond; the
rules live in `wire.py`, `drafts.py` and `entitlement.py`.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, field_validator

from newswire.accounts.metering import Meter
from newswire.api.deps import AUTH_ERRORS, EditorDep, FormatParam, ReaderDep, RuntimeDep
from newswire.api.errors import APIError
from newswire.api.throttle import quota_exhausted
from newswire.delivery.entitlement import Visibility
from newswire.delivery.envelopes import story_json
from newswire.delivery.formats import get_format, negotiate, render
from newswire.models.principals import Principal, Role
from newswire.models.stories import EventType, StoryVersion
from newswire.models.usage import Channel
from newswire.newsroom.drafts import CorrectionRequest, KillRequest, StoryDraft
from newswire.newsroom.filing import Filed
from newswire.newsroom.importers.errors import IngestError
from newswire.newsroom.importers.newsml_g2 import parse_newsml_g2
from newswire.newsroom.importers.ninjs import parse_ninjs
from newswire.newsroom.importers.text_layout import LayoutError, parse_text_layout
from newswire.runtime import Runtime

router = APIRouter(prefix="/v1", tags=["stories"], responses=AUTH_ERRORS)

_STORY_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": StoryDraft.model_json_schema()},
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


async def delivered(
    story: StoryVersion,
    request: Request,
    principal: Principal,
    runtime: Runtime,
    format: str | None,
) -> Response:
    """Answer with a full story version, counted against the daily quota and recorded as usage."""
    name = negotiate(format, request.headers.get("accept"), principal.format)
    body = render(story, name, runtime.agency)
    meter = Meter(runtime, principal, Channel.STORY, name)
    if not await meter.grant(1):
        raise quota_exhausted(runtime, principal.daily_quota)
    meter.delivered_versions([(story, None)])
    return Response(body, media_type=get_format(name).media_type)


def decode_utf8(raw: bytes) -> str:
    """Return the request body as text, or answer 400 when it is not valid UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise APIError(
            400, f"request body is not valid UTF-8 (at byte {error.start})", "body"
        ) from error


INGEST_TYPES = {
    "application/vnd.iptc.ninjs+json": "ninjs",
    "application/ninjs+json": "ninjs",
    "application/vnd.iptc.g2.newsitem+xml": "newsml-g2",
    "application/vnd.iptc.g2+xml": "newsml-g2",
    "application/xml": "newsml-g2",
    "text/xml": "newsml-g2",
}


def _ingest_fields(content_type: str, text: str) -> dict[str, Any]:
    """Parse another agency's ninjs or NewsML-G2 item, validated against the official schema."""
    if INGEST_TYPES[content_type] == "ninjs":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise IngestError("$", f"not valid JSON: {error.msg} at line {error.lineno}") from error
        if not isinstance(data, dict):
            raise IngestError("$", "a ninjs item is a JSON object")
        return parse_ninjs(data)
    return parse_newsml_g2(text.encode("utf-8"))


async def read_draft(
    request: Request, public: bool | None, draft_type: type[StoryDraft] = StoryDraft
) -> StoryDraft:
    """Decode a filed story (JSON, text layout, ninjs or NewsML-G2) and validate it."""
    draft, _ = await read_filing(request, public, draft_type)
    return draft


async def read_filing(
    request: Request, public: bool | None, draft_type: type[StoryDraft] = StoryDraft
) -> tuple[StoryDraft, int | None]:
    """Decode and validate a filed story; also return the source's version for ingested items."""
    text = decode_utf8(await request.body())
    source_version: int | None = None
    content_type = (
        request.headers.get("content-type", "application/json").split(";")[0].strip().lower()
    )
    fields: Any
    if content_type == "text/plain":
        try:
            fields = parse_text_layout(text)
        except LayoutError as error:
            raise APIError(422, str(error), error.field) from error
        for name in ("language", "urgency"):
            if name in request.query_params:
                fields[name] = request.query_params[name]
    elif content_type in ("application/json", ""):
        try:
            fields = json.loads(text)
        except json.JSONDecodeError as error:
            raise APIError(
                400, f"request body is not valid JSON: {error.msg} at line {error.lineno}", "body"
            ) from error
        if not isinstance(fields, dict):
            raise APIError(422, "expected a JSON object with the story's fields", "body")
    elif content_type in INGEST_TYPES:
        try:
            fields = _ingest_fields(content_type, text)
        except IngestError as error:
            raise APIError(422, error.message, error.path) from error
        source_version = int(fields.pop("version", 1) or 1)
    else:
        raise APIError(
            415,
            f"unsupported Content-Type {content_type!r}; use application/json, text/plain, "
            "application/vnd.iptc.ninjs+json or application/vnd.iptc.g2.newsitem+xml",
            "content-type",
        )
    if public is not None:
        fields["public"] = public
    return draft_type.model_validate(fields), source_version


def filed_response(filed: Filed, status: int) -> JSONResponse:
    """Answer an editor with the stored story, its version and its log position."""
    body = story_json(filed.story)
    body["seq"] = filed.event.seq
    body["event"] = filed.event.type.value
    headers = {"Location": f"/v1/stories/{filed.story.story_id}"}
    return JSONResponse(body, status_code=status, headers=headers)


PublicParam = Annotated[
    bool | None, Query(description="Put the story on the public site (text layout requests)")
]


@router.post("/stories", status_code=201, openapi_extra=_STORY_BODY, responses=_FILING_ERRORS)
async def file_story(
    request: Request, runtime: RuntimeDep, _editor: EditorDep, public: PublicParam = None
) -> JSONResponse:
    """File a new story; returns it with its id, version and log position.

    JSON and the agency text layout make version 1. A ninjs or NewsML-G2 item
    from another agency keeps its guid and follows the source's versions: a
    newer version of a known guid updates that story (200), an older or equal
    one is refused with 409.
    """
    draft, source_version = await read_filing(request, public)
    if source_version is None:
        filed = await runtime.wire.file_story(draft)
    else:
        filed = await runtime.wire.ingest_story(draft, source_version)
    return filed_response(filed, 201 if filed.event.type is EventType.PUBLISHED else 200)


@router.put(
    "/stories/{story_id}",
    openapi_extra=_STORY_BODY,
    responses=_REVISION_ERRORS,
)
async def update_story(
    story_id: str,
    request: Request,
    runtime: RuntimeDep,
    _editor: EditorDep,
    public: PublicParam = None,
) -> JSONResponse:
    """File a new version of a story (write-through update); the version number grows by one."""
    draft = await read_draft(request, public)
    return filed_response(await runtime.wire.update_story(story_id, draft), 200)


@router.post(
    "/stories/{story_id}/kill",
    responses={404: {"description": "No such story"}, 409: {"description": "Already killed"}},
)
async def kill_story(
    story_id: str, body: KillRequest, runtime: RuntimeDep, _editor: EditorDep
) -> JSONResponse:
    """Withdraw a story with a reason; every subscriber that received it is told."""
    return filed_response(await runtime.wire.kill_story(story_id, body.reason), 200)


@router.post(
    "/stories/{story_id}/correct",
    openapi_extra=_STORY_BODY,
    responses=_REVISION_ERRORS,
)
async def correct_story(
    story_id: str,
    request: Request,
    runtime: RuntimeDep,
    _editor: EditorDep,
    public: PublicParam = None,
) -> JSONResponse:
    """File a corrected version; `ednote` (required) says what was wrong.

    Every subscriber that received the story gets the correction, even if the
    corrected story no longer matches its entitlements.
    """
    draft = await read_draft(request, public, CorrectionRequest)
    return filed_response(await runtime.wire.correct_story(story_id, draft), 200)


class EmbargoChange(BaseModel):
    """A new embargo time, or null to lift the embargo now."""

    model_config = ConfigDict(extra="forbid")
    embargoed_until: datetime | None = Field(
        description="New release time (with a time zone), or null / a past time to release now"
    )

    @field_validator("embargoed_until")
    @classmethod
    def _zoned(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("give a time zone, e.g. 2026-11-27T18:00:00Z")
        return value


@router.post(
    "/stories/{story_id}/embargo",
    responses={404: {"description": "No such story"}, 409: {"description": "Not under embargo"}},
)
async def change_embargo(
    story_id: str, body: EmbargoChange, runtime: RuntimeDep, _editor: EditorDep
) -> JSONResponse:
    """Move a story's embargo, or lift it now (`null`): story.embargo_changed or story.released."""
    filed = await runtime.wire.change_embargo(story_id, body.embargoed_until)
    return filed_response(filed, 200)


async def readable_story_id(runtime: Runtime, principal: Principal, key: str) -> str:
    """Resolve an id, slug or guid that the reader may see, or answer 404 (never 403)."""
    story_id = await runtime.storage.story_id_for(key)
    if story_id is None:
        raise APIError(404, f"no story {key}", "id")
    if principal.role is Role.SUBSCRIBER:
        entries = await runtime.storage.log_entries_for_story(story_id, 2**62)
        visibility = Visibility(principal, runtime.storage.log_entries_for_story)
        if not await visibility.may_read_story(entries):
            raise APIError(404, f"no story {key}", "id")
    return story_id


@router.get(
    "/stories/{story_id}",
    responses={
        200: {"description": "The current version in the chosen format"},
        404: {"description": "No such story, or not yours"},
        406: {"description": "Unknown format"},
        429: {"description": "Daily download quota used up (or over the rate limit)"},
    },
)
async def get_story(
    story_id: str,
    request: Request,
    runtime: RuntimeDep,
    principal: ReaderDep,
    format: FormatParam = None,
) -> Response:
    """Return the current version of a story as ninjs (or the chosen format)."""
    found = await readable_story_id(runtime, principal, story_id)
    story = await runtime.storage.current_story(found)
    assert story is not None
    return await delivered(story, request, principal, runtime, format)
