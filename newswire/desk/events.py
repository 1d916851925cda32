"""The monitoring view's live stream: `GET /desk/events`, server-sent events.

Each event says only "look again" (`event: board`); the page then fetches its
columns (`/desk/board`), so what it shows is always what the desk holds, read
with the person's own session. A comment every interval keeps proxies from
closing an idle stream; the stream ends when the person's session does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from newswire.desk.watch import DeskWatch
from newswire.desk.web import PERSON, runtime_of
from newswire.identity.signin import SignedIn

router = APIRouter(prefix="/desk", include_in_schema=False)

KEEPALIVE_SECONDS = 15.0


@router.get("/events")
async def desk_events(request: Request, signed: SignedIn = PERSON) -> StreamingResponse:
    """Stream `board` events whenever the wire or the desk changes."""
    runtime = runtime_of(request)
    watch = DeskWatch(runtime.bus, runtime.desk, runtime.clock)
    sessions = runtime.session_watch
    ended = sessions.watch(signed.session.id, signed.person.id)

    async def events() -> AsyncIterator[bytes]:
        try:
            yield b"retry: 3000\n\n"
            while not runtime.stopping.is_set() and not await request.is_disconnected():
                if await watch.changed(KEEPALIVE_SECONDS):
                    yield f"event: board\ndata: {watch.seq}\n\n".encode()
                else:
                    yield b": still here\n\n"
                if ended.is_set():
                    yield b"event: signed-out\ndata: \n\n"
                    return
        finally:
            sessions.unwatch(signed.session.id, ended)

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
