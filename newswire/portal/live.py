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
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from starlette.types import Receive, Send

from newswire.delivery.event_stream import EventStream
from newswire.delivery.reader import Delivery
from newswire.delivery.streams import Ending, Streams, Subscription
from newswire.models.principals import Principal
from newswire.portal.filters import WireFilters
from newswire.search.beats import SavedSearch
from newswire.search.service import Searches, compiled

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


class LiveResponse(EventStream):
    """Streams a portal subscription as text/event-stream until the client or session leaves."""

    cache_control = b"no-store"

    def __init__(
        self,
        subscription: Subscription[bytes],
        session_ended: asyncio.Event,
        heartbeat_seconds: float,
        sign_in_path: str,
        closed: Callable[[], None],
    ) -> None:
        super().__init__(subscription, heartbeat_seconds)
        self.session_ended = session_ended
        self.sign_in_path = sign_in_path
        self.closed = closed  # forgets the page's session watch

    async def left(self, receive: Receive) -> None:
        waits = {
            asyncio.create_task(super().left(receive)),
            asyncio.create_task(self.session_ended.wait()),
        }
        try:
            await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in waits:
                task.cancel()

    async def run(self, receive: Receive, send: Send) -> Ending:
        try:
            return await super().run(receive, send)
        finally:
            self.closed()

    def goodbye(self, ending: Ending) -> bytes | None:
        if self.session_ended.is_set() or ending is Ending.REVOKED:
            return f'event: signed_out\ndata: "{self.sign_in_path}"\n\n'.encode()
        return b""  # ends the response; a client that left cannot take it anyway
