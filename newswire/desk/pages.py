"""The desk's pages: monitoring, my drafts, spiked, the story editor, previews, topics.

GET /desk/?desk=                   a desk's monitoring view (live, see events.py)
GET /desk/board?desk=              its columns alone (what the live view fetches)
GET /desk/mine                     my drafts
GET /desk/spiked                   spiked drafts
GET /desk/drafts/{id}              the story editor (opening it takes the lock)
GET /desk/drafts/{id}/preview      the public summary or one format, from the draft
GET /desk/stories/{id}             edit a filed story (its draft, made on first opening)
GET /desk/topics?q=                Media Topics matching q (the picker's list)
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from newswire.desk import views
from newswire.desk.desks import DESK as NEWS
from newswire.desk.topics import search_topics
from newswire.desk.web import (
    NOTICES,
    PAGES,
    PERSON,
    PUBLISHER,
    desk_of,
    desk_page,
    notice_text,
    runtime_of,
    staff_of,
)
from newswire.identity.signin import SignedIn

router = APIRouter(prefix="/desk", include_in_schema=False)


@router.get("/")
async def monitoring(request: Request, desk: str = NEWS, signed: SignedIn = PERSON) -> Response:
    """Show a desk's monitoring view: one column per stage, and the wire."""
    runtime = runtime_of(request)
    return desk_page(
        request,
        signed,
        "desk/board.html",
        here="board",
        desks=await runtime.desk.desks.names(),
        templates=await runtime.templates.all(),
        **await views.board_context(runtime, desk),
    )


@router.get("/board")
async def board_fragment(request: Request, desk: str = NEWS, signed: SignedIn = PERSON) -> Response:
    """Return a desk's monitoring columns (what the live page swaps in)."""
    columns = await views.board_context(runtime_of(request), desk)
    return desk_page(request, signed, "desk/_board.html", **columns)


@router.get("/mine")
async def my_drafts(request: Request, notice: str = "", signed: SignedIn = PERSON) -> Response:
    """Show the signed-in person's drafts not yet on the desk."""
    ui = PAGES.interface(request, signed)
    drafts = await desk_of(request).mine(staff_of(signed))
    shown = await views.list_context(runtime_of(request), ui("My drafts"), drafts)
    return desk_page(
        request, signed, "desk/list.html", here="mine", notice=notice_text(ui, notice), **shown
    )


@router.get("/spiked")
async def spiked(request: Request, signed: SignedIn = PERSON) -> Response:
    """Show the spiked drafts (a chief may restore them)."""
    ui = PAGES.interface(request, signed)
    drafts = await desk_of(request).spiked()
    shown = await views.list_context(runtime_of(request), ui("Spiked"), drafts)
    return desk_page(request, signed, "desk/list.html", here="spiked", **shown)


@router.get("/drafts/{draft_id}")
async def editor(
    request: Request, draft_id: str, notice: str = "", signed: SignedIn = PERSON
) -> Response:
    """Open the story editor; the draft is locked to this person unless another holds it."""
    runtime = runtime_of(request)
    staff = staff_of(signed)
    draft = await runtime.desk.lock(draft_id, staff)
    story = await runtime.storage.stories.current(draft.story_id) if draft.story_id else None
    notice = notice_text(PAGES.interface(request, signed), notice)
    editing = await views.editor_context(runtime, draft, staff, story)
    return desk_page(request, signed, "desk/editor.html", notice=notice, **editing)


@router.get("/drafts/{draft_id}/preview")
async def preview(
    request: Request, draft_id: str, format: str = "summary", signed: SignedIn = PERSON
) -> Response:
    """Show the draft as the site and each subscriber format would have it, unfiled."""
    runtime = runtime_of(request)
    draft = await runtime.desk.get(draft_id)
    context = await views.preview_context(runtime, draft, format)
    fragment = request.headers.get("x-desk-fragment") == "1"
    template = "desk/_preview.html" if fragment else "desk/preview.html"
    return desk_page(request, signed, template, draft=draft, **context)


@router.get("/stories/{story_id}")
async def open_story(
    request: Request, story_id: str, notice: str = "", signed: SignedIn = PERSON
) -> Response:
    """Open a filed story in the editor (through the draft that edits it)."""
    draft = await desk_of(request).open_story(story_id, staff_of(signed))
    after = f"?notice={notice}" if notice in NOTICES else ""
    return RedirectResponse(f"/desk/drafts/{draft.id}{after}", status_code=303)


@router.get("/stories/{story_id}/history")
async def story_record(
    request: Request,
    story_id: str,
    old: Annotated[int | None, Query(alias="from")] = None,
    new: Annotated[int | None, Query(alias="to")] = None,
    signed: SignedIn = PUBLISHER,
) -> Response:
    """Show a filed story's versions (who, when), a diff, its history and its deliveries."""
    runtime = runtime_of(request)
    record = await runtime.story_records.record(story_id)
    latest = record.versions[-1].version
    old = old if old is not None else max(1, latest - 1)
    new = new if new is not None else latest
    diff = await runtime.story_records.diff(story_id, old, new) if old != new else None
    return desk_page(
        request,
        signed,
        "desk/record.html",
        story=record.versions[-1],
        record=record,
        history=await runtime.desk.story_history(story_id),
        diff=diff,
        old=old,
        new=new,
    )


@router.get("/topics")
async def topics(request: Request, q: str = "", signed: SignedIn = PERSON) -> Response:
    """Return the Media Topics matching a query, as the picker's list items."""
    return desk_page(request, signed, "desk/_topics.html", topics=search_topics(q[:100]))
