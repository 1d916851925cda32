"""What a chief configures on the desk: its stages, the sections and the story templates.

GET  /desk/setup                       the stages and the templates (chiefs)
POST /desk/setup/stages                set a desk's stages, one per line
POST /desk/setup/desks                 add a desk with its stages
POST /desk/setup/columns               add a saved-search column to a desk's monitoring view
POST /desk/setup/columns/remove        remove one
POST /desk/setup/sections              set the agency's sections, one per line
POST /desk/drafts/{id}/template        save a draft's fields as a template
POST /desk/templates/{id}/delete       delete a template
"""

from __future__ import annotations

from collections.abc import Awaitable

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from newswire.desk.desks import DESK as NEWS
from newswire.desk.web import PAGES, PERSON, desk_of, desk_page, notice_text, runtime_of, staff_of
from newswire.identity.signin import SignedIn
from newswire.models.errors import Invalid, Malformed
from newswire.models.people import PersonRole
from newswire.web.audiences import DESK
from newswire.web.sessions import PageRefused

router = APIRouter(prefix="/desk", include_in_schema=False)


def _chief(signed: SignedIn) -> None:
    if signed.person.role is not PersonRole.CHIEF:
        raise PageRefused(DESK, "Only a chief may change the desk's setup.")


async def _page(
    request: Request, signed: SignedIn, status: int = 200, notice: str = "", problem: str = ""
) -> Response:
    runtime = runtime_of(request)
    return desk_page(
        request,
        signed,
        "desk/setup.html",
        status,
        here="setup",
        desks=[
            (name, await runtime.desk.stages(name), await runtime.search_columns.of(name))
            for name in await runtime.desk.desks.names()
        ],
        sections=(await runtime.desk.sections.current()).names,
        templates=await runtime.templates.all(),
        notice=notice_text(PAGES.interface(request, signed), notice),
        problem=problem,
    )


async def _then_setup(
    request: Request, signed: SignedIn, change: Awaitable[object], notice: str
) -> Response:
    """Await a change to the setup; see the setup saying it is saved, or why it was refused."""
    try:
        await change
    except (Invalid, Malformed) as error:  # Malformed: a column's query that does not parse
        return await _page(request, signed, status=422, problem=error.message)
    return RedirectResponse(f"/desk/setup?notice={notice}", status_code=303)


@router.get("/setup")
async def setup(request: Request, notice: str = "", signed: SignedIn = PERSON) -> Response:
    """Show the desk's stages and templates, for a chief to change."""
    _chief(signed)
    return await _page(request, signed, notice=notice)


@router.post("/setup/stages")
async def set_stages(request: Request, signed: SignedIn = PERSON) -> Response:
    """Set the desk's stages, in order, one per line."""
    form = await request.form()
    text, desk = str(form.get("stages", "")), str(form.get("desk", "")) or NEWS
    setting = desk_of(request).set_stages(text.splitlines(), staff_of(signed), desk)
    return await _then_setup(request, signed, setting, "stages")


@router.post("/setup/desks")
async def add_desk(request: Request, signed: SignedIn = PERSON) -> Response:
    """Add a desk (World, Sport, ...) with its stages, one per line."""
    form = await request.form()
    name, stages = str(form.get("name", "")), str(form.get("stages", ""))
    adding = desk_of(request).desks.add(name, stages.splitlines(), staff_of(signed))
    return await _then_setup(request, signed, adding, "desk")


@router.post("/setup/sections")
async def set_sections(request: Request, signed: SignedIn = PERSON) -> Response:
    """Set the agency's sections, one per line (none: any name is accepted)."""
    text = str((await request.form()).get("sections", ""))
    setting = desk_of(request).set_sections(text.splitlines(), staff_of(signed))
    return await _then_setup(request, signed, setting, "sections")


@router.post("/setup/columns")
async def add_column(request: Request, signed: SignedIn = PERSON) -> Response:
    """Add a saved-search column (a name and a query) to a desk's monitoring view."""
    form = await request.form()
    desk, name = str(form.get("desk", "")) or NEWS, str(form.get("name", ""))
    query = str(form.get("query", ""))
    adding = runtime_of(request).search_columns.add(desk, name, query, staff_of(signed))
    return await _then_setup(request, signed, adding, "column")


@router.post("/setup/columns/remove")
async def remove_column(request: Request, signed: SignedIn = PERSON) -> Response:
    """Remove a saved-search column from a desk's monitoring view."""
    form = await request.form()
    position = str(form.get("position", ""))
    await runtime_of(request).search_columns.remove(
        str(form.get("desk", "")) or NEWS,
        int(position) if position.isdigit() else -1,
        staff_of(signed),
    )
    return RedirectResponse("/desk/setup?notice=column", status_code=303)


@router.post("/drafts/{draft_id}/template")
async def save_as_template(request: Request, draft_id: str, signed: SignedIn = PERSON) -> Response:
    """Save a draft's fields (not its headline) as a template."""
    name = str((await request.form()).get("name", ""))
    await runtime_of(request).templates.save_draft_as(draft_id, name, staff_of(signed))
    return RedirectResponse(f"/desk/drafts/{draft_id}?notice=template", status_code=303)


@router.post("/templates/{template_id}/delete")
async def delete_template(
    request: Request, template_id: str, signed: SignedIn = PERSON
) -> Response:
    """Delete a template."""
    await runtime_of(request).templates.delete(template_id, staff_of(signed))
    return RedirectResponse("/desk/setup?notice=deleted", status_code=303)
