"""Usage accounting: who received which version, how, in which format, when; batched; CSV."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from newswire.accounts.usage import UsageRecorder
from newswire.models.usage import Channel, ServedCursor, UsageRecord
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.accounts import (
    app_client,
    create_subscriber,
    deliver_webhooks,
    served,
    sse_past_the_quota,
)
from tests.conftest import ADMIN, file_story
from tests.servers import Receiver

pytestmark = pytest.mark.anyio


async def usage_of(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    """Return every usage record matching the filters, following `next`."""
    rows: list[dict[str, Any]] = []
    cursor = None
    while True:
        query = {**params, **({"after": cursor} if cursor else {})}
        response = await client.get("/v1/admin/usage", params=query, headers=ADMIN)
        assert response.status_code == 200, response.text
        rows.extend(response.json()["usage"])
        cursor = response.json()["next"]
        if cursor is None:
            return rows


async def test_feed_story_and_webhook_deliveries_are_recorded_with_channel_format_and_time(
    runtime: Runtime, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    subscriber_id, subscriber = await create_subscriber(client, "Gazette", format="ninjs3")
    before = datetime.now(UTC) - timedelta(seconds=1)
    async with Receiver(lambda _n, _request: 200) as receiver:
        await client.post("/v1/webhooks", json={"url": receiver.url}, headers=subscriber)
        first = await file_story(client, editor, headline="First")
        second = await file_story(client, editor, headline="Second")
        await client.get("/v1/feed", headers=subscriber)
        await client.get(
            f"/v1/stories/{first['id']}", params={"format": "nitf"}, headers=subscriber
        )
        await deliver_webhooks(runtime)
        assert len(receiver.requests) == 2
    await client.get("/v1/feed", headers=editor)  # editors are not metered

    rows = await usage_of(client, subscriber=subscriber_id)
    got = [(r["channel"], r["format"], r["story_id"], r["version"], r["seq"]) for r in rows]
    assert sorted(got, key=str) == sorted(
        [
            ("feed", "ninjs3", first["id"], 1, first["seq"]),
            ("feed", "ninjs3", second["id"], 1, second["seq"]),
            ("story", "nitf", first["id"], 1, None),
            ("webhook", "ninjs3", first["id"], 1, first["seq"]),
            ("webhook", "ninjs3", second["id"], 1, second["seq"]),
        ],
        key=str,
    )
    for row in rows:
        assert row["subscriber_id"] == subscriber_id and row["subscriber_name"] == "Gazette"
        delivered = datetime.fromisoformat(row["delivered_at"].replace("Z", "+00:00"))
        assert before <= delivered <= datetime.now(UTC)
    everyone = await usage_of(client)
    assert len(everyone) == 5, "nothing recorded for the editor's reads"


async def test_sse_deliveries_are_recorded_when_sent(settings: Settings) -> None:
    async with served(settings) as (_server, client, _runtime):
        run = await sse_past_the_quota(client, quota=2)
        rows = await usage_of(client, subscriber=run.subscriber_id, channel="sse")
        assert [row["seq"] for row in rows] == run.filed[:2], "exactly what was sent"
        account = (await client.get("/v1/account", headers=run.subscriber)).json()
        assert account["cursors"]["sse"]["cursor"] == str(run.filed[1])


async def test_usage_filters_pages_and_exports_csv_with_a_header_row(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    a_id, a = await create_subscriber(client, "Alpha")
    b_id, b = await create_subscriber(client, "Beta")
    stories = [await file_story(client, editor, headline=f"S{n}") for n in range(3)]
    await client.get("/v1/feed", headers=a)
    await client.get("/v1/feed", headers=b)
    await client.get(f"/v1/stories/{stories[1]['slug']}", headers=b)

    assert len(await usage_of(client, subscriber=a_id)) == 3
    assert len(await usage_of(client, channel="story")) == 1
    assert {r["subscriber_id"] for r in await usage_of(client, story=stories[1]["slug"])} == {
        a_id,
        b_id,
    }, "a story's id, slug or guid"
    page = (await client.get("/v1/admin/usage", params={"limit": 4}, headers=ADMIN)).json()
    assert len(page["usage"]) == 4 and page["next"] is not None
    assert len(await usage_of(client, limit=2)) == 7, "following next visits every record once"
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    assert await usage_of(client, **{"from": future}) == []
    assert len(await usage_of(client, to=future)) == 7

    exported = await client.get("/v1/admin/usage", params={"format": "csv"}, headers=ADMIN)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/csv")
    table = list(csv.DictReader(io.StringIO(exported.text)))
    assert len(table) == 7
    assert set(table[0]) == {
        "id",
        "delivered_at",
        "subscriber_id",
        "subscriber_name",
        "channel",
        "format",
        "story_id",
        "version",
        "seq",
        "deliveries",
    }
    accepted = await client.get(
        "/v1/admin/usage", params={"subscriber": b_id}, headers={**ADMIN, "Accept": "text/csv"}
    )
    rows = list(csv.DictReader(io.StringIO(accepted.text)))
    assert [row["subscriber_name"] for row in rows] == ["Beta"] * 4
    assert [row["seq"] for row in rows if row["channel"] == "story"] == [""]


async def test_usage_is_for_the_admin_and_bad_filters_name_their_field(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    _, subscriber = await create_subscriber(client)
    assert (await client.get("/v1/admin/usage", headers=subscriber)).status_code == 403
    assert (await client.get("/v1/admin/usage", headers=editor)).status_code == 403
    for params, field in (
        ({"channel": "fax"}, "channel"),
        ({"from": "yesterday"}, "from"),
        ({"format": "xlsx"}, "format"),
        ({"from": "2026-01-02T00:00:00Z", "to": "2026-01-01T00:00:00Z"}, "to"),
        ({"limit": 0}, "limit"),
    ):
        response = await client.get("/v1/admin/usage", params=params, headers=ADMIN)
        assert response.status_code == 422, params
        assert response.json()["error"]["field"] == field
    unknown = await client.get("/v1/admin/usage", params={"subscriber": "nope"}, headers=ADMIN)
    assert unknown.status_code == 404 and unknown.json()["error"]["field"] == "subscriber"


async def test_usage_still_buffered_at_shutdown_is_written(
    settings: Settings, editor: dict[str, str], client: httpx.AsyncClient
) -> None:
    async with app_client(settings.replace(usage_flush_seconds=3600.0)) as (node, runtime):
        subscriber_id, subscriber = await create_subscriber(node)
        await file_story(node, editor, headline="Read just before the shutdown")
        assert len((await node.get("/v1/feed", headers=subscriber)).json()["events"]) == 1
        assert runtime.usage.pending == 1, "buffered, not written per delivery"
    rows = await usage_of(client, subscriber=subscriber_id)
    assert [row["channel"] for row in rows] == ["feed"], "the shutdown wrote the last batch"


class CountingUsageStore:
    """Stands in for the usage store: counts the writes the recorder makes, or fails them."""

    def __init__(self) -> None:
        self.writes: list[tuple[int, int]] = []
        self.batches: list[list[UsageRecord]] = []
        self.failing = False

    async def record(self, records: Sequence[UsageRecord], cursors: Sequence[ServedCursor]) -> None:
        if self.failing:
            raise ConnectionError("database down")
        self.writes.append((len(records), len(cursors)))
        self.batches.append(list(records))


async def test_the_recorder_writes_batches_not_one_write_per_delivery() -> None:
    storage = CountingUsageStore()
    now = datetime(2026, 1, 5, 12, tzinfo=UTC)
    recorder = UsageRecorder(storage, lambda: now, flush_seconds=0.05, flush_rows=10_000)  # type: ignore[arg-type]
    for connection in range(1000):  # a thousand SSE clients, five events each
        items = [(f"story-{n}", 1, n) for n in range(5)]
        recorder.record(f"s{connection % 3}", Channel.SSE, "ninjs2", items)
        recorder.served(f"s{connection % 3}", Channel.SSE, 5)
    assert storage.writes == [], "recording does no I/O"

    stop = asyncio.Event()
    task = asyncio.create_task(recorder.run(stop))
    await asyncio.sleep(0.2)
    # 5,000 deliveries: one record per (subscriber, version), with its count.
    assert storage.writes == [(15, 3)], "one write for the whole batch, one cursor per channel"
    assert sum(record.deliveries for record in storage.batches[0]) == 5000
    assert {record.deliveries for record in storage.batches[0]} == {334, 333}
    assert recorder.recorded("s0", "2026-01-05") == recorder.flushed("s0", "2026-01-05") == 1670

    storage.failing = True
    recorder.record("s1", Channel.FEED, "ninjs2", [("story-9", 2, 9)])
    await asyncio.sleep(0.2)
    assert recorder.pending == 1, "a failed write keeps the batch for the next try"
    storage.failing = False
    await asyncio.sleep(0.2)
    assert recorder.pending == 0 and storage.writes[-1] == (1, 0)
    stop.set()
    task.cancel()
