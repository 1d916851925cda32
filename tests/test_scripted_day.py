"""A scripted day on the wire, through every channel and every format, over real sockets.

Publish a burst of routine items with a flash in the middle, update, correct
(moving a story to another section), embargo one story until the scheduler
releases it and another until the editor lifts it, then kill a story. Five
subscribers, one per format, follow the day by pull feed, SSE, WebSocket,
signed webhooks and Atom. At the end every channel of every subscriber must
agree with the agency's current state.
"""

from __future__ import annotations

import asyncio
import json
import re
from contextlib import AsyncExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import feedparser
import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from websockets.asyncio.client import connect

from newswire.app import create_app
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.conftest import ADMIN, ADMIN_TOKEN, bearer, read_all, story_json
from tests.servers import LocalServer, Receiver, sse_events

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

SUBSCRIBERS: dict[str, tuple[str, dict[str, Any]]] = {
    "portal": ("ninjs2", {}),
    "broadcaster": ("ninjs3", {"languages": ["en"], "embargoed": True}),
    "politics daily": ("newsml-g2", {"categories": ["Politics"], "embargoed": True}),
    "sport desk": ("nitf", {"categories": ["Sport"]}),
    "sms gateway": ("text", {"max_urgency": 3}),
}


def status_in(format_name: str, item: Any) -> str:
    """Read the publishing status a subscriber's system would see in an item of a format."""
    if format_name == "ninjs2":
        return str(item["pubstatus"])
    if format_name == "ninjs3":
        return str(item["pubStatus"])
    if format_name == "newsml-g2":
        return next(s for s in ("usable", "withheld", "canceled") if f'"stat:{s}"' in item)
    if format_name == "nitf":  # docdata/@management-status; "embargoed" is withheld till a time
        found = re.search(r'management-status="(\w+)"', item)
        assert found is not None, "a NITF item states its status"
        return {"embargoed": "withheld"}.get(found[1], found[1])
    if "KILL KILL KILL" in item:
        return "canceled"
    return "withheld" if "EMBARGOED UNTIL" in item else "usable"


class Follower:
    """One subscriber following the wire on the streaming channels."""

    def __init__(self, name: str, key: str, format_name: str) -> None:
        self.name, self.key, self.format = name, key, format_name
        self.sse: list[dict[str, Any]] = []
        self.ws: list[dict[str, Any]] = []
        self.receiver = Receiver(lambda n, request: 200)

    async def follow_sse(self, base: str) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=None) as client:
            async with client.stream(
                "GET", "/v1/stream?after=0", headers=bearer(self.key)
            ) as response:
                async for event in sse_events(response):
                    self.sse.append(event["data"])

    async def follow_ws(self, base: str) -> None:
        url = base.replace("http://", "ws://") + "/v1/ws?after=0"
        async with connect(url, additional_headers=bearer(self.key)) as ws:
            async for message in ws:
                frame = json.loads(message)
                if frame["type"] not in ("ping", "ready"):
                    self.ws.append(frame)


def _in(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


async def _run_the_day(client: httpx.AsyncClient, editor: dict[str, str]) -> dict[str, str]:
    async def file(**fields: Any) -> str:
        response = await client.post("/v1/stories", json=story_json(**fields), headers=editor)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    ids = {}
    for n in range(3):
        ids[f"routine{n}"] = await file(
            headline=f"Routine {n}", categories=["Politics" if n % 2 else "Sport"], urgency=5
        )
    ids["flash"] = await file(headline="FLASH quake", categories=["World"], urgency=1, public=True)
    for n in range(3, 6):
        ids[f"routine{n}"] = await file(headline=f"Routine {n}", categories=["Politics"], urgency=5)
    ids["budget"] = await file(headline="Budget vote", categories=["Politics"], public=True)
    ids["match"] = await file(headline="Cup final", categories=["Politics"], urgency=3, public=True)
    update = story_json(headline="Budget vote passes", categories=["Politics"], public=True)
    assert (
        await client.put(f"/v1/stories/{ids['budget']}", json=update, headers=editor)
    ).is_success
    correction = story_json(
        headline="Cup final", categories=["Sport"], urgency=3, public=True, ednote="Wrong section."
    )
    response = await client.post(
        f"/v1/stories/{ids['match']}/correct", json=correction, headers=editor
    )
    assert response.is_success
    ids["embargo"] = await file(
        headline="Report at dawn", categories=["Politics"], public=True, embargoed_until=_in(2)
    )
    ids["lifted"] = await file(
        headline="Early release", categories=["Sport"], public=True, embargoed_until=_in(3600)
    )
    lift = await client.post(
        f"/v1/stories/{ids['lifted']}/embargo", json={"embargoed_until": None}, headers=editor
    )
    assert lift.json()["event"] == "story.released"
    kill = await client.post(
        f"/v1/stories/{ids['budget']}/kill", json={"reason": "Legal."}, headers=editor
    )
    assert kill.is_success
    return ids


def _replica(events: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    copy: dict[str, dict[str, Any]] = {}
    for event in events:
        held = copy.get(event["story_id"])
        assert held is None or event["version"] > held["version"], "a story's versions in order"
        copy[event["story_id"]] = event
    return copy


async def _wait_for(condition: Any, timeout: float = 20.0) -> None:
    # Polling on purpose: the condition is another task's (or process's) progress.
    async with asyncio.timeout(timeout):
        while not await condition():  # noqa: ASYNC110
            await asyncio.sleep(0.05)


async def test_a_scripted_day_reaches_every_channel_and_format_consistently(tmp_path: Path) -> None:
    settings = Settings.load(
        environ={},
        db=f"sqlite:///{tmp_path / 'day.db'}",
        admin_token=ADMIN_TOKEN,
        webhook_allow_private=True,
        webhook_retry_schedule=(0.0, 0.2, 0.2),
        metrics_subscriber_labels=True,
    )
    runtime = Runtime.from_settings(settings, run_jobs=True)
    async with AsyncExitStack() as stack:
        server = await stack.enter_async_context(
            LocalServer(create_app(runtime), ws="websockets-sansio")
        )
        client = await stack.enter_async_context(httpx.AsyncClient(base_url=server.url))
        editor = bearer(
            (await client.post("/v1/editors", json={"name": "Desk"}, headers=ADMIN)).json()[
                "api_key"
            ]
        )
        followers: list[Follower] = []
        tasks = []
        for name, (format_name, entitlements) in SUBSCRIBERS.items():
            created = await client.post(
                "/v1/subscribers",
                json={"name": name, "entitlements": entitlements, "format": format_name},
                headers=ADMIN,
            )
            follower = Follower(name, created.json()["api_key"], format_name)
            await stack.enter_async_context(follower.receiver)
            hook = await client.post(
                "/v1/webhooks",
                json={"url": follower.receiver.url, "description": name},
                headers=bearer(follower.key),
            )
            assert hook.status_code == 201, hook.text
            tasks += [
                asyncio.create_task(follower.follow_sse(server.url)),
                asyncio.create_task(follower.follow_ws(server.url)),
            ]
            followers.append(follower)
        await asyncio.sleep(0.5)  # streams connected

        ids = await _run_the_day(client, editor)
        embargo_time = (await runtime.storage.stories.current(ids["embargo"])).embargoed_until

        async def released_by_the_scheduler() -> bool:
            story = await runtime.storage.stories.current(ids["embargo"])
            return story is not None and story.version == 2

        await _wait_for(released_by_the_scheduler, 10)
        released = await runtime.storage.stories.current(ids["embargo"])
        assert released.pubstatus.value == "usable"
        assert embargo_time <= released.version_created <= embargo_time + timedelta(seconds=1.5)

        current = {sid: await runtime.storage.stories.current(sid) for sid in ids.values()}
        for follower in followers:
            headers = bearer(follower.key)
            feed, _ = await read_all(client, headers, limit=4)
            expected = sorted((e["seq"], e["type"]) for e in feed)
            count = len(feed)

            async def streamed(f: Follower = follower, n: int = count) -> bool:
                return len(f.sse) >= n and len(f.ws) >= n

            await _wait_for(streamed)
            await follower.receiver.wait_for(len(feed))
            channels = {
                "feed": feed,
                "sse": follower.sse,
                "websocket": follower.ws,
                "webhooks": follower.receiver.bodies(),
            }
            _, entitlements = SUBSCRIBERS[follower.name]
            for channel, events in channels.items():
                where = f"{follower.name} by {channel}"
                assert sorted((e["seq"], e["type"]) for e in events) == expected, where
                copy = _replica(events)
                for story_id, event in copy.items():
                    story = current[story_id]
                    assert event["version"] == story.version, f"{where}: stale {story.headline}"
                    assert event["format"] == follower.format
                    assert status_in(follower.format, event["item"]) == story.pubstatus.value
                for event in events:
                    if not entitlements.get("embargoed"):
                        assert event["pubstatus"] != "withheld", f"{where}: delivered too early"
                if ids["budget"] in copy:
                    assert copy[ids["budget"]]["type"] == "story.killed", f"{where}: kill missed"
            order = [e["story_id"] for e in feed]
            if ids["flash"] in order:
                assert order.index(ids["flash"]) == 0, (
                    f"{follower.name}: flash queued behind routine"
                )
            atom = feedparser.parse((await client.get("/v1/feed.atom", headers=headers)).content)
            assert not atom.bozo
            assert {entry.id for entry in atom.entries} == {
                current[sid].guid for sid in _replica(feed)
            }, f"{follower.name} by Atom"

        metrics = {
            (family.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families((await client.get("/metrics")).text)
            for sample in family.samples
        }
        assert metrics[("newswire_webhook_deliveries", (("outcome", "delivered"),))] >= sum(
            len(f.receiver.requests) for f in followers
        )
        lags = [v for (name, _), v in metrics.items() if name == "newswire_subscriber_lag_events"]
        assert len(lags) == len(followers) and set(lags) == {0.0}, "every endpoint caught up"

        home = (await client.get("/en/")).text
        for story in current.values():
            shown = f"/stories/{story.slug}" in home
            assert shown == (story.public and story.pubstatus.value == "usable"), story.headline
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
