"""The portal's wire, search and story pages, the live stream and the downloads.

    GET  /portal/                          the wire: newest first, filters, pages, live
    GET  /portal/live                      the live wire (SSE), with the page's filters
                                           (&with=media: a story page's, pictures too)
    GET  /portal/search                    the archive search language, filters, marks, tips
    GET  /portal/stories/{id}              one story: text, versions and diffs, notices, actions
    GET  /portal/stories/{id}/download     ?format=newsml-g2 (&version=N): the file
    POST /portal/downloads                 several selected stories as one zip

Every handler reads the request, calls one operation of `runtime.portal`
(or `runtime.live_wire`) as the company's subscriber principal, and answers;
a story the company may not read is 404 on its page and its download alike.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from starlette.responses import Response

from newswire.identity.signin import SignedIn
from newswire.models.errors import DomainError, NotFound, QuotaExhausted
from newswire.portal.filters import WireFilters
from newswire.portal.live import LiveResponse
from newswire.portal.service import DOWNLOAD_FORMATS
from newswire.portal.views import CHANGE_LABELS, PAGES, kill_notice_html, live_renderer, wire_items
from newswire.portal.web import PERSON, notice, portal_page, runtime_of
from newswire.web.audiences import PORTAL

router = APIRouter(prefix="/portal", include_in_schema=False)
Text = Annotated[str, Query()]


def filters_of(request: Request) -> WireFilters:
    """Return the filters in a page's query string."""
    values = request.query_params
    return WireFilters(
        q=values.get("q", ""),
        section=values.get("section", ""),
        subject=values.get("subject", ""),
        language=values.get("language", ""),
        urgency=values.get("urgency", ""),
        since=values.get("since", ""),
        published_from=values.get("from", ""),
        published_to=values.get("to", ""),
        topic=values.get("topic", ""),
        media=values.get("media", ""),
    )


def _refusal(request: Request, signed: SignedIn, error: DomainError) -> Response:
    if isinstance(error, NotFound):
        ui = PAGES.interface(request, signed)
        message = ui("No such story, or not one your company receives.")
        return notice(request, signed, 404, "Story not found", message)
    status = 429 if isinstance(error, QuotaExhausted) else 422
    return notice(request, signed, status, "Error", error.message)


async def _listing_page(
    request: Request, signed: SignedIn, here: str, newest: bool, cursor: str
) -> Response:
    filters = filters_of(request)
    portal = runtime_of(request).portal
    errors: dict[str, str] = {}
    page = None
    try:
        page = await portal.listing(signed.principal, filters, cursor, newest)
    except DomainError as error:
        if isinstance(error, NotFound) and error.field != "topic":
            return _refusal(request, signed, error)
        errors[error.field or "q"] = error.message
    shown = filters if page is None else page.filters
    # Only the first page of the wire grows live; older pages stay as they are.
    live = here == "wire" and not cursor and not errors
    live_url = f"/portal/live?{shown.query_string()}" if live else ""
    return portal_page(
        request,
        signed,
        here,
        status=422 if errors else 200,
        errors=errors,
        action="/portal/" if here == "wire" else f"/portal/{here}",
        with_query=here == "search",
        selectable=True,
        live_url=live_url,
        page=page,
        items=[] if page is None else wire_items(page),
        filters=shown,
        topics=[] if page is None else page.topics,
        topic_choices=[] if page is None else [(each.id, each.name) for each in page.topics],
        cursor=cursor,
        formats=DOWNLOAD_FORMATS,
    )


@router.get("/")
async def wire(request: Request, cursor: Text = "", signed: SignedIn = PERSON) -> Response:
    """Show the wire: the newest stories the company receives, filtered, live."""
    return await _listing_page(request, signed, "wire", True, cursor)


@router.get("/search")
async def search(request: Request, cursor: Text = "", signed: SignedIn = PERSON) -> Response:
    """Search the archive the company may see, with its query language, marks and tips."""
    return await _listing_page(request, signed, "search", False, cursor)


@router.get("/live")
async def live(request: Request, signed: SignedIn = PERSON) -> Response:
    """Stream the page's wire live: new stories, updates, corrections and kills."""
    runtime = runtime_of(request)
    filters = filters_of(request)
    every = request.query_params.get("with") == "media"  # a story page's stream
    render = live_renderer(PAGES.interface(request, signed).language, filters.media, every)
    subscription = await runtime.live_wire.open(signed.principal, filters, render)
    ended = runtime.sign_in.watch_page(signed)
    response = LiveResponse(
        subscription,
        ended,
        runtime.settings.stream_heartbeat_seconds,
        f"{PORTAL.sign_in_path}?notice=ended",
        lambda: runtime.sign_in.unwatch_page(signed, ended),
    )
    return response


@router.get("/stories/{key}")
async def story(request: Request, key: str, signed: SignedIn = PERSON) -> Response:
    """Show a story as the company receives it, with its versions, diffs and notices."""
    try:
        view = await runtime_of(request).portal.story(signed.person, signed.principal, key)
    except DomainError as error:
        return _refusal(request, signed, error)
    ui = PAGES.interface(request, signed)
    return portal_page(
        request,
        signed,
        "story",
        view=view,
        story=view.current,
        formats=DOWNLOAD_FORMATS,
        change_labels=CHANGE_LABELS,
        kill_notice=kill_notice_html(view.current, ui) if view.current.is_killed else "",
    )


@router.get("/stories/{key}/download")
async def download(
    request: Request,
    key: str,
    format: Text = "newsml-g2",
    version: Annotated[int | None, Query(ge=1)] = None,
    signed: SignedIn = PERSON,
) -> Response:
    """Send a story (its current version, or one version) as a file in a format."""
    try:
        found, name = await runtime_of(request).portal.download(
            signed.person, signed.principal, key, format, version
        )
    except DomainError as error:
        return _refusal(request, signed, error)
    return Response(
        found.body,
        media_type=found.media_type,
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "Cache-Control": "no-store",
        },
    )


@router.post("/downloads")
async def bundle(
    request: Request,
    story: Annotated[list[str] | None, Form()] = None,
    format: Annotated[str, Form()] = "newsml-g2",
    signed: SignedIn = PERSON,
) -> Response:
    """Send the selected stories as one zip in a format."""
    try:
        body, _stories = await runtime_of(request).portal.bundle(
            signed.person, signed.principal, story or [], format
        )
    except DomainError as error:
        return _refusal(request, signed, error)
    return Response(
        body,
        media_type="application/zip",
        headers={
            "Content-Disposition": 'attachment; filename="stories.zip"',
            "Cache-Control": "no-store",
        },
    )
