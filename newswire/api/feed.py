"""The pull feed: `GET /v1/feed?after=CURSOR&limit=N&wait=S`, and the subscriber's Atom feed."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from newswire.api.deps import AUTH_ERRORS, ReaderDep, RuntimeDep
from newswire.api.params import AfterParam, FormatParam, SearchParam, format_for
from newswire.delivery.cursors import parse_cursor
from newswire.delivery.envelopes import envelope_json

router = APIRouter(prefix="/v1", tags=["feed"], responses=AUTH_ERRORS)


@router.get(
    "/feed",
    responses={
        400: {"description": "Invalid cursor"},
        406: {"description": "Unknown format; the error lists the known ones"},
    },
)
async def read_feed(
    request: Request,
    runtime: RuntimeDep,
    principal: ReaderDep,
    after: AfterParam = None,
    limit: Annotated[int, Query(ge=1, le=10_000, description="Most events to return")] = 100,
    wait: Annotated[
        float, Query(ge=0, le=3600, description="Seconds to long-poll when nothing is new")
    ] = 0,
    format: FormatParam = None,
    search: SearchParam = None,
) -> Response:
    """Return the events after the cursor that the caller is entitled to, in log order.

    Following `next` from the start yields every entitled event exactly once,
    in order. With `wait`, an empty page is held open until an event arrives
    or the wait ends.
    """
    cursor = parse_cursor(after)
    format_name = format_for(request, principal, format)
    page = await runtime.feed.page(principal, cursor, limit, wait, format_name, search)
    # {"events": [...], "next": "N"}, from each envelope's cached JSON text.
    events = ",".join(envelope_json(d, format_name, runtime.agency) for d in page.deliveries)
    body = f'{{"events":[{events}],"next":{json.dumps(str(page.next))}}}'
    return Response(body, media_type="application/json")


@router.get(
    "/feed.atom",
    response_class=Response,
    responses={200: {"content": {"application/atom+xml": {}}, "description": "Atom 1.0 feed"}},
)
async def read_atom_feed(
    request: Request,
    runtime: RuntimeDep,
    principal: ReaderDep,
    limit: Annotated[int, Query(ge=1, le=200, description="Most entries")] = 50,
) -> Response:
    """Return the caller's wire as an Atom 1.0 feed: the latest version of each recent story.

    Full entries (body included), newest first, for ordinary feed readers; the
    entry id is the story's guid, so a reader shows an update as a revision.
    """
    body = await runtime.feed.atom(principal, limit, str(request.url))
    return Response(body, media_type="application/atom+xml; charset=utf-8")
