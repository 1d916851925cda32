"""Helpers for the account, quota, usage and suspension tests: apps with settings, SSE, webhooks."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from newswire.app import create_app
from newswire.delivery.webhooks.dispatcher import Dispatcher
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.conftest import ADMIN, bearer, file_story
from tests.servers import LocalServer, sse_events


async def create_subscriber(
    client: httpx.AsyncClient, name: str = "Subscriber", **fields: Any
) -> tuple[str, dict[str, str]]:
    """Create a subscriber (entitlements, format, daily_quota...); return its id and headers."""
    response = await client.post("/v1/subscribers", json={"name": name, **fields}, headers=ADMIN)
    assert response.status_code == 201, response.text
    body = response.json()
    return str(body["id"]), bearer(body["api_key"])


@asynccontextmanager
async def app_client(settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    """Run an app on its own runtime built from settings; yield an ASGI client and the runtime."""
    runtime = Runtime.from_settings(settings)
    await runtime.start()
    try:
        transport = httpx.ASGITransport(app=create_app(runtime))
        async with httpx.AsyncClient(
            transport=transport, base_url="http://newswire.test"
        ) as client:
            yield client, runtime
    finally:
        await runtime.stop()


@asynccontextmanager
async def served(
    settings: Settings,
) -> AsyncIterator[tuple[LocalServer, httpx.AsyncClient, Runtime]]:
    """Serve an app on a real socket (SSE, WebSocket); yield the server, a client, the runtime."""
    runtime = Runtime.from_settings(settings)
    async with LocalServer(create_app(runtime), ws="websockets-sansio") as server:
        async with httpx.AsyncClient(base_url=server.url, timeout=20) as client:
            yield server, client, runtime


async def deliver_webhooks(
    runtime: Runtime, transport: httpx.AsyncBaseTransport | None = None
) -> Dispatcher:
    """Serve every due webhook endpoint once, as the dispatcher job would; return the dispatcher.

    `transport` stands in for the network (an httpx.MockTransport as the receiver).
    """
    async with httpx.AsyncClient(transport=transport) as http:
        dispatcher = runtime.webhook_dispatcher(http)
        for endpoint, holder in await dispatcher.lease_due(10):
            await dispatcher.serve(endpoint, holder, asyncio.Event())
    return dispatcher


async def webhook_bodies(runtime: Runtime) -> list[dict[str, Any]]:
    """Serve every due webhook once to a receiver that answers 200; return what it got, in order."""
    received: list[dict[str, Any]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        received.append(json.loads(request.content))
        return httpx.Response(200)

    await deliver_webhooks(runtime, httpx.MockTransport(answer))
    return received


async def create_editor(client: httpx.AsyncClient, name: str = "D") -> dict[str, str]:
    """Create an editor on a client of its own app (not the `editor` fixture's); return headers."""
    response = await client.post("/v1/editors", json={"name": name}, headers=ADMIN)
    assert response.status_code == 201, response.text
    return bearer(response.json()["api_key"])


async def live_sse(
    client: httpx.AsyncClient, headers: dict[str, str], after: int
) -> asyncio.Task[list[dict[str, Any]]]:
    """Read an SSE stream to its end in a task; return the task once the stream is live."""
    opened = asyncio.Event()
    reading = asyncio.create_task(sse_until_closed(client, headers, after, opened))
    await asyncio.wait_for(opened.wait(), 10)
    return reading


async def sse_until_closed(
    client: httpx.AsyncClient, headers: dict[str, str], after: int, opened: asyncio.Event
) -> list[dict[str, Any]]:
    """Read an SSE stream until the server ends it: every event, farewells included.

    `opened` is set once the response has started, so the caller knows the
    stream is live before it files or suspends anything.
    """
    async with client.stream("GET", f"/v1/stream?after={after}", headers=headers) as response:
        assert response.status_code == 200, await response.aread()
        opened.set()
        events = [event async for event in sse_events(response)]
    return events


@dataclass(frozen=True)
class QuotaRun:
    """A live SSE stream that its subscriber's daily quota ended, and what it carried."""

    subscriber_id: str
    subscriber: dict[str, str]
    filed: list[int]  # the seqs of the stories filed while the stream was live
    events: list[dict[str, Any]]  # every event of the stream, its farewell included


async def sse_past_the_quota(client: httpx.AsyncClient, quota: int = 2) -> QuotaRun:
    """Open a subscriber's SSE stream at the head and file one story more than its quota.

    `client` is a client of a served app (`served`): the stream is real.
    """
    editor = await create_editor(client)
    start = (await file_story(client, editor, headline="Before"))["seq"]
    subscriber_id, subscriber = await create_subscriber(client, daily_quota=quota)
    reading = await live_sse(client, subscriber, start)
    filed = [
        (await file_story(client, editor, headline=f"Live {n}"))["seq"] for n in range(quota + 1)
    ]
    events = await asyncio.wait_for(reading, 20)  # the quota ends the stream
    return QuotaRun(subscriber_id, subscriber, filed, events)


def tomorrow() -> datetime:
    """Return this time tomorrow (UTC): a clock for the day after the quota ran out."""
    return datetime.now(UTC) + timedelta(days=1)
