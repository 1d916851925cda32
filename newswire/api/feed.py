"""The pull feed: `GET /v1/feed?after=CURSOR&limit=N&wait=S`, a reader of the log with a cursor."""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from newswire.accounts.metering import Meter
from newswire.api.deps import AUTH_ERRORS, FormatParam, ReaderDep, RuntimeDep, recheck_principal
from newswire.api.errors import APIError
from newswire.api.search import saved_search_for
from newswire.api.throttle import metered_page, quota_allowance
from newswire.delivery.envelopes import envelope_json
from newswire.delivery.formats import negotiate
from newswire.delivery.formats.atom import atom_feed
from newswire.models.principals import Principal
from newswire.models.stories import StoryVersion
from newswire.models.usage import Channel
from newswire.runtime import Runtime
from newswire.search.beats import Beat

router = APIRouter(prefix="/v1", tags=["feed"], responses=AUTH_ERRORS)


SearchParam = Annotated[
    str | None,
    Query(description="Follow a saved search (its id): only the stories on that beat"),
]


async def beat_for(runtime: Runtime, principal: Principal, search: str | None) -> Beat | None:
    """Return the beat of the caller's saved search `search`, or None without one."""
    if not search:
        return None
    saved = await saved_search_for(runtime, principal, search)
    return Beat(saved, runtime.storage.log_entries_for_story)


def parse_cursor(after: str | None) -> int:
    """Return the sequence number a cursor stands for (empty or missing: the start of the log)."""
    if after is None or after == "":
        return 0
    if not after.isdigit():
        raise APIError(400, f"invalid cursor {after!r}: use the `next` of a previous page", "after")
    return int(after)


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
    after: Annotated[
        str | None, Query(description="Cursor: the `next` of the previous page")
    ] = None,
    limit: Annotated[int, Query(ge=1, description="Most events to return")] = 100,
    wait: Annotated[float, Query(ge=0, description="Seconds to long-poll when nothing is new")] = 0,
    format: FormatParam = None,
    search: SearchParam = None,
) -> Response:
    """Return the events after the cursor that the caller is entitled to, in log order.

    Following `next` from the start yields every entitled event exactly once,
    in order. With `wait`, an empty page is held open until an event arrives
    or the wait ends.
    """
    cursor = parse_cursor(after)
    settings = runtime.settings
    format_name = negotiate(format, request.headers.get("accept"), principal.format)
    reader = runtime.reader_for(principal, await beat_for(runtime, principal, search))
    # A page holds no more than the daily quota allows (429 once it is used up).
    meter = Meter(runtime, principal, Channel.FEED, format_name)
    most = await quota_allowance(runtime, meter, min(limit, settings.feed_max_limit))
    page = await reader.read_or_wait(cursor, most, min(wait, settings.feed_max_wait))
    if wait:
        await recheck_principal(runtime, principal)  # suspended while it waited: 401
    page = await metered_page(runtime, meter, page)
    # {"events": [...], "next": "N"}, from each envelope's cached JSON text.
    events = ",".join(envelope_json(d, format_name, runtime.agency) for d in page.deliveries)
    body = f'{{"events":[{events}],"next":{json.dumps(str(page.next))}}}'
    return Response(body, media_type="application/json")


ATOM_WINDOW = 2_000  # how far back in the log the Atom feed looks for the latest stories


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
    meter = Meter(runtime, principal, Channel.ATOM, "atom")
    limit = await quota_allowance(runtime, meter, limit)
    head = await runtime.storage.last_seq()
    reader = runtime.reader_for(principal)
    latest: dict[str, tuple[int, StoryVersion]] = {}
    cursor = max(head - ATOM_WINDOW, 0)
    while cursor < head:
        page = await reader.read(cursor, 500)
        for delivery in page.deliveries:
            latest[delivery.entry.story.story_id] = (delivery.seq, delivery.entry.story)
        if page.next <= cursor:
            break
        cursor = page.next
    newest = sorted(latest.values(), key=lambda pair: pair[0], reverse=True)[:limit]
    newest = newest[: await meter.grant(len(newest))]
    meter.delivered_versions([(story, seq) for seq, story in newest])
    body = atom_feed(
        newest,
        title=f"{runtime.agency.name} wire for {principal.name}",
        feed_id=f"urn:newswire:{runtime.agency.code}:feed:{principal.id}",
        self_url=str(request.url),
        agency=runtime.agency,
    )
    return Response(body, media_type="application/atom+xml; charset=utf-8")
