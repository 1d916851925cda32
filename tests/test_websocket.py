"""WebSocket over real sockets: header or first-message auth, resume, envelopes, keepalive."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import re
import socket
from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from newswire.app import create_app
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.conftest import ADMIN, bearer, file_story
from tests.servers import LocalServer, Wire, read_to_end, start_wire

BODY = "Wire copy that runs on without a full stop " * 70

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


def _stalled_ws(port: int, key: str, after: int) -> socket.socket:
    """Open a WebSocket with a tiny receive buffer and never read from it."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    handshake = (
        f"GET /v1/ws?after={after} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
        f"Sec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n"
        f"Authorization: Bearer {key}\r\n\r\n"
    )
    sock.sendall(handshake.encode())
    return sock


async def test_a_stalled_websocket_is_cut_off_while_the_others_keep_receiving(
    settings: Settings,
) -> None:
    app = create_app(Runtime.from_settings(settings.replace(stream_buffer_events=4)))
    async with LocalServer(app, sndbuf=4096, ws="websockets-sansio") as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
            editor = bearer(
                (await client.post("/v1/editors", json={"name": "e"}, headers=ADMIN)).json()[
                    "api_key"
                ]
            )
            key = (await client.post("/v1/subscribers", json={"name": "s"}, headers=ADMIN)).json()[
                "api_key"
            ]
            start = (await file_story(client, editor, headline="Marker"))["seq"]
            stalled = _stalled_ws(server.port, key, start)
            url = f"ws://127.0.0.1:{server.port}/v1/ws?after={start}"
            # Far more than the kernel buffers and asyncio's 64 KiB write buffer hold.
            count = 80
            async with connect(url, additional_headers=bearer(key)) as healthy:
                assert json.loads(await healthy.recv())["type"] == "ready"
                filed = [
                    (await file_story(client, editor, headline=f"Story {n}", body=BODY))["seq"]
                    for n in range(count)
                ]
                received = await frames(healthy, count)
            assert [frame["seq"] for frame in received] == filed, "the healthy client gets all"

            raw = await anyio.to_thread.run_sync(read_to_end, stalled)
            got = [int(n) for n in re.findall(rb'"seq":(\d+),"cursor"', raw)]
            assert len(got) < count, "the server stopped sending to the stalled client"
            assert got == filed[: len(got)], "what it got has no gap"
            # A close frame (1013, "overflow") goes out when the socket can still take it;
            # a client this stalled usually sees the connection dropped instead.
            resume = got[-1] if got else start
            async with connect(
                f"ws://127.0.0.1:{server.port}/v1/ws?after={resume}",
                additional_headers=bearer(key),
            ) as again:
                await again.recv()  # ready
                rest = await frames(again, count - len(got))
            assert [frame["seq"] for frame in rest] == filed[len(got) :], "it resumes, no gap"


async def test_a_saved_search_narrows_the_stream_to_its_beat(wire: Wire) -> None:
    key = wire.new_subscriber()
    async with httpx.AsyncClient(base_url=wire.url) as client:
        created = await client.post(
            "/v1/searches", json={"name": "Harbour beat", "q": "harbour"}, headers=bearer(key)
        )
        assert created.status_code == 201, created.text
        search_id = created.json()["id"]
    async with connect(ws_url(wire, f"?search={search_id}"), additional_headers=bearer(key)) as ws:
        assert json.loads(await ws.recv())["type"] == "ready"
        await wire.file(1, "Weather today")
        on_beat = await wire.file(1, "Harbour strike")
        await wire.file(1, "Cup final")
        last = await wire.file(1, "Harbour reopens")
        received = await frames(ws, 2)
    assert [frame["seq"] for frame in received] == on_beat + last
    async with connect(ws_url(wire, "?search=nope"), additional_headers=bearer(key)) as ws:
        with pytest.raises(ConnectionClosed) as closed:
            await ws.recv()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1003
    assert "no saved search nope" in closed.value.rcvd.reason
