"""Draft endpoints: the desk's operations for machines and scripts (issue 17).

The desk pages are a client of the same domain (`desk.service.Desk`): what a
reporter or editor does there, a key with the reporter or editor role does
here. A draft is not on the wire until it is published; publishing goes
through the newsroom's one path into the log.

    POST /v1/drafts                     start a draft (201)
    GET  /v1/drafts/{id}                read it, with its version
    PUT  /v1/drafts/{id}                save fields against a version (409 when stale)
    POST /v1/drafts/{id}/submit         send it to the desk's first stage
    POST /v1/drafts/{id}/publish        file it: publish, or update its story (editors)
    POST /v1/drafts/{id}/correct        file it as a correction of its story (editors)
    GET  /v1/drafts/{id}/history        who did what, when
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field

from newswire.api.deps import AUTH_ERRORS, RuntimeDep, require
from newswire.delivery.envelopes import iso, story_json
from newswire.desk.service import Published
from newswire.models.drafts import Draft, Staff
from newswire.models.principals import Principal, Role

router = APIRouter(prefix="/v1", tags=["drafts"], responses=AUTH_ERRORS)

WriterDep = Annotated[Principal, Depends(require(Role.REPORTER, Role.EDITOR, Role.ADMIN))]
_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such draft"},
    409: {"description": "Saved against an older version, or locked by another editor"},
    422: {"description": "A field is invalid; `error.field` names it"},
}


def staff_of(principal: Principal) -> Staff:
    """Return a key's principal as the desk's rules see it."""
    return Staff(principal.id, principal.name, principal.role in (Role.EDITOR, Role.ADMIN))


def draft_json(draft: Draft) -> dict[str, Any]:
    """Return a draft as the API shows it."""
    lock = draft.lock
    return {
        "id": draft.id,
        "story_id": draft.story_id,
        "desk": draft.desk,
        "stage": draft.stage or None,
        "status": draft.status.value,
        "version": draft.version,
        "fields": draft.fields,
        "author": {"id": draft.author_id, "name": draft.author_name},
        "saved_by": {"id": draft.editor_id, "name": draft.editor_name},
        "created_at": iso(draft.created_at),
        "updated_at": iso(draft.updated_at),
        "lock": {"holder": lock.holder_name, "until": iso(lock.until)} if lock else None,
    }


class NewDraft(BaseModel):
    """A draft's first fields (any may be left out)."""

    model_config = ConfigDict(extra="forbid")
    fields: dict[str, Any] = Field(default_factory=dict, description="Editor fields")
    desk: str = Field("News", max_length=40, description="The desk it belongs to, e.g. World")


class DraftSave(BaseModel):
    """Fields to save, and the version of the draft they were typed on."""

    model_config = ConfigDict(extra="forbid")
    version: int = Field(ge=1, description="The draft version this edit starts from")
    fields: dict[str, Any] = Field(default_factory=dict)


class DraftVersion(BaseModel):
    """The draft version an operation applies to (a stale one is refused with 409)."""

    model_config = ConfigDict(extra="forbid")
    version: int = Field(ge=1)


def _published(published: Published) -> JSONResponse:
    body = story_json(published.story)
    body["seq"] = published.event.seq if published.event else None
    body["event"] = published.event.type.value if published.event else None
    headers = {"Location": f"/v1/stories/{published.story.story_id}"}
    return JSONResponse(body, status_code=200, headers=headers)


@router.post("/drafts", status_code=201, responses=_ERRORS)
async def create_draft(body: NewDraft, runtime: RuntimeDep, writer: WriterDep) -> JSONResponse:
    """Start a draft in the caller's own drafts; it is not on the wire."""
    draft = await runtime.desk.create(staff_of(writer), body.fields, body.desk)
    return JSONResponse(
        draft_json(draft), status_code=201, headers={"Location": f"/v1/drafts/{draft.id}"}
    )


@router.get("/drafts/{draft_id}", responses=_ERRORS)
async def get_draft(draft_id: str, runtime: RuntimeDep, _writer: WriterDep) -> dict[str, Any]:
    """Return a draft with its fields and version."""
    return draft_json(await runtime.desk.get(draft_id))


@router.put("/drafts/{draft_id}", responses=_ERRORS)
async def save_draft(
    draft_id: str, body: DraftSave, runtime: RuntimeDep, writer: WriterDep
) -> dict[str, Any]:
    """Save fields (an autosave too); refused with 409 when the draft moved past `version`."""
    draft = await runtime.desk.save(draft_id, body.version, body.fields, staff_of(writer))
    return draft_json(draft)


@router.post("/drafts/{draft_id}/submit", responses=_ERRORS)
async def submit_draft(
    draft_id: str, body: DraftVersion, runtime: RuntimeDep, writer: WriterDep
) -> dict[str, Any]:
    """Send a complete draft to the desk's first stage (the gate checks every field)."""
    return draft_json(await runtime.desk.submit(draft_id, body.version, staff_of(writer)))


@router.post("/drafts/{draft_id}/publish", responses=_ERRORS)
async def publish_draft(
    draft_id: str, body: DraftVersion, runtime: RuntimeDep, writer: WriterDep
) -> JSONResponse:
    """File a draft: version 1 of a new story, or the next version of its story.

    Repeating the call for the same draft version files nothing more and answers
    with the story as filed (`event` null).
    """
    published = await runtime.desk.publish(draft_id, body.version, staff_of(writer))
    return _published(published)


@router.post("/drafts/{draft_id}/correct", responses=_ERRORS)
async def correct_draft(
    draft_id: str, body: DraftVersion, runtime: RuntimeDep, writer: WriterDep
) -> JSONResponse:
    """File a draft of a published story as its correction (`ednote` says what was wrong)."""
    published = await runtime.desk.publish(
        draft_id, body.version, staff_of(writer), correction=True
    )
    return _published(published)


@router.get("/drafts/{draft_id}/history", responses=_ERRORS)
async def draft_history(draft_id: str, runtime: RuntimeDep, _writer: WriterDep) -> dict[str, Any]:
    """Return what happened to a draft: created, submitted, published, ... by whom, when."""
    entries = await runtime.desk.history(draft_id)
    return {
        "draft_id": draft_id,
        "history": [
            {
                "at": iso(entry.at),
                "action": entry.action,
                "by": {"id": entry.person_id, "name": entry.person_name},
                "detail": entry.detail,
            }
            for entry in entries
        ],
    }
