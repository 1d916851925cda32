"""Suspend, resume, rotate and delete a subscriber: 401 everywhere at once, streams cut too."""

from __future__ import annotations

import asyncio
import json
import time
from dataclasses import replace

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.accounts import (
    app_client,
    create_subscriber,
    deliver_webhooks,
    live_sse,
    served,
)
from tests.conftest import ADMIN, file_story
from tests.servers import Receiver

pytestmark = pytest.mark.anyio


async def test_suspension_cuts_a_live_sse_stream_at_once_then_401_and_resume_restores(
    settings: Settings,
) -> None:
    # The access watcher polls once an hour here, so only the node's own, immediate
    # cut can end the stream within the wait: no wall-clock bound to trip under load.
    settings = replace(settings, access_poll_seconds=3600.0)
    async with served(settings) as (_server, client, _runtime):
        subscriber_id, subscriber = await create_subscriber(client)
        reading = await live_sse(client, subscriber, 0)

        suspended = await client.post(f"/v1/subscribers/{subscriber_id}/suspend", headers=ADMIN)
        assert suspended.status_code == 200 and suspended.json()["status"] == "suspended"
        events = await asyncio.wait_for(reading, 10)
        assert events[-1]["event"] == "access_revoked"
        assert events[-1]["data"]["error"]["status"] == 401

        for path in ("/v1/feed", "/v1/stream", "/v1/account", "/v1/webhooks"):
            refused = await client.get(path, headers=subscriber)
            assert refused.status_code == 401, path
            assert refused.headers["WWW-Authenticate"] == "Bearer"
        listed = (await client.get("/v1/subscribers", headers=ADMIN)).json()["subscribers"]
        assert [s["status"] for s in listed if s["id"] == subscriber_id] == ["suspended"]

        resumed = await client.post(f"/v1/subscribers/{subscriber_id}/resume", headers=ADMIN)
        assert resumed.status_code == 200 and resumed.json()["status"] == "active"
        assert (await client.get("/v1/feed", headers=subscriber)).status_code == 200


async def test_a_suspension_made_on_another_node_cuts_the_stream_within_a_second(
    settings: Settings,
) -> None:
    # Node A serves the stream; node B, sharing the database, takes the admin call.
    async with served(settings) as (_server, node_a, _runtime_a):
        async with app_client(settings) as (node_b, _runtime_b):
            subscriber_id, subscriber = await create_subscriber(node_b)
            reading = await live_sse(node_a, subscriber, 0)
            await asyncio.sleep(0.2)  # the stream is registered with node A's watcher

            started = time.monotonic()
            response = await node_b.post(f"/v1/subscribers/{subscriber_id}/suspend", headers=ADMIN)
            assert response.status_code == 200
            events = await asyncio.wait_for(reading, 10)
            assert time.monotonic() - started < 1.5, "node A's watcher noticed within a poll"
            assert events[-1]["event"] == "access_revoked"


async def test_suspension_closes_a_websocket_with_4401(settings: Settings) -> None:
    async with served(settings) as (server, client, _runtime):
        subscriber_id, subscriber = await create_subscriber(client)
        url = server.url.replace("http://", "ws://") + "/v1/ws"
        async with connect(url, additional_headers=subscriber) as ws:
            assert json.loads(await ws.recv())["type"] == "ready"
            await client.post(f"/v1/subscribers/{subscriber_id}/suspend", headers=ADMIN)
            with pytest.raises(ConnectionClosed) as closed:
                async with asyncio.timeout(5):
                    while True:
                        await ws.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4401


async def test_webhooks_stop_while_suspended_and_carry_on_when_resumed(
    runtime: Runtime, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    subscriber_id, subscriber = await create_subscriber(client)
    async with Receiver(lambda _n, _request: 200) as receiver:
        await client.post("/v1/webhooks", json={"url": receiver.url}, headers=subscriber)
        await client.post(f"/v1/subscribers/{subscriber_id}/suspend", headers=ADMIN)
        filed = [(await file_story(client, editor, headline=f"Held {n}"))["seq"] for n in range(2)]
        await deliver_webhooks(runtime)
        assert receiver.requests == [], "nothing is delivered while suspended"

        await client.post(f"/v1/subscribers/{subscriber_id}/resume", headers=ADMIN)
        await deliver_webhooks(runtime)
        assert [body["seq"] for body in receiver.bodies()] == filed, "nothing was skipped"


async def test_rotating_a_key_makes_the_old_key_401_and_the_new_one_work(
    settings: Settings,
) -> None:
    async with served(settings) as (_server, client, _runtime):
        subscriber_id, old = await create_subscriber(client)
        reading = await live_sse(client, old, 0)

        rotated = await client.post(f"/v1/subscribers/{subscriber_id}/rotate-key", headers=ADMIN)
        assert rotated.status_code == 200 and rotated.json()["id"] == subscriber_id
        new = {"Authorization": f"Bearer {rotated.json()['api_key']}"}
        events = await asyncio.wait_for(reading, 10)
        assert events[-1]["event"] == "access_revoked", "the stream opened with the old key ends"
        assert (await client.get("/v1/feed", headers=old)).status_code == 401
        account = await client.get("/v1/account", headers=new)
        assert account.status_code == 200 and account.json()["id"] == subscriber_id


async def test_deleting_a_subscriber_removes_key_webhooks_and_listing_but_keeps_usage(
    runtime: Runtime, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    subscriber_id, subscriber = await create_subscriber(client, "Gone Daily")
    await client.post("/v1/webhooks", json={"url": "http://127.0.0.1:9/hook"}, headers=subscriber)
    beat = {"name": "NATO", "q": "nato"}
    saved = await client.post("/v1/searches", json=beat, headers=subscriber)
    assert saved.status_code == 201, saved.text
    await file_story(client, editor)
    await client.get("/v1/feed", headers=subscriber)

    assert (
        await client.delete(f"/v1/subscribers/{subscriber_id}", headers=ADMIN)
    ).status_code == 204
    assert (await client.get("/v1/feed", headers=subscriber)).status_code == 401
    listed = (await client.get("/v1/subscribers", headers=ADMIN)).json()["subscribers"]
    assert subscriber_id not in [s["id"] for s in listed]
    assert await runtime.storage.webhooks.endpoints_of(subscriber_id) == []
    assert await runtime.storage.usage.served_cursors(subscriber_id) == []
    assert await runtime.storage.archive.saved_searches_of(subscriber_id) == []
    usage = await client.get("/v1/admin/usage", params={"subscriber": subscriber_id}, headers=ADMIN)
    assert [(r["channel"], r["subscriber_name"]) for r in usage.json()["usage"]] == [
        ("feed", "Gone Daily")
    ], "usage is kept for billing"
    again = await client.delete(f"/v1/subscribers/{subscriber_id}", headers=ADMIN)
    assert again.status_code == 404


async def test_actions_on_unknown_revoked_or_non_subscriber_ids_are_refused(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    for method, path in (
        ("POST", "/v1/subscribers/nope/suspend"),
        ("POST", "/v1/subscribers/nope/resume"),
        ("POST", "/v1/subscribers/nope/rotate-key"),
        ("DELETE", "/v1/subscribers/nope"),
    ):
        response = await client.request(method, path, headers=ADMIN)
        assert response.status_code == 404, path
        assert response.json()["error"]["field"] == "id"
    subscriber_id, subscriber = await create_subscriber(client)
    only_admin = await client.post(f"/v1/subscribers/{subscriber_id}/suspend", headers=subscriber)
    assert only_admin.status_code == 403
    editor_id = (await client.get("/v1/account", headers=editor)).json()["id"]
    not_a_subscriber = await client.post(f"/v1/subscribers/{editor_id}/suspend", headers=ADMIN)
    assert not_a_subscriber.status_code == 404
    assert (await client.delete(f"/v1/keys/{subscriber_id}", headers=ADMIN)).status_code == 204
    revoked = await client.post(f"/v1/subscribers/{subscriber_id}/resume", headers=ADMIN)
    assert revoked.status_code == 409 and revoked.json()["error"]["field"] == "id"


async def test_a_remembered_key_is_refused_at_once_after_suspension_and_on_its_entitlements(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    """Keys are remembered between requests; a change on this node must not wait for that."""
    subscriber_id, headers = await create_subscriber(client, "Cached")
    for _ in range(3):  # now remembered
        assert (await client.get("/v1/account", headers=headers)).status_code == 200
    changed = await client.patch(
        f"/v1/subscribers/{subscriber_id}",
        json={"entitlements": {"categories": ["Sport"]}},
        headers=ADMIN,
    )
    assert changed.status_code == 200
    account = (await client.get("/v1/account", headers=headers)).json()
    assert account["entitlements"]["categories"] == ["Sport"], "no stale entitlements"
    suspended = await client.post(f"/v1/subscribers/{subscriber_id}/suspend", headers=ADMIN)
    assert suspended.status_code == 200
    assert (await client.get("/v1/account", headers=headers)).status_code == 401
