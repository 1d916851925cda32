"""What editors do on the desk: each form or script call is one operation of the desk service.

    POST /desk/drafts                         start a story (then its editor)
    POST /desk/drafts/{id}/autosave           JSON {version, fields}: the editor's autosave
    POST /desk/drafts/{id}/save               the editor's form, saved
    POST /desk/drafts/{id}/submit             saved and sent to the desk
    POST /desk/drafts/{id}/publish            saved and filed (publish, or update its story)
    POST /desk/drafts/{id}/correct            saved and filed as a correction
    POST /desk/drafts/{id}/desk               move it to another desk
    POST /desk/drafts/{id}/move               to another stage
    POST /desk/drafts/{id}/spike | unspike    off the desk, and back (a chief)
    POST /desk/drafts/{id}/release            let go of one's own lock (leaving the editor)
    POST /desk/drafts/{id}/unlock             a chief takes another's lock away
    POST /desk/stories/{id}/kill              withdraw a filed story, with the reason
    POST /desk/stories/{id}/embargo           lift its embargo now

A form the gate refuses comes back as the editor with what was typed and the
message beside each field at fault; nothing typed is lost.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, RedirectResponse
from starlette.responses import Response

from newswire.delivery.envelopes import iso
from newswire.desk import views
from newswire.desk.desks import DESK as NEWS
from newswire.desk.fields import FieldErrors, clean_fields
from newswire.desk.web import (
    PAGES,
    PERSON,
    PUBLISHER,
    desk_of,
    desk_page,
    fields_from_form,
    fields_from_json,
    runtime_of,
    staff_of,
)
from newswire.identity.signin import SignedIn
from newswire.models.errors import DomainError, Invalid

router = APIRouter(prefix="/desk", include_in_schema=False)


def _to(draft_id: str, notice: str) -> Response:
    return RedirectResponse(f"/desk/drafts/{draft_id}?notice={notice}", status_code=303)


async def _version(request: Request) -> int:
    try:
        return int(str((await request.form()).get("version", "")))
    except ValueError as error:
        raise Invalid("the form has no draft version; reload the page", "version") from error


async def _refused(
    request: Request, draft_id: str, signed: SignedIn, error: DomainError, typed: dict[str, Any]
) -> Response:
    """Show the editor again with what was typed and why it was refused."""
    runtime = runtime_of(request)
    staff = staff_of(signed)
    draft = await runtime.desk.get(draft_id)
    try:
        draft = dataclasses.replace(draft, fields=clean_fields(typed, draft.fields))
    except Invalid:
        pass
    errors = error.errors if isinstance(error, FieldErrors) else {}
    story = await runtime.storage.stories.current(draft.story_id) if draft.story_id else None
    status = 422 if isinstance(error, Invalid) else 409
    ui = PAGES.interface(request, signed)
    problem = ui("Not filed: see the fields marked below.") if errors else ui(error.message)
    editing = await views.editor_context(runtime, draft, staff, story, errors)
    return desk_page(request, signed, "desk/editor.html", status, problem=problem, **editing)


@router.post("/drafts")
async def create(request: Request, signed: SignedIn = PERSON) -> Response:
    """Start a story in the person's own drafts (from a template, if one is chosen); open it."""
    form = await request.form()
    template = str(form.get("template", ""))
    desk = str(form.get("desk", "")) or NEWS
    if template:
        draft = await runtime_of(request).templates.start(template, staff_of(signed), desk)
    else:
        draft = await desk_of(request).create(staff_of(signed), None, desk)
    return RedirectResponse(f"/desk/drafts/{draft.id}", status_code=303)


@router.post("/drafts/{draft_id}/autosave")
async def autosave(request: Request, draft_id: str, signed: SignedIn = PERSON) -> JSONResponse:
    """Save the editor's fields against the version they were typed on (JSON in and out)."""
    body = await request.json()
    if not isinstance(body, dict) or not isinstance(body.get("fields"), dict):
        raise Invalid("expected {version, fields}", "fields")
    try:
        version = int(body.get("version", 0))
    except (TypeError, ValueError) as error:
        raise Invalid("version is a number", "version") from error
    draft = await desk_of(request).save(
        draft_id, version, fields_from_json(body["fields"]), staff_of(signed)
    )
    return JSONResponse({"version": draft.version, "saved_at": iso(draft.updated_at)})


@router.post("/drafts/{draft_id}/save")
async def save(request: Request, draft_id: str, signed: SignedIn = PERSON) -> Response:
    """Save the editor's form (without JavaScript, or the Save button)."""
    typed = fields_from_form(await request.form())
    try:
        await desk_of(request).save(draft_id, await _version(request), typed, staff_of(signed))
    except DomainError as error:
        return await _refused(request, draft_id, signed, error, typed)
    return _to(draft_id, "saved")


@router.post("/drafts/{draft_id}/submit")
async def submit(request: Request, draft_id: str, signed: SignedIn = PERSON) -> Response:
    """Save the form and send the draft to the desk's first stage."""
    typed = fields_from_form(await request.form())
    try:
        await desk_of(request).submit_edited(
            draft_id, await _version(request), typed, staff_of(signed)
        )
    except DomainError as error:
        return await _refused(request, draft_id, signed, error, typed)
    # Handed over: back to the person's own drafts, so the draft stays unlocked for the desk.
    return RedirectResponse("/desk/mine?notice=submitted", status_code=303)


async def _file(request: Request, draft_id: str, signed: SignedIn, correction: bool) -> Response:
    typed = fields_from_form(await request.form())
    try:
        published = await desk_of(request).publish_edited(
            draft_id, await _version(request), typed, staff_of(signed), correction
        )
    except DomainError as error:
        return await _refused(request, draft_id, signed, error, typed)
    done = published.event.type.value.removeprefix("story.") if published.event else "published"
    return _to(draft_id, done)


@router.post("/drafts/{draft_id}/publish")
async def publish(request: Request, draft_id: str, signed: SignedIn = PUBLISHER) -> Response:
    """Save the form and file the draft: publish it, or update its story."""
    return await _file(request, draft_id, signed, correction=False)


@router.post("/drafts/{draft_id}/correct")
async def correct(request: Request, draft_id: str, signed: SignedIn = PUBLISHER) -> Response:
    """Save the form and file it as a correction of its story (the note says what was wrong)."""
    return await _file(request, draft_id, signed, correction=True)


@router.post("/drafts/{draft_id}/move")
async def move(request: Request, draft_id: str, signed: SignedIn = PUBLISHER) -> Response:
    """Move a draft to another stage."""
    stage = str((await request.form()).get("stage", ""))
    await desk_of(request).move(draft_id, stage, staff_of(signed))
    return _to(draft_id, "moved")


@router.post("/drafts/{draft_id}/desk")
async def transfer(request: Request, draft_id: str, signed: SignedIn = PUBLISHER) -> Response:
    """Move a draft to another desk."""
    desk = str((await request.form()).get("desk", ""))
    await desk_of(request).transfer(draft_id, desk, staff_of(signed))
    return _to(draft_id, "moved")


@router.post("/drafts/{draft_id}/spike")
async def spike(request: Request, draft_id: str, signed: SignedIn = PERSON) -> Response:
    """Take a draft off the desk."""
    await desk_of(request).spike(draft_id, staff_of(signed))
    return _to(draft_id, "spiked")


@router.post("/drafts/{draft_id}/unspike")
async def unspike(request: Request, draft_id: str, signed: SignedIn = PERSON) -> Response:
    """Restore a spiked draft (a chief)."""
    await desk_of(request).unspike(draft_id, staff_of(signed))
    return _to(draft_id, "restored")


@router.post("/drafts/{draft_id}/release")
async def release(request: Request, draft_id: str, signed: SignedIn = PERSON) -> Response:
    """Let go of one's own lock (the editor page sends this when it is left)."""
    await desk_of(request).unlock(draft_id, staff_of(signed))
    return Response(status_code=204)


@router.post("/drafts/{draft_id}/unlock")
async def unlock(request: Request, draft_id: str, signed: SignedIn = PERSON) -> Response:
    """Take another editor's lock away (a chief)."""
    await desk_of(request).unlock(draft_id, staff_of(signed), force=True)
    return _to(draft_id, "unlocked")


@router.post("/stories/{story_id}/kill")
async def kill(request: Request, story_id: str, signed: SignedIn = PUBLISHER) -> Response:
    """Withdraw a filed story; subscribers receive the notice with the reason."""
    reason = str((await request.form()).get("reason", ""))
    await desk_of(request).kill(story_id, reason, staff_of(signed))
    return RedirectResponse(f"/desk/stories/{story_id}?notice=killed", status_code=303)


@router.post("/stories/{story_id}/embargo")
async def lift_embargo(request: Request, story_id: str, signed: SignedIn = PUBLISHER) -> Response:
    """Lift a filed story's embargo now."""
    await desk_of(request).embargo(story_id, None, staff_of(signed))
    return RedirectResponse(f"/desk/stories/{story_id}?notice=released", status_code=303)
