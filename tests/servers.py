"""Real-socket helpers for the real-time tests: a running wire, an SSE reader, a webhook receiver.

The newswire server itself runs as a child process (`tests/processes.py`);
the webhook receiver runs in the test's own event loop under uvicorn, on a
free port, and answers each request as the test scripts it.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import anyio
import httpx
import uvicorn

from tests.conftest import bearer, story_json
from tests.processes import ServerProcess

ADMIN_TOKEN = "nwa_realtime-test-token"
ADMIN = bearer(ADMIN_TOKEN)


def start_wire(tmp: Path, **env: str) -> Wire:
    """Start a wire on a fresh SQLite file in tmp, with an editor and an all-sections subscriber."""
    wire = Wire(f"sqlite:///{tmp / 'wire.db'}", tmp / "server.log", env)
    wire.start()
    wire.make_keys()
    return wire


@dataclass
class Wire:
    """A newswire server process with an editor and a subscriber, and how to restart it."""

    db_url: str
    log_path: Path
    env: dict[str, str]
    server: ServerProcess | None = None
    editor: dict[str, str] = field(default_factory=dict)
    subscriber_key: str = ""

    @property
    def url(self) -> str:
        assert self.server is not None
        return self.server.url

    def start(self) -> None:
        """Start (or restart) the server on a new free port and wait until it answers."""
        env = {"NEWSWIRE_ADMIN_TOKEN": ADMIN_TOKEN, "NEWSWIRE_LOG_LEVEL": "warning", **self.env}
        self.server = ServerProcess(self.db_url, self.log_path, "--no-demo", env=env)
        self.server.wait_ready()

    async def restart(self) -> None:
        """Start the server again without blocking the event loop (a receiver may run in it)."""
        await anyio.to_thread.run_sync(self.start)

    async def kill(self) -> None:
        """Kill the server with SIGKILL, as a crash would."""
        assert self.server is not None
        await anyio.to_thread.run_sync(self.server.kill)

    def stop(self) -> None:
        """Stop the server gracefully."""
        if self.server is not None and self.server.process.poll() is None:
            self.server.stop()

    def make_keys(self, **entitlements: Any) -> None:
        """Create the editor and one subscriber (with entitlements)."""
        with httpx.Client(base_url=self.url) as client:
            response = client.post("/v1/editors", json={"name": "Desk"}, headers=ADMIN)
            self.editor = bearer(response.json()["api_key"])
            self.subscriber_key = self.new_subscriber(**entitlements)

    def new_subscriber(self, **entitlements: Any) -> str:
        """Create a subscriber with entitlements; return its key."""
        response = httpx.post(
            f"{self.url}/v1/subscribers",
            json={"name": "Subscriber", "entitlements": entitlements},
            headers=ADMIN,
        )
        assert response.status_code == 201, response.text
        return str(response.json()["api_key"])

    async def file(self, count: int, prefix: str = "Story", **fields: Any) -> list[int]:
        """File stories through the API; return their log sequence numbers."""
        seqs = []
        async with httpx.AsyncClient(base_url=self.url, timeout=30) as client:
            for n in range(count):
                response = await client.post(
                    "/v1/stories",
                    json=story_json(headline=f"{prefix} {n}", **fields),
                    headers=self.editor,
                )
                assert response.status_code == 201, response.text
                seqs.append(int(response.json()["seq"]))
        return seqs


def parse_sse(lines: list[str]) -> dict[str, str] | None:
    """Turn the lines of one SSE block into {id, event, data}; None for a comment-only block."""
    fields: dict[str, str] = {}
    for line in lines:
        if not line or line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        fields[name] = value.removeprefix(" ")
    return fields if "data" in fields else None


def read_to_end(sock: socket.socket, limit: float = 30.0) -> bytes:
    """Read a raw socket until the server closes it, or `limit` seconds have passed."""
    deadline = time.monotonic() + limit
    chunks = []
    try:
        while (left := deadline - time.monotonic()) > 0:
            sock.settimeout(left)
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    except TimeoutError:
        pass  # still open at the deadline: the caller's assertions say what that means
    finally:
        sock.close()
    return b"".join(chunks)


class LiveEvents(list[dict[str, Any]]):
    """The events a live stream delivered so far; `arrived` is set at each new one."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived = asyncio.Event()


async def receive_sse(
    client: httpx.AsyncClient, url: str, into: LiveEvents, opened: asyncio.Event
) -> None:
    """Read an SSE stream (a live page's, say) into `into` until it ends; set `opened` at 200."""
    async with client.stream("GET", url, headers={"Accept": "text/event-stream"}) as response:
        assert response.status_code == 200, await response.aread()
        opened.set()
        async for event in sse_events(response):
            into.append(event)
            into.arrived.set()


async def sse_events(response: httpx.Response) -> AsyncIterator[dict[str, Any]]:
    """Yield the events of an open SSE response: {"id", "event", "data" (parsed JSON)}."""
    block: list[str] = []
    async for line in response.aiter_lines():
        if line:
            block.append(line)
            continue
        event = parse_sse(block)
        block = []
        if event is not None:
            yield {
                "id": event.get("id"),
                "event": event.get("event"),
                "data": json.loads(event["data"]),
            }


async def collect_sse(
    client: httpx.AsyncClient, url: str, key: str, count: int, headers: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """Open an SSE stream and return its first `count` events."""
    received: list[dict[str, Any]] = []
    async with client.stream("GET", url, headers={**bearer(key), **(headers or {})}) as response:
        assert response.status_code == 200, await response.aread()
        async for event in sse_events(response):
            received.append(event)
            if len(received) == count:
                break
    return received


@dataclass
class Received:
    """One request the receiver got."""

    headers: dict[str, str]
    body: bytes


class LocalServer:
    """Serve an ASGI app with uvicorn in the current event loop, on a free port.

    `port` lets a restarted server come back where clients expect it;
    `sndbuf` shrinks the kernel send buffer of every accepted connection (they
    inherit it from the listening socket), so a stalled client shows quickly.
    """

    def __init__(
        self, app: Any, sndbuf: int | None = None, port: int = 0, ws: str = "none"
    ) -> None:
        self.sock = socket.socket()
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if sndbuf is not None:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, sndbuf)
        self.sock.bind(("127.0.0.1", port))
        self.port = int(self.sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app, log_level="warning", ws=ws, interface="asgi3", timeout_graceful_shutdown=1
        )
        self._server = uvicorn.Server(config)
        self._task: asyncio.Task[None] | None = None

    async def __aenter__(self) -> LocalServer:
        self._task = asyncio.create_task(self._server.serve(sockets=[self.sock]))
        for _ in range(500):  # up to 10 s
            if self._server.started:
                return self
            await asyncio.sleep(0.02)
        raise AssertionError("the local server did not start")

    async def __aexit__(self, *_exc: object) -> None:
        self._server.should_exit = True
        if self._task is not None:
            await self._task


class Receiver:
    """A webhook receiver on a real socket; `answer(n, request)` picks each response's status."""

    def __init__(self, answer: Callable[[int, Received], int | tuple[int, dict[str, str]]]) -> None:
        self.answer = answer
        self.requests: list[Received] = []
        self.arrived = asyncio.Event()
        self._server = LocalServer(self._app)
        self.url = f"{self._server.url}/hook"

    async def _app(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        request = Received({k.decode(): v.decode() for k, v in scope["headers"]}, body)
        self.requests.append(request)
        answer = self.answer(len(self.requests), request)
        status, headers = answer if isinstance(answer, tuple) else (answer, {})
        self.arrived.set()
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [(k.encode(), v.encode()) for k, v in headers.items()],
            }
        )
        await send({"type": "http.response.body", "body": b"ok"})

    async def __aenter__(self) -> Receiver:
        await self._server.__aenter__()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._server.__aexit__(*exc)

    async def wait_for(self, count: int, timeout: float = 20.0) -> None:
        """Wait until at least `count` requests have arrived."""
        with anyio.fail_after(timeout):
            while len(self.requests) < count:
                self.arrived.clear()
                await self.arrived.wait()

    def bodies(self) -> list[dict[str, Any]]:
        """Return the JSON bodies received, in arrival order."""
        return [json.loads(request.body) for request in self.requests]
