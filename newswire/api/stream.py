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

import asyncio
import functools
import json
from collections.abc import Callable
from functools import lru_cache
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from newswire.api.deps import AUTH_ERRORS, ReaderDep, RuntimeDep
from newswire.api.params import FormatParam, SearchParam, format_for
from newswire.api.throttle import quota_body
from newswire.delivery.envelopes import envelope_json, one_line
from newswire.delivery.formats import Agency
from newswire.delivery.reader import Delivery
from newswire.delivery.streams import Ending, Subscription
from newswire.models.usage import Channel
from newswire.monitoring.metrics import stream_connected

router = APIRouter(prefix="/v1", tags=["streams"], responses=AUTH_ERRORS)

# Tells EventSource how long to wait before reconnecting, in milliseconds.
RETRY_MILLISECONDS = 2000
HEARTBEAT = b": heartbeat\n\n"
# How long a goodbye may take to reach a client before we stop trying.
CLOSE_SECONDS = 1.0


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


class EventStreamResponse(Response):
    """Streams a subscription as text/event-stream and stops when the client disconnects."""

    media_type = "text/event-stream"

    def __init__(self, subscription: Subscription[bytes], heartbeat_seconds: float) -> None:
        # Not Response.__init__: that would announce a Content-Length of 0.
        self.status_code = 200
        self.background = None
        self.raw_headers = [
            (b"content-type", b"text/event-stream; charset=utf-8"),
            (b"cache-control", b"no-cache"),
            (b"x-accel-buffering", b"no"),
        ]
        self.subscription = subscription
        self.heartbeat_seconds = heartbeat_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def body(chunk: bytes) -> None:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})

        async def send_frames(frames: list[bytes]) -> None:
            await body(b"".join(frames))

        async def heartbeat() -> None:
            await body(HEARTBEAT)

        async def disconnected() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass

        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        await body(f"retry: {RETRY_MILLISECONDS}\n\n".encode())
        with stream_connected("sse"):
            ending = await self.subscription.run(
                send_frames, heartbeat, self.heartbeat_seconds, disconnected()
            )
        if ending is not Ending.DISCONNECTED:
            # A stalled client cannot take even the last chunk; then the server
            # closes the socket when we return.
            try:
                async with asyncio.timeout(CLOSE_SECONDS):
                    last = farewell(self.subscription, ending)
                    await send({"type": "http.response.body", "body": last, "more_body": False})
            except TimeoutError:
                pass


@router.get(
    "/stream",
    response_class=EventStreamResponse,
    status_code=200,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "An endless event stream"},
        400: {"description": "Invalid cursor"},
        406: {"description": "Unknown format; the error lists the known ones"},
        429: {"description": "Daily download quota used up (or over the rate limit)"},
    },
)
async def stream_events(
    request: Request,
    runtime: RuntimeDep,
    principal: ReaderDep,
    after: Annotated[
        str | None, Query(description="Cursor to resume after (Last-Event-ID wins)")
    ] = None,
    last_event_id: Annotated[
        str | None, Header(description="The id of the last event received; resumes after it")
    ] = None,
    format: FormatParam = None,
    search: SearchParam = None,
) -> EventStreamResponse:
    """Stream the events the caller is entitled to, replaying from a cursor, then live.

    Without a cursor the stream starts at the current end of the log; with
    `Last-Event-ID` or `after` it replays what the client missed first.
    """
    resume = last_event_id if last_event_id not in (None, "") else after
    format_name = format_for(request, principal, format)
    render = sse_renderer(format_name, runtime.agency)
    subscription = await runtime.streams.open(
        principal, resume, Channel.SSE, format_name, render, search
    )
    return EventStreamResponse(subscription, runtime.settings.stream_heartbeat_seconds)
