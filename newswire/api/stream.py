"""Server-Sent Events: `GET /v1/stream`, the wire pushed as it is filed.

Each event is

    id: 42
    event: story.published
    data: {...the feed's JSON envelope...}

The `id` is the event's cursor (its `seq`, except where a flash item overtook
routine ones: then the highest position up to which all was sent). A client that reconnects with
`Last-Event-ID: 42` (browsers do it by themselves) or `?after=42` first
receives everything after 42 from the log, then live events, with no gap and
no duplicate. Comment lines (`: heartbeat`) keep idle connections open through
proxies. The stream ends when the client leaves, when its buffer overflows
(it stopped reading; it resumes from its last id), or when the server stops.
It also ends, after a last event saying why, when the key stops working
(`event: access_revoked`) or the daily download quota is used up
(`event: quota_exhausted`, whose data says when it resets).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from functools import lru_cache
from typing import Annotated

from fastapi import APIRouter, Header, Query
from starlette.types import Receive, Send

from newswire.api.deps import AUTH_ERRORS, RuntimeDep
from newswire.api.params import EVENT_PAGE_ERRORS, QUOTA_USED_UP, ReadingDep, SearchParam
from newswire.api.throttle import quota_body
from newswire.delivery.envelopes import envelope_json, one_line
from newswire.delivery.event_stream import EventStream
from newswire.delivery.formats import Agency
from newswire.delivery.reader import Delivery
from newswire.delivery.streams import Ending, Subscription
from newswire.models.usage import Channel
from newswire.monitoring.metrics import stream_connected

router = APIRouter(prefix="/v1", tags=["streams"], responses=AUTH_ERRORS)


def sse_frame(delivery: Delivery, format_name: str, agency: Agency) -> bytes:
    """Return one delivery as an SSE event: id, event type and the JSON envelope."""
    data = one_line(envelope_json(delivery, format_name, agency))
    # The id is the resume cursor: it equals seq unless an urgent item overtook
    # earlier ones in this page (see reader.flash_first), where resuming from
    # seq would skip the overtaken items.
    return f"id: {delivery.resume_cursor}\nevent: {delivery.type.value}\ndata: {data}\n\n".encode()


def farewell(subscription: Subscription[bytes], ending: Ending) -> bytes:
    """Return the last event of a stream the server ends for a reason the client must know."""
    if ending is Ending.QUOTA:
        reason = quota_body(subscription.quota_error())
        name = "quota_exhausted"
    elif ending is Ending.REVOKED:
        reason = {"status": 401, "message": "this key no longer works (suspended or replaced)"}
        name = "access_revoked"
    else:
        return b""
    data = json.dumps({"error": reason}, separators=(",", ":"))
    return f"event: {name}\ndata: {data}\n\n".encode()


@lru_cache(maxsize=64)
def sse_renderer(format_name: str, agency: Agency) -> Callable[[Delivery], bytes]:
    """Return the one render function of every stream in this format (the fan-out shares frames)."""
    return functools.partial(sse_frame, format_name=format_name, agency=agency)


class EventStreamResponse(EventStream):
    """The API's stream: counted while connected; ends with a farewell the client can read."""

    async def run(self, receive: Receive, send: Send) -> Ending:
        with stream_connected("sse"):
            return await super().run(receive, send)

    def goodbye(self, ending: Ending) -> bytes | None:
        return None if ending is Ending.DISCONNECTED else farewell(self.subscription, ending)


@router.get(
    "/stream",
    response_class=EventStreamResponse,
    status_code=200,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "An endless event stream"},
        **EVENT_PAGE_ERRORS,
        **QUOTA_USED_UP,
    },
)
async def stream_events(
    runtime: RuntimeDep,
    reading: ReadingDep,
    after: Annotated[
        str | None, Query(description="Cursor to resume after (Last-Event-ID wins)")
    ] = None,
    last_event_id: Annotated[
        str | None, Header(description="The id of the last event received; resumes after it")
    ] = None,
    search: SearchParam = None,
) -> EventStreamResponse:
    """Stream the events the caller is entitled to, replaying from a cursor, then live.

    Without a cursor the stream starts at the current end of the log; with
    `Last-Event-ID` or `after` it replays what the client missed first.
    """
    resume = last_event_id if last_event_id not in (None, "") else after
    render = sse_renderer(reading.format, runtime.agency)
    subscription = await runtime.streams.open(
        reading.principal, resume, Channel.SSE, reading.format, render, search
    )
    return EventStreamResponse(subscription, runtime.settings.stream_heartbeat_seconds)
