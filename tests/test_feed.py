"""The pull feed: log order, exactly once, long-polling, and cursors that survive a restart."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from newswire.app import create_app
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.conftest import file_story, read_all

pytestmark = pytest.mark.anyio


async def test_following_next_yields_every_event_once_in_log_order(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber
) -> None:
    filed = [await file_story(client, editor, headline=f"Story number {n}") for n in range(7)]
    update = await client.put(
        f"/v1/stories/{filed[2]['id']}",
        json={"headline": "Story number 2, updated", "body": "New facts.", "language": "en"},
        headers=editor,
    )
    assert update.status_code == 200 and update.json()["version"] == 2
    reader = await make_subscriber()
    events, last = await read_all(client, reader, limit=3)
    seqs = [e["seq"] for e in events]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs) == 8
    assert [e["type"] for e in events] == ["story.published"] * 7 + ["story.updated"]
    assert events[-1]["story_id"] == filed[2]["id"] and events[-1]["version"] == 2
    assert last == str(seqs[-1])
    again = await client.get("/v1/feed", params={"after": last}, headers=reader)
    assert again.json() == {"events": [], "next": last}


async def test_cursor_advances_past_events_the_subscriber_may_not_see(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber
) -> None:
    for _ in range(5):
        await file_story(client, editor, categories=["Sport"])
    reader = await make_subscriber(categories=["World"])
    page = (await client.get("/v1/feed", headers=reader)).json()
    assert page["events"] == [] and page["next"] == "5"


async def test_long_poll_returns_as_soon_as_a_story_is_filed(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber
) -> None:
    reader = await make_subscriber()
    waiting = asyncio.create_task(
        client.get("/v1/feed", params={"after": "0", "wait": 20}, headers=reader)
    )
    await asyncio.sleep(0.3)
    assert not waiting.done(), "an empty feed holds the request open"
    story = await file_story(client, editor)
    response = await asyncio.wait_for(waiting, 5)
    assert [e["story_id"] for e in response.json()["events"]] == [story["id"]]


async def test_long_poll_ends_empty_after_the_wait(
    client: httpx.AsyncClient, make_subscriber
) -> None:
    reader = await make_subscriber()
    response = await client.get("/v1/feed", params={"after": "0", "wait": 0.2}, headers=reader)
    assert response.json() == {"events": [], "next": "0"}


async def test_invalid_cursor_is_a_400_naming_after(
    client: httpx.AsyncClient, make_subscriber
) -> None:
    reader = await make_subscriber()
    response = await client.get("/v1/feed", params={"after": "abc"}, headers=reader)
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "after"


async def test_cursor_resumes_across_a_restart_of_the_server(settings: Settings) -> None:
    async def serve() -> tuple[Runtime, httpx.AsyncClient]:
        runtime = Runtime.from_settings(settings)
        await runtime.start()
        transport = httpx.ASGITransport(app=create_app(runtime))
        return runtime, httpx.AsyncClient(transport=transport, base_url="http://t")

    from tests.conftest import ADMIN, bearer

    runtime, client = await serve()
    editor = bearer(
        (await client.post("/v1/editors", json={"name": "e"}, headers=ADMIN)).json()["api_key"]
    )
    reader = bearer(
        (await client.post("/v1/subscribers", json={"name": "s"}, headers=ADMIN)).json()["api_key"]
    )
    first = [await file_story(client, editor, headline=f"Before restart {n}") for n in range(3)]
    seen, cursor = await read_all(client, reader)
    await client.aclose()
    await runtime.stop()

    runtime, client = await serve()
    second = [await file_story(client, editor, headline=f"After restart {n}") for n in range(2)]
    rest, _ = await read_all(client, reader, after=cursor)
    await client.aclose()
    await runtime.stop()
    assert [e["story_id"] for e in seen] == [s["id"] for s in first]
    assert [e["story_id"] for e in rest] == [s["id"] for s in second]
    assert [e["seq"] for e in seen + rest] == [1, 2, 3, 4, 5]
