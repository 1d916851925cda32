"""WebSocket over real sockets: header or first-message auth, resume, envelopes, keepalive."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.conftest import bearer
from tests.servers import Wire, start_wire

pytestmark = [pytest.mark.anyio, pytest.mark.slow]


@pytest.fixture(scope="module")
def wire(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wire]:
    wire = start_wire(tmp_path_factory.mktemp("ws"))
    yield wire
    wire.stop()


def ws_url(wire: Wire, query: str = "") -> str:
    return wire.url.replace("http://", "ws://") + "/v1/ws" + query


async def frames(ws: ClientConnection, count: int) -> list[dict[str, Any]]:
    """Return the next `count` event frames (skipping keepalive pings)."""
    received: list[dict[str, Any]] = []
    async with asyncio.timeout(20):
        while len(received) < count:
            frame = json.loads(await ws.recv())
            if frame["type"] != "ping":
                received.append(frame)
    return received


async def test_header_auth_resumes_after_a_cursor_then_goes_live(wire: Wire) -> None:
    before = await wire.file(2, "Before")
    headers = bearer(wire.subscriber_key)
    async with connect(ws_url(wire, f"?after={before[0] - 1}"), additional_headers=headers) as ws:
        ready = json.loads(await ws.recv())
        assert ready == {"type": "ready", "cursor": str(before[0] - 1)}
        live = await wire.file(2, "Live")
        received = await frames(ws, 4)
    async with httpx.AsyncClient(base_url=wire.url) as client:
        feed = await client.get("/v1/feed", params={"after": before[0] - 1}, headers=headers)
    assert [frame["seq"] for frame in received] == before + live
    assert received == feed.json()["events"][:4], "each frame is exactly the feed's envelope"


async def test_a_browser_authenticates_with_a_first_message_and_gets_pongs(wire: Wire) -> None:
    seqs = await wire.file(2, "Browser")
    async with connect(ws_url(wire)) as ws:
        await ws.send(
            json.dumps({"type": "auth", "key": wire.subscriber_key, "after": str(seqs[0])})
        )
        assert json.loads(await ws.recv()) == {"type": "ready", "cursor": str(seqs[0])}
        assert [frame["seq"] for frame in await frames(ws, 1)] == seqs[1:]
        await ws.send(json.dumps({"type": "ping"}))
        assert await frames(ws, 1) == [{"type": "pong"}]


async def test_bad_keys_are_refused(wire: Wire) -> None:
    with pytest.raises(InvalidStatus) as refused:
        async with connect(ws_url(wire), additional_headers=bearer("nws_unknown")):
            pass
    assert refused.value.response.status_code == 403
    async with connect(ws_url(wire)) as ws:
        await ws.send(json.dumps({"type": "auth", "key": "nws_unknown"}))
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008
