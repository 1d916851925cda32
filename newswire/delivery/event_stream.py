"""A subscription streamed as `text/event-stream`: the one SSE response of every audience.

The API's `/v1/stream` and the portal's live wire send the same things in the
same order: headers, a `retry:` line, the subscription's frames and heartbeats
until it ends, then a last frame. They differ only in what else ends a stream
(the portal's session) and in that last frame, which subclasses say.
"""

from __future__ import annotations

import asyncio
import contextlib

from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from newswire.delivery.streams import Ending, Subscription

# Tells EventSource how long to wait before reconnecting, in milliseconds.
RETRY_MILLISECONDS = 2000
HEARTBEAT = b": heartbeat\n\n"
# How long a goodbye may take to reach a client before we stop trying.
CLOSE_SECONDS = 1.0


class EventStream(Response):
    """Streams a subscription until it ends or the client leaves, then says goodbye."""

    media_type = "text/event-stream"
    cache_control = b"no-cache"

    def __init__(self, subscription: Subscription[bytes], heartbeat_seconds: float) -> None:
        # Not Response.__init__: that would announce a Content-Length of 0.
        self.status_code = 200
        self.background = None
        self.raw_headers = [
            (b"content-type", b"text/event-stream; charset=utf-8"),
            (b"cache-control", self.cache_control),
            (b"x-accel-buffering", b"no"),
        ]
        self.subscription = subscription
        self.heartbeat_seconds = heartbeat_seconds

    async def left(self, receive: Receive) -> None:
        """Return when the stream must end from outside the subscription: the client left."""
        while (await receive())["type"] != "http.disconnect":
            pass

    def goodbye(self, ending: Ending) -> bytes | None:
        """Return the last chunk to send, or None to send nothing (the client is gone)."""
        return None

    async def run(self, receive: Receive, send: Send) -> Ending:
        """Send the subscription's frames and heartbeats; return why it ended."""

        async def body(chunk: bytes) -> None:
            await send({"type": "http.response.body", "body": chunk, "more_body": True})

        async def send_frames(frames: list[bytes]) -> None:
            await body(b"".join(frames))

        async def heartbeat() -> None:
            await body(HEARTBEAT)

        await send({"type": "http.response.start", "status": 200, "headers": self.raw_headers})
        await body(f"retry: {RETRY_MILLISECONDS}\n\n".encode())
        return await self.subscription.run(
            send_frames, heartbeat, self.heartbeat_seconds, self.left(receive)
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        ending = await self.run(receive, send)
        last = self.goodbye(ending)
        if last is None:
            return
        # A stalled client cannot take even the last chunk; the socket closes anyway.
        with contextlib.suppress(Exception):
            async with asyncio.timeout(CLOSE_SECONDS):
                await send({"type": "http.response.body", "body": last, "more_body": False})
