"""Server-Sent Events over real sockets: replay then live, resume after a restart, slow readers."""

from __future__ import annotations

import asyncio
import json
import re
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from newswire.app import create_app
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.conftest import ADMIN, MakeSubscriber, bearer, file_story
from tests.servers import LocalServer, Wire, collect_sse, read_to_end, start_wire

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

# About 3 kB of copy in one sentence: big frames, cheap to summarize.
BODY = "Wire copy that runs on without a full stop " * 70


@pytest.fixture(scope="module")
def wire(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wire]:
    """One server process for the tests that do not restart it."""
    wire = start_wire(tmp_path_factory.mktemp("sse"))
    yield wire
    wire.stop()


async def test_sse_replays_from_a_cursor_then_goes_live_with_feed_envelopes(wire: Wire) -> None:
    key = wire.new_subscriber(categories=["Sport"])
    before = await wire.file(2, "Sport before", categories=["Sport"])
    await wire.file(1, "Politics, not for this subscriber")
    async with httpx.AsyncClient(base_url=wire.url, timeout=20) as client:
        stream = asyncio.create_task(
            collect_sse(client, f"/v1/stream?after={before[0] - 1}", key, 4)
        )
        live = await wire.file(2, "Sport live", categories=["Sport"])
        events = await asyncio.wait_for(stream, 20)
        feed = await client.get(
            "/v1/feed", params={"after": before[0] - 1, "limit": 4}, headers=bearer(key)
        )
    assert [int(e["id"]) for e in events] == before + live
    assert [e["event"] for e in events] == ["story.published"] * 4
    assert [e["data"] for e in events] == feed.json()["events"], "the same envelope as the feed"


async def test_unicode_line_separators_in_copy_keep_each_sse_data_line_whole(
    wire: Wire,
) -> None:
    # U+2028, U+2029 and NEL are text XML and JSON carry, but line readers such as
    # Python's splitlines end a line there: the frame escapes them, the JSON is the same.
    headline = "Line\u2028separator, paragraph\u2029separator and next\x85line"
    seqs = await wire.file(1, headline, body="One\u2028two")
    async with httpx.AsyncClient(base_url=wire.url, timeout=20) as client:
        raw = b""
        async with client.stream(
            "GET", f"/v1/stream?after={seqs[0] - 1}", headers=bearer(wire.subscriber_key)
        ) as response:
            async for chunk in response.aiter_bytes():
                raw += chunk
                head, found, rest = raw.partition(b"event: story.")
                if found and b"\n\n" in rest:
                    break
    frame = raw.decode().split("event: story.", 1)[1]
    data = next(line for line in frame.split("\n") if line.startswith("data: "))
    assert len(data.splitlines()) == 1, "no reader can split the data line"
    assert json.loads(data.removeprefix("data: "))["item"]["headlines"][0]["value"].startswith(
        headline
    )


async def test_last_event_id_wins_over_the_after_query(wire: Wire) -> None:
    seqs = await wire.file(3, "Resume")
    async with httpx.AsyncClient(base_url=wire.url, timeout=20) as client:
        events = await collect_sse(
            client,
            f"/v1/stream?after={seqs[0] - 1}",
            wire.subscriber_key,
            2,
            headers={"Last-Event-ID": str(seqs[0])},
        )
    assert [int(e["id"]) for e in events] == seqs[1:]


def _stalled_reader(port: int, key: str, after: int) -> socket.socket:
    """Open an SSE request on a socket with a tiny receive buffer, and never read it."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    request = f"GET /v1/stream?after={after} HTTP/1.0\r\nAuthorization: Bearer {key}\r\n\r\n"
    sock.sendall(request.encode())
    return sock


async def _keys(client: httpx.AsyncClient) -> tuple[dict[str, str], str]:
    editor = await client.post("/v1/editors", json={"name": "Desk"}, headers=ADMIN)
    subscriber = await client.post("/v1/subscribers", json={"name": "Sub"}, headers=ADMIN)
    return bearer(editor.json()["api_key"]), subscriber.json()["api_key"]


async def test_a_stalled_reader_is_cut_off_while_the_others_keep_receiving(
    settings: Settings,
) -> None:
    # Small kernel and stream buffers, so that a few dozen events fill what a stalled reader holds.
    app = create_app(Runtime.from_settings(settings.replace(stream_buffer_events=4)))
    async with LocalServer(app, sndbuf=4096) as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
            editor, key = await _keys(client)
            start = (await file_story(client, editor, headline="Marker"))["seq"]
            stalled = _stalled_reader(server.port, key, start)
            # Far more than the kernel buffers and asyncio's 64 KiB write buffer hold.
            count = 80
            readers = [
                asyncio.create_task(collect_sse(client, f"/v1/stream?after={start}", key, count))
                for _ in range(2)
            ]
            filed = []
            for n in range(count):
                story = await file_story(client, editor, headline=f"Story {n}", body=BODY)
                filed.append(story["seq"])
            healthy = await asyncio.wait_for(asyncio.gather(*readers), 30)
            for events in healthy:
                assert [int(e["id"]) for e in events] == filed, "healthy readers get everything"

            # The stalled reader now reads what reached it before the cut, then the end.
            raw = await anyio.to_thread.run_sync(read_to_end, stalled)
            got = [int(n) for n in re.findall(rb"^id: (\d+)$", raw, re.MULTILINE)]
            assert len(got) < count, "the server stopped sending to the stalled reader"
            assert got == filed[: len(got)], "what it got has no gap"

            rest = await collect_sse(
                client,
                "/v1/stream",
                key,
                count - len(got),
                headers={"Last-Event-ID": str(got[-1] if got else start)},
            )
            assert [int(e["id"]) for e in rest] == filed[len(got) :], "it resumes from its cursor"


async def test_sse_resumes_after_a_server_restart_with_no_gap_or_duplicate(
    tmp_path: Path,
) -> None:
    wire = start_wire(tmp_path)
    received: list[dict[str, Any]] = []
    filed: list[int] = []
    try:
        async with httpx.AsyncClient(timeout=20) as client:
            reading = asyncio.create_task(
                collect_sse(client, f"{wire.url}/v1/stream?after=0", wire.subscriber_key, 3)
            )
            filed += await wire.file(3, "Before the restart")
            received += await asyncio.wait_for(reading, 20)

            await wire.kill()
            await wire.restart()
            filed += await wire.file(3, "While the client was away")

            # Reconnect while the newsroom keeps filing: the seam between replay and live.
            publishing = asyncio.create_task(wire.file(4, "During the reconnect"))
            resumed = asyncio.create_task(
                collect_sse(
                    client,
                    f"{wire.url}/v1/stream",
                    wire.subscriber_key,
                    7,
                    headers={"Last-Event-ID": received[-1]["id"]},
                )
            )
            filed += await publishing
            received += await asyncio.wait_for(resumed, 20)
    finally:
        wire.stop()
    ids = [int(event["id"]) for event in received]
    assert ids == filed == list(range(1, 11))
    assert [event["data"]["cursor"] for event in received] == [str(n) for n in ids]


async def test_sse_errors_answer_in_the_api_error_shape(wire: Wire) -> None:
    async with httpx.AsyncClient(base_url=wire.url) as client:
        missing = await client.get("/v1/stream")
        bad_cursor = await client.get(
            "/v1/stream", params={"after": "x"}, headers=bearer(wire.subscriber_key)
        )
        bad_format = await client.get(
            "/v1/stream", params={"format": "pdf"}, headers=bearer(wire.subscriber_key)
        )
    assert missing.status_code == 401
    assert bad_cursor.status_code == 400 and bad_cursor.json()["error"]["field"] == "after"
    assert bad_format.status_code == 406


async def test_the_stream_sends_heartbeats_and_ends_promptly_on_disconnect(
    settings: Settings, make_subscriber: MakeSubscriber
) -> None:
    headers = await make_subscriber("Heartbeat")
    runtime = Runtime.from_settings(settings.replace(stream_heartbeat_seconds=0.05))
    await runtime.start()
    app = create_app(runtime)
    sent: list[dict[str, Any]] = []
    heartbeat_seen = asyncio.Event()
    disconnect = asyncio.Event()
    requested = False

    async def receive() -> dict[str, Any]:
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await disconnect.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)
        if message.get("body", b"").startswith(b": heartbeat"):
            heartbeat_seen.set()

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": "/v1/stream",
        "raw_path": b"/v1/stream",
        "query_string": b"",
        "root_path": "",
        "headers": [(b"authorization", headers["Authorization"].encode())],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
        "state": {},
    }
    try:
        serving = asyncio.create_task(app(scope, receive, send))
        with anyio.fail_after(10):
            await heartbeat_seen.wait()
        disconnect.set()
        with anyio.fail_after(10):
            await serving
        assert sent[0]["status"] == 200
        leftovers = [t for t in asyncio.all_tasks() if t.get_name().startswith("stream:")]
        assert leftovers == [], "the connection's tasks are gone"
    finally:
        await runtime.stop()


async def test_a_saved_search_stream_replays_and_goes_live_with_only_its_beat(wire: Wire) -> None:
    key = wire.new_subscriber()
    async with httpx.AsyncClient(base_url=wire.url, timeout=20) as client:
        created = await client.post(
            "/v1/searches", json={"name": "Floods", "q": "flood OR floods"}, headers=bearer(key)
        )
        assert created.status_code == 201, created.text
        search_id = created.json()["id"]
        start = (await wire.file(1, "Marker"))[0]
        before = await wire.file(1, "Floods close the coast road")
        await wire.file(1, "Budget vote delayed")
        stream = asyncio.create_task(
            collect_sse(client, f"/v1/stream?after={start}&search={search_id}", key, 2)
        )
        await wire.file(1, "Election results")
        live = await wire.file(1, "Flood warning lifted")
        events = await asyncio.wait_for(stream, 20)
        feed = await client.get(
            "/v1/feed", params={"after": start, "search": search_id}, headers=bearer(key)
        )
    assert [int(e["id"]) for e in events] == before + live
    assert [e["data"] for e in events] == feed.json()["events"], "the feed follows the same beat"
