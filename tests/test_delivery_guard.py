"""No poison, by construction: an event that fails to render is reported; the wire flows on.

The gate should make a failing render impossible; these tests force one (a
format that raises for one story) and prove that every channel reports it and
delivers everything else, and that /readyz says degraded while a job keeps failing.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
import pytest
from prometheus_client import REGISTRY

from newswire.delivery import envelopes
from newswire.jobs.supervisor import Job, supervise
from newswire.monitoring.health import JobHealth
from newswire.runtime import Runtime
from tests.accounts import webhook_bodies
from tests.conftest import MakeSubscriber, file_story, read_all

pytestmark = pytest.mark.anyio

POISON = "Poisoned headline"


@pytest.fixture
def poisoned_format(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make rendering raise for the story whose headline is POISON, in every format."""
    real = envelopes.render_item

    def render_item(story: Any, format_name: str, agency: Any, *attached: Any) -> Any:
        if story.headline == POISON:
            raise ValueError("cannot render this one")
        return real(story, format_name, agency, *attached)

    monkeypatch.setattr(envelopes, "render_item", render_item)
    envelopes.envelope_json.cache_clear()


def failures(format_name: str) -> float:
    value = REGISTRY.get_sample_value("newswire_render_failures_total", {"format": format_name})
    return value or 0.0


async def test_an_event_that_fails_to_render_is_sent_as_a_notice_and_the_feed_flows_on(
    client: httpx.AsyncClient,
    editor: dict[str, str],
    make_subscriber: MakeSubscriber,
    poisoned_format: None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    subscriber = await make_subscriber()
    await file_story(client, editor, headline="Before the poison")
    bad = await file_story(client, editor, headline=POISON)
    await file_story(client, editor, headline="After the poison")
    before = failures("nitf")
    with caplog.at_level(logging.ERROR, logger="newswire.delivery"):
        events, cursor = await read_all(client, subscriber | {"Accept": "application/json"})
        page = await client.get("/v1/feed", params={"format": "nitf"}, headers=subscriber)
    assert page.status_code == 200
    assert [event["seq"] for event in events] == [1, 2, 3]
    notice = events[1]
    assert notice["story_id"] == bad["id"] and "item" not in notice
    assert "could not be rendered" in notice["error"]["message"]
    assert all("item" in event for event in (events[0], events[2]))
    assert cursor == "3"
    nitf_events = page.json()["events"]
    assert [("item" in event) for event in nitf_events] == [True, False, True]
    assert failures("nitf") == before + 1
    assert any("could not be rendered as nitf" in r.getMessage() for r in caplog.records)


async def test_a_webhook_receiver_gets_the_notice_and_the_attempt_says_why(
    client: httpx.AsyncClient,
    runtime: Runtime,
    editor: dict[str, str],
    make_subscriber: MakeSubscriber,
    poisoned_format: None,
) -> None:
    subscriber = await make_subscriber()
    created = await client.post(
        "/v1/webhooks", json={"url": "http://127.0.0.1:9/hook"}, headers=subscriber
    )
    assert created.status_code == 201, created.text
    endpoint_id = created.json()["id"]
    for headline in ("Before the poison", POISON, "After the poison"):
        await file_story(client, editor, headline=headline)
    received = await webhook_bodies(runtime)
    assert [event["seq"] for event in received] == [1, 2, 3]
    assert "error" in received[1] and "item" not in received[1]
    attempts = await client.get(f"/v1/webhooks/{endpoint_id}/deliveries", headers=subscriber)
    by_seq = {attempt["seq"]: attempt for attempt in attempts.json()["deliveries"]}
    assert "failed to render" in by_seq[2]["error"]
    assert by_seq[1]["error"] == "" and by_seq[3]["error"] == ""


async def test_readyz_says_degraded_while_a_job_keeps_failing(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    assert (await client.get("/readyz")).json()["status"] == "ok"
    now = [100.0]
    runtime.job_health = JobHealth(window=60.0, clock=lambda: now[0])
    stop = asyncio.Event()
    crashes = 0

    async def crashing(_stop: asyncio.Event) -> None:
        nonlocal crashes
        crashes += 1
        if crashes >= 2:
            stop.set()
        raise RuntimeError("the database said no")

    await supervise(Job("broken", crashing), stop, runtime.job_health)
    ready = await client.get("/readyz")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "degraded"
    assert "2 in a row" in body["checks"]["job:broken"]
    assert "the database said no" in body["checks"]["job:broken"]
    now[0] += 61  # a minute without failing: recovered
    assert (await client.get("/readyz")).json()["status"] == "ok"
