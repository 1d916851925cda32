"""The live wire: a portal page's SSE stream, from the same fan-out as the API's streams.

A page opens a `delivery.streams.Subscription` for the company's principal,
exactly as `GET /v1/stream` does (the same log reader, the same entitlement
decision, the same fan-out), narrowed to the page's filters by a search beat
held in memory (or to a topic, a saved search). Frames are the wire line
drawn in HTML (`views.LiveFrames`): headline, summary and marks, what the
wire's list shows, never the story's text. So, like the list (a search), a
live line is not metered: it takes nothing from the daily quota and moves
none of the cursors the developer console shows for the company's own SSE
connections. Reading or downloading the story is the delivery, and counts. The stream also ends when
the person's session does (signed out, removed, company suspended): the
page is told with a last `signed_out` event and goes to the sign-in page.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from newswire.delivery.reader import Delivery
from newswire.delivery.streams import Ending, Streams, Subscription
from newswire.models.principals import Principal
from newswire.portal.filters import WireFilters
from newswire.search.beats import SavedSearch
from newswire.search.service import Searches, compiled

RETRY_MILLISECONDS = 2000
HEARTBEAT = b": heartbeat\n\n"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(eq=False)
class LiveWire:
    """Opens the live subscriptions of portal pages."""

    streams: Streams
    searches: Searches

    async def _beat(self, principal: Principal, filters: WireFilters) -> SavedSearch | None:
        if filters.topic:
            return await self.searches.owned(principal, filters.topic, "topic")
        params = filters.checked().params()
        if params == type(params)():
            return None
        compiled(params)
        # Connections with the same filters share one audience in the fan-out.
        name = hashlib.sha256(repr(params).encode()).hexdigest()[:16]
        return SavedSearch(f"portal:{name}", principal.id, "portal filter", params, _EPOCH)

    async def open(
        self, principal: Principal, filters: WireFilters, render: Callable[[Delivery], bytes]
    ) -> Subscription[bytes]:
        """Return a subscription from now on to what the company receives through the filters."""
        beat = await self._beat(principal, filters)
        cursor = await self.streams.head.last_seq()
        return Subscription(self.streams, principal, cursor, render, beat, meter=None)


class LiveResponse(Response):
    """Streams a portal subscription as text/event-stream until the client or session leaves."""

    media_type = "text/event-stream"

    def __init__(
        self,
        subscription: Subscription[bytes],
        session_ended: asyncio.Event,
        heartbeat_seconds: float,
        sign_in_path: str,
        closed: Callable[[], None],
    ) -> None:
        # Not Response.__init__: that would announce a Content-Length of 0.
        self.status_code = 200
        self.background = None
        self.raw_headers = [
            (b"content-type", b"text/event-stream; charset=utf-8"),
            (b"cache-control", b"no-store"),
            (b"x-accel-buffering", b"no"),
        ]
        self.subscription = subscription
        self.session_ended = session_ended
        self.heartbeat_seconds = heartbeat_seconds
        self.sign_in_path = sign_in_path
        self.closed = closed  # forgets the page's session watch

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def body(chunk: bytes) -> None:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})

        async def send_frames(frames: list[bytes]) -> None:
            await body(b"".join(frames))

        async def heartbeat() -> None:
            await body(HEARTBEAT)

        async def left() -> None:
            async def client_gone() -> None:
                while (await receive())["type"] != "http.disconnect":
                    pass

            waits = {
                asyncio.create_task(client_gone()),
                asyncio.create_task(self.session_ended.wait()),
            }
            try:
                await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for task in waits:
                    task.cancel()

        try:
            await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
            await body(f"retry: {RETRY_MILLISECONDS}\n\n".encode())
            ending = await self.subscription.run(
                send_frames, heartbeat, self.heartbeat_seconds, left()
            )
        finally:
            self.closed()
        last = b""
        if self.session_ended.is_set() or ending is Ending.REVOKED:
            last = f'event: signed_out\ndata: "{self.sign_in_path}"\n\n'.encode()
        # A client that left or stalled cannot take the goodbye; the socket closes anyway.
        with contextlib.suppress(Exception):
            async with asyncio.timeout(1.0):
                await send({"type": "http.response.body", "body": last, "more_body": False})
