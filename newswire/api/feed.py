"""The pull feed: `GET /v1/feed?after=CURSOR&limit=N&wait=S`, and the subscriber's Atom feed."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from newswire.api.deps import AUTH_ERRORS, ReaderDep, RuntimeDep
from newswire.api.params import (
    ATOM_FEED,
    EVENT_PAGE_ERRORS,
    AfterParam,
    AtomLimitParam,
    ReadingDep,
    SearchParam,
)
from newswire.api.shapes import atom_response
from newswire.delivery.cursors import parse_cursor
from newswire.delivery.envelopes import envelope_json

router = APIRouter(prefix="/v1", tags=["feed"], responses=AUTH_ERRORS)


@router.get("/feed", responses=EVENT_PAGE_ERRORS)
async def read_feed(
    runtime: RuntimeDep,
    reading: ReadingDep,
    after: AfterParam = None,
    limit: Annotated[int, Query(ge=1, le=10_000, description="Most events to return")] = 100,
    wait: Annotated[
        float, Query(ge=0, le=3600, description="Seconds to long-poll when nothing is new")
    ] = 0,
    search: SearchParam = None,
) -> Response:
    """Return the events after the cursor that the caller is entitled to, in log order.

    Following `next` from the start yields every entitled event exactly once,
    in order. With `wait`, an empty page is held open until an event arrives
    or the wait ends.
    """
    cursor = parse_cursor(after)
    page = await runtime.feed.page(reading.principal, cursor, limit, wait, reading.format, search)
    # {"events": [...], "next": "N"}, from each envelope's cached JSON text.
    events = ",".join(envelope_json(d, reading.format, runtime.agency) for d in page.deliveries)
    body = f'{{"events":[{events}],"next":{json.dumps(str(page.next))}}}'
    return Response(body, media_type="application/json")


@router.get("/feed.atom", response_class=Response, responses=ATOM_FEED)
async def read_atom_feed(
    request: Request,
    runtime: RuntimeDep,
    principal: ReaderDep,
    limit: AtomLimitParam = 50,
) -> Response:
    """Return the caller's wire as an Atom 1.0 feed: the latest version of each recent story.

    Full entries (body included), newest first, for ordinary feed readers; the
    entry id is the story's guid, so a reader shows an update as a revision.
    """
    return await atom_response(runtime.feed, principal, limit, request)
