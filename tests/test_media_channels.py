"""Picture events travel every channel like story events: SSE, webhooks, the feed and Atom.

One real server process (the channels need real sockets); the envelopes are
the feed's on every channel.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from lxml import etree
from standardwebhooks import Webhook
from websockets.asyncio.client import connect

from tests.conftest import bearer, story_json
from tests.filed_media import file_media
from tests.servers import Receiver, Wire, collect_sse, start_wire

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def wire(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Wire]:
    wire = start_wire(tmp_path_factory.mktemp("media-channels"))
    yield wire
    wire.stop()


async def file_picture(client: httpx.AsyncClient, wire: Wire) -> dict[str, Any]:
    return await file_media(
        client, wire.editor, headline="Cranes in Rotterdam", credit_line="Newswire"
    )


async def test_sse_delivers_picture_events_with_the_feed_envelope(wire: Wire) -> None:
    key = wire.new_subscriber(media=["text", "pictures"])
    async with httpx.AsyncClient(base_url=wire.url, timeout=30) as client:
        start = (await client.get("/v1/feed", headers=bearer(key))).json()["next"]
        stream = asyncio.create_task(collect_sse(client, f"/v1/stream?after={start}", key, 3))
        picture = await file_picture(client, wire)
        await client.post(
            "/v1/stories", json=story_json(media=[{"id": picture["id"]}]), headers=wire.editor
        )
        await client.post(
            f"/v1/media/{picture['id']}/kill", json={"reason": "Wrong"}, headers=wire.editor
        )
        events = await asyncio.wait_for(stream, 30)
        feed = await client.get("/v1/feed", params={"after": start}, headers=bearer(key))
    assert [e["event"] for e in events] == [
        "picture.published",
        "story.published",
        "picture.killed",
    ]
    replayed = feed.json()["events"]
    # Live, the picture went out as it was; replayed after its kill, the feed carries
    # the kill notice in its place (kill means gone for subscribers, issue 15).
    assert [e["data"] for e in events][1:] == replayed[1:]
    assert events[0]["data"]["pubstatus"] == "usable"
    assert replayed[0]["pubstatus"] == "canceled" and replayed[0]["ednote"] == "Wrong"
    assert {k: v for k, v in replayed[0].items() if k not in ("pubstatus", "ednote", "item")} == {
        k: v for k, v in events[0]["data"].items() if k not in ("pubstatus", "ednote", "item")
    }
    assert events[1]["data"]["item"]["associations"][0]["uri"] == picture["guid"]


async def test_websocket_frames_carry_picture_events(wire: Wire) -> None:
    key = wire.new_subscriber(media=["text", "pictures"])
    url = wire.url.replace("http://", "ws://") + "/v1/ws"
    async with httpx.AsyncClient(base_url=wire.url, timeout=30) as client:
        start = (await client.get("/v1/feed", headers=bearer(key))).json()["next"]
        async with connect(f"{url}?after={start}", additional_headers=bearer(key)) as ws:
            assert json.loads(await ws.recv())["type"] == "ready"
            picture = await file_picture(client, wire)
            async with asyncio.timeout(20):
                frame = json.loads(await ws.recv())
                while frame["type"] == "ping":
                    frame = json.loads(await ws.recv())
    assert frame["type"] == "picture.published" and frame["media_id"] == picture["id"]


async def test_webhooks_deliver_picture_events_signed(wire: Wire) -> None:
    key = wire.new_subscriber(media=["pictures"])
    async with Receiver(lambda _n, _request: 200) as receiver:
        async with httpx.AsyncClient(base_url=wire.url, timeout=30) as client:
            registered = await client.post(
                "/v1/webhooks", json={"url": receiver.url}, headers=bearer(key)
            )
            assert registered.status_code == 201, registered.text
            secret = registered.json()["secret"]
            picture = await file_picture(client, wire)
            # A text story: not for a pictures-only subscriber.
            await client.post("/v1/stories", json=story_json(), headers=wire.editor)
            second = await file_picture(client, wire)
        await receiver.wait_for(2)
        bodies = [Webhook(secret).verify(r.body, r.headers) for r in receiver.requests]
    assert [b["type"] for b in bodies] == ["picture.published", "picture.published"]
    assert [b["media_id"] for b in bodies] == [picture["id"], second["id"]]


async def test_the_atom_feed_has_an_entry_per_picture_event(wire: Wire) -> None:
    key = wire.new_subscriber(media=["text", "pictures"])
    async with httpx.AsyncClient(base_url=wire.url, timeout=30) as client:
        picture = await file_picture(client, wire)
        atom = await client.get("/v1/feed.atom", headers=bearer(key))
    assert atom.status_code == 200, atom.text
    root = etree.fromstring(atom.content)
    ids = [entry.findtext(f"{ATOM}id") for entry in root.iter(f"{ATOM}entry")]
    assert picture["guid"] in ids
    entry = next(e for e in root.iter(f"{ATOM}entry") if e.findtext(f"{ATOM}id") == picture["guid"])
    assert entry.findtext(f"{ATOM}title") == "Cranes in Rotterdam"
