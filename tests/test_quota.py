"""The daily download quota: trimmed feed pages, 429 until the UTC day resets, streams, webhooks."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from newswire.accounts.quotas import next_reset
from newswire.delivery.feed import trim
from newswire.delivery.reader import Delivery, Page, flash_first
from newswire.models.principals import Principal, Role
from newswire.models.stories import Event, EventType, LogEntry, PubStatus, StoryVersion
from newswire.models.usage import Channel, UsageRecord
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.accounts import (
    create_editor,
    create_subscriber,
    deliver_webhooks,
    served,
    sse_past_the_quota,
)
from tests.conftest import ADMIN, file_story
from tests.servers import Receiver

pytestmark = pytest.mark.anyio


def _assert_quota_429(response: httpx.Response) -> None:
    assert response.status_code == 429, response.text
    now = datetime.now(UTC)
    until_midnight = (next_reset(now) - now).total_seconds()
    assert abs(int(response.headers["Retry-After"]) - until_midnight) <= 5, "until 00:00 UTC"
    error = response.json()["error"]
    assert "quota" in error["message"] and "00:00 UTC" in error["message"]
    assert error["resets_at"] == next_reset(now).strftime("%Y-%m-%dT%H:%M:%SZ")


async def test_a_feed_page_is_trimmed_to_the_quota_then_429_until_the_day_resets(
    runtime: Runtime, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    _, subscriber = await create_subscriber(client, daily_quota=3)
    filed = [await file_story(client, editor, headline=f"Story {n}") for n in range(5)]
    seqs = [story["seq"] for story in filed]

    page = (await client.get("/v1/feed", params={"limit": 100}, headers=subscriber)).json()
    assert [e["seq"] for e in page["events"]] == seqs[:3], "trimmed to what the quota allows"
    assert page["next"] == page["events"][-1]["cursor"], "next resumes after the last delivered"

    refused = await client.get("/v1/feed", params={"after": page["next"]}, headers=subscriber)
    _assert_quota_429(refused)
    _assert_quota_429(await client.get(f"/v1/stories/{filed[0]['id']}", headers=subscriber))
    account = (await client.get("/v1/account", headers=subscriber)).json()
    assert account["daily_quota"]["used"] == 3 and account["daily_quota"]["remaining"] == 0

    runtime.clock.advance(timedelta(days=1))  # the UTC day has turned
    resumed = await client.get("/v1/feed", params={"after": page["next"]}, headers=subscriber)
    assert resumed.status_code == 200
    assert [e["seq"] for e in resumed.json()["events"]] == seqs[3:], "nothing was skipped"


def _delivery(seq: int, urgency: int) -> Delivery:
    now = datetime.now(UTC)
    story = StoryVersion(
        story_id=f"s{seq}",
        version=1,
        guid=f"urn:s{seq}",
        slug=f"s{seq}",
        headline="Headline",
        summary="",
        body_html="<p>Body</p>",
        byline="",
        dateline="",
        categories=(),
        subjects=(),
        urgency=urgency,
        language="en",
        public=False,
        pubstatus=PubStatus.USABLE,
        first_created=now,
        version_created=now,
    )
    event = Event(seq, EventType.PUBLISHED, story.story_id, 1, now)
    return Delivery(LogEntry(event, story), EventType.PUBLISHED)


def test_a_trimmed_page_after_a_flash_item_overtook_routine_ones_skips_nothing() -> None:
    deliveries = flash_first([_delivery(11, 5), _delivery(12, 5), _delivery(13, 1)], after=10)
    assert [d.seq for d in deliveries] == [13, 11, 12], "the flash item comes first"
    page = trim(Page(deliveries, next=13), 2)
    assert [d.seq for d in page.deliveries] == [13, 11]
    assert page.next == 11, "resuming after 11 re-reads 12 (and repeats 13), skips nothing"
    assert trim(Page(deliveries, next=13), 5).next == 13


async def test_stories_by_id_and_their_versions_count_against_the_quota(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    _, subscriber = await create_subscriber(client, daily_quota=2)
    story = await file_story(client, editor)
    assert (await client.get(f"/v1/stories/{story['id']}", headers=subscriber)).status_code == 200
    version = await client.get(f"/v1/stories/{story['id']}/versions/1", headers=subscriber)
    assert version.status_code == 200
    _assert_quota_429(await client.get(f"/v1/stories/{story['id']}", headers=subscriber))
    listing = await client.get(f"/v1/stories/{story['id']}/versions", headers=subscriber)
    assert listing.status_code == 200, "the list of versions carries no story text"
    # Editors are the agency's own: never metered.
    assert (await client.get(f"/v1/stories/{story['id']}", headers=editor)).status_code == 200


async def test_the_admin_sets_changes_and_clears_a_quota_and_bad_ones_are_refused(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    for bad in (-1, "many", 1.5):
        response = await client.post(
            "/v1/subscribers", json={"name": "S", "daily_quota": bad}, headers=ADMIN
        )
        assert response.status_code == 422, bad
        assert response.json()["error"]["field"] == "daily_quota"
    subscriber_id, subscriber = await create_subscriber(client, daily_quota=0)
    await file_story(client, editor)
    assert (await client.get("/v1/feed", headers=subscriber)).status_code == 429

    bad = await client.patch(
        f"/v1/subscribers/{subscriber_id}", json={"daily_quota": -5}, headers=ADMIN
    )
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "daily_quota"
    unknown = await client.patch("/v1/subscribers/nope", json={"daily_quota": 5}, headers=ADMIN)
    assert unknown.status_code == 404 and unknown.json()["error"]["field"] == "id"

    cleared = await client.patch(
        f"/v1/subscribers/{subscriber_id}", json={"daily_quota": None}, headers=ADMIN
    )
    assert cleared.status_code == 200 and cleared.json()["daily_quota"] is None
    assert len((await client.get("/v1/feed", headers=subscriber)).json()["events"]) == 1
    entitlements = {"entitlements": {"categories": ["Sport"]}}
    kept = await client.patch(f"/v1/subscribers/{subscriber_id}", json=entitlements, headers=ADMIN)
    assert kept.json()["daily_quota"] is None, "a PATCH without daily_quota leaves it alone"


async def test_a_live_sse_stream_ends_with_quota_exhausted_when_the_quota_runs_out(
    settings: Settings,
) -> None:
    async with served(settings) as (_server, client, _runtime):
        run = await sse_past_the_quota(client, quota=2)
        events, filed, subscriber = run.events, run.filed, run.subscriber
        assert [int(e["id"]) for e in events[:2]] == filed[:2]
        assert events[-1]["event"] == "quota_exhausted", "the last event says why it ends"
        error = events[-1]["data"]["error"]
        assert error["status"] == 429 and error["resets_at"].endswith("T00:00:00Z")
        assert len(events) == 3, "nothing beyond the quota was sent"
        again = await client.get("/v1/stream", headers=subscriber)
        assert again.status_code == 429 and "Retry-After" in again.headers


async def test_a_websocket_closes_with_4429_when_the_quota_runs_out(settings: Settings) -> None:
    async with served(settings) as (server, client, _runtime):
        editor = await create_editor(client)
        _, subscriber = await create_subscriber(client, daily_quota=1)
        url = server.url.replace("http://", "ws://") + "/v1/ws"
        frames = []
        async with connect(url, additional_headers=subscriber) as ws:
            assert json.loads(await ws.recv())["type"] == "ready"
            filed = [(await file_story(client, editor, headline=f"W{n}"))["seq"] for n in range(2)]
            with pytest.raises(ConnectionClosed) as closed:
                async with asyncio.timeout(20):
                    while True:
                        frames.append(json.loads(await ws.recv()))
        assert [f["seq"] for f in frames if f["type"].startswith("story.")] == filed[:1]
        assert frames[-1]["type"] == "quota_exhausted"
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4429


async def test_webhook_delivery_waits_for_the_reset_without_failing_or_skipping(
    runtime: Runtime, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    subscriber_id, subscriber = await create_subscriber(client, daily_quota=1)
    async with Receiver(lambda _n, _request: 200) as receiver:
        hook = await client.post("/v1/webhooks", json={"url": receiver.url}, headers=subscriber)
        filed = [(await file_story(client, editor, headline=f"H{n}"))["seq"] for n in range(2)]
        await deliver_webhooks(runtime)
        assert [body["seq"] for body in receiver.bodies()] == filed[:1]

        endpoint = await runtime.storage.webhooks.endpoint(hook.json()["id"])
        assert endpoint is not None
        assert endpoint.cursor == filed[0], "the undelivered event is still ahead of the cursor"
        assert endpoint.attempt == 0 and endpoint.status.value == "active", "not a failure"
        assert endpoint.next_attempt_at == runtime.quotas.resets_at(), "it waits for the reset"
        await deliver_webhooks(runtime)
        assert len(receiver.requests) == 1, "not due before the reset"

        runtime.clock.advance(timedelta(days=1))
        # At the reset it is due again; `enable` makes it due now instead of at midnight.
        await client.post(f"/v1/webhooks/{hook.json()['id']}/enable", headers=subscriber)
        await deliver_webhooks(runtime)
        assert [body["seq"] for body in receiver.bodies()] == filed
    usage = await client.get("/v1/admin/usage", params={"subscriber": subscriber_id}, headers=ADMIN)
    assert [row["channel"] for row in usage.json()["usage"]] == ["webhook", "webhook"]


async def test_used_today_counts_unwritten_written_and_other_nodes_deliveries_once(
    runtime: Runtime,
) -> None:
    subscriber = Principal("sub-x", Role.SUBSCRIBER, "X", daily_quota=10)
    runtime.usage.record(subscriber.id, Channel.FEED, "ninjs2", [("a", 1, 1), ("b", 1, 2)])
    assert await runtime.quotas.used(subscriber.id) == 2, "not written yet, still counted"
    await runtime.usage.flush()
    runtime.quotas.forget(subscriber.id)  # re-read the database
    assert await runtime.quotas.used(subscriber.id) == 2, "written: not counted twice"

    assert await runtime.quotas.take(subscriber, 20) == 8, "grants no more than is left"
    assert await runtime.quotas.take(subscriber, 1) == 0
    runtime.quotas.release(subscriber.id, 8)  # not delivered after all

    elsewhere = UsageRecord(subscriber.id, Channel.SSE, "ninjs2", "c", 1, 3, runtime.clock())
    await runtime.storage.usage.record([elsewhere] * 3, [])  # another node's batch
    runtime.quotas.forget(subscriber.id)
    assert await runtime.quotas.used(subscriber.id) == 5
