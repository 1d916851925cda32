"""WebSocket: `GET /v1/ws`, the wire pushed as JSON frames.

Authenticate with `Authorization: Bearer <key>` on the upgrade request, or,
where a browser cannot set headers, with a first message
`{"type": "auth", "key": "<key>", "after": "<cursor>"}`. The server answers
`{"type": "ready", "cursor": "<cursor>"}`, then sends one frame per event:
exactly the feed's JSON envelope (its `type` is the event type, `story.*`).
Resume with `?after=CURSOR` (or `after` in the auth message).

Keepalive: the server pings at the protocol level, and when idle also sends
`{"type": "ping"}`; a client may send `{"type": "ping"}` and gets
`{"type": "pong"}`. Close codes: 1008 bad key, 1003 bad message, 1013 the
client fell too far behind (reconnect with the last cursor), 1012 restart,
4401 the key stopped working (suspended, revoked, deleted or rotated away),
4429 over the rate limit or the daily download quota (the quota's last frame
is `{"type": "quota_exhausted", "error": {..., "resets_at"}}`).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import Any

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from newswire.accounts.keys import bearer_key
from newswire.api.deps import resolve_key
from newswire.api.errors import APIError
from newswire.api.throttle import admit, quota_body
from newswire.delivery.envelopes import envelope_renderer
from newswire.delivery.formats import UnknownFormat, negotiate
from newswire.delivery.streams import Ending, Subscription
from newswire.models.errors import DomainError, QuotaExhausted
from newswire.models.principals import Principal
from newswire.models.usage import Channel
from newswire.monitoring.metrics import stream_connected
from newswire.runtime import Runtime

router = APIRouter(prefix="/v1", tags=["streams"])

AUTH_SECONDS = 10.0
CLOSE_SECONDS = 1.0
_CLOSE_CODES = {
    Ending.OVERFLOW: 1013,
    Ending.STOPPING: 1012,
    Ending.FAILED: 1011,
    Ending.REVOKED: 4401,
    Ending.QUOTA: 4429,
}
_CLOSE_REASONS = {
    Ending.REVOKED: "this key no longer works (suspended or replaced)",
    Ending.QUOTA: "daily download quota used up; resume with ?after once it resets",
}


def _dumps(value: dict[str, Any]) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


async def _authenticate(
    websocket: WebSocket, runtime: Runtime
) -> tuple[Principal | None, str | None]:
    """Return the principal and the cursor from the auth message (or None, None)."""
    try:
        async with asyncio.timeout(AUTH_SECONDS):
            message = json.loads(await websocket.receive_text())
    except (TimeoutError, ValueError, KeyError):
        return None, None
    if not isinstance(message, dict) or message.get("type") != "auth":
        return None, None
    after = message.get("after")
    principal = await resolve_key(runtime, str(message.get("key") or ""))
    return principal, None if after is None else str(after)


async def _close(websocket: WebSocket, code: int, reason: str) -> None:
    with contextlib.suppress(Exception):
        async with asyncio.timeout(CLOSE_SECONDS):
            await websocket.close(code, reason)


@router.websocket("/ws")
async def websocket_stream(
    websocket: WebSocket,
    after: str | None = None,
    format: str | None = None,
    search: str | None = None,
) -> None:
    """Stream the events the caller is entitled to as JSON frames, replaying from a cursor."""
    runtime: Runtime = websocket.app.state.runtime
    principal = await resolve_key(runtime, bearer_key(websocket.headers.get("authorization")))
    if principal is None and websocket.headers.get("authorization"):
        await websocket.close(1008, "unknown or revoked API key")
        return
    await websocket.accept()
    if principal is None:
        principal, auth_after = await _authenticate(websocket, runtime)
        if principal is None:
            await _close(websocket, 1008, "send {type: auth, key} first, with a valid key")
            return
        after = auth_after if auth_after is not None else after
    try:
        admit(runtime, principal)  # a connection counts one request against the rate limit
    except APIError as error:
        await _close(websocket, 4429, error.message[:120])
        return
    try:
        format_name = negotiate(format, None, principal.format)
        render = envelope_renderer(format_name, runtime.agency)
        subscription: Subscription[str] = await runtime.streams.open(
            principal, after, Channel.WEBSOCKET, format_name, render, search
        )
    except QuotaExhausted as error:
        await _close(websocket, 4429, error.message[:120])
        return
    except (DomainError, UnknownFormat) as error:
        await _close(websocket, 1003, str(error)[:120])
        return
    await websocket.send_text(_dumps({"type": "ready", "cursor": str(subscription.cursor)}))

    async def send_frames(frames: list[str]) -> None:
        try:
            for frame in frames:
                await websocket.send_text(frame)
        except (WebSocketDisconnect, RuntimeError) as error:
            raise ConnectionError("the client went away") from error

    async def heartbeat() -> None:
        await send_frames([_dumps({"type": "ping"})])

    async def listen() -> None:
        # Answer application pings; return when the client goes away.
        while True:
            message = await websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            with contextlib.suppress(ValueError, TypeError):
                if json.loads(message.get("text") or "{}").get("type") == "ping":
                    await websocket.send_text(_dumps({"type": "pong"}))

    try:
        with stream_connected("ws"):
            ending = await subscription.run(
                send_frames, heartbeat, runtime.settings.stream_heartbeat_seconds, listen()
            )
    except WebSocketDisconnect:
        return
    if ending is Ending.QUOTA:
        with contextlib.suppress(Exception):
            async with asyncio.timeout(CLOSE_SECONDS):
                why = quota_body(subscription.quota_error())
                await websocket.send_text(_dumps({"type": "quota_exhausted", "error": why}))
    if ending is not Ending.DISCONNECTED:
        reason = _CLOSE_REASONS.get(ending, f"{ending.value}: resume with ?after")
        await _close(websocket, _CLOSE_CODES[ending], reason)
