"""A 2xx that could not be recorded is recorded on reconnect before anything is resent (issue 15).

The database goes away just after a receiver answered 200: the dispatcher must
not send that event again (the old behaviour: 22 s later, as a duplicate).
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
import pytest

from newswire.delivery.webhooks import dispatcher as dispatch
from newswire.runtime import Runtime
from newswire.storage import Unavailable
from tests.accounts import deliver_webhooks
from tests.conftest import MakeSubscriber, file_story

pytestmark = pytest.mark.anyio


@pytest.fixture
async def hooked(
    client: httpx.AsyncClient, make_subscriber: MakeSubscriber
) -> tuple[dict[str, str], str]:
    """A subscriber with one webhook endpoint: the subscriber's headers and the endpoint's id."""
    subscriber = await make_subscriber()
    made = await client.post(
        "/v1/webhooks", json={"url": "http://127.0.0.1:9/hook"}, headers=subscriber
    )
    return subscriber, made.json()["id"]


async def test_a_delivery_recorded_late_is_never_resent(
    client: httpx.AsyncClient,
    runtime: Runtime,
    editor: dict[str, str],
    hooked: tuple[dict[str, str], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    subscriber, endpoint_id = hooked
    for n in range(3):
        await file_story(client, editor, headline=f"Story {n}")

    store = runtime.storage.webhooks
    real_advance = store.advance_cursor
    outage = {"writes_failing": 0, "back_at": 0.0}

    async def flaky_advance(*args: Any, **kwargs: Any) -> bool:
        if outage["writes_failing"] > 0:
            outage["writes_failing"] -= 1
            if outage["writes_failing"] == 0:
                outage["back_at"] = time.monotonic()
            raise Unavailable("the database went away")
        return await real_advance(*args, **kwargs)

    monkeypatch.setattr(store, "advance_cursor", flaky_advance)
    received: list[int] = []
    recorded_after_back: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seq = json.loads(request.content)["seq"]
        if outage["back_at"]:
            recorded_after_back.append(time.monotonic() - outage["back_at"])
            outage["back_at"] = 0.0
        if seq == 1:
            outage["writes_failing"] = 4  # the write after this 200 fails four times
        received.append(seq)
        return httpx.Response(200)

    monkeypatch.setattr(dispatch, "RECORD_RETRY_SECONDS", (0.01, 0.02), raising=False)
    dispatcher = await deliver_webhooks(runtime, httpx.MockTransport(answer))
    assert received == [1, 2, 3], "each event exactly once, in order"
    assert dispatcher.unrecorded == set()
    shown = await client.get(f"/v1/webhooks/{endpoint_id}", headers=subscriber)
    assert shown.json()["failed_attempts"] == 0
    attempts = await client.get(f"/v1/webhooks/{endpoint_id}/deliveries", headers=subscriber)
    assert sorted(a["seq"] for a in attempts.json()["deliveries"]) == [1, 2, 3]
    print(f"next delivery {recorded_after_back[0] * 1000:.0f} ms after the database was back")
    assert recorded_after_back and recorded_after_back[0] < 1.0


async def test_nothing_is_leased_while_a_delivery_is_unrecorded(runtime: Runtime) -> None:
    async with httpx.AsyncClient() as http:
        dispatcher = runtime.webhook_dispatcher(http)
        dispatcher.unrecorded.add("endpoint-with-a-lost-write")
        called: list[int] = []

        async def lease_due(free: int) -> list[Any]:
            called.append(free)
            return []

        dispatcher.lease_due = lease_due  # type: ignore[method-assign]
        stop = asyncio.Event()
        task = asyncio.create_task(dispatcher.run(stop))
        await asyncio.sleep(0.05)
        stop.set()
        await task
    assert called and set(called) == {0}


@pytest.mark.usefixtures("hooked")
async def test_a_lease_that_could_not_be_given_back_is_given_back_when_the_database_answers(
    client: httpx.AsyncClient,
    runtime: Runtime,
    editor: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await file_story(client, editor)
    store = runtime.storage.webhooks
    real_release, real_read = store.release_endpoint, runtime.storage.log.entries_after
    down = {"on": True}

    async def release(*args: Any) -> None:
        if down["on"]:
            raise Unavailable("the database went away")
        await real_release(*args)

    async def read(*args: Any) -> Any:
        if down["on"]:
            raise Unavailable("the database went away")
        return await real_read(*args)

    monkeypatch.setattr(store, "release_endpoint", release)
    monkeypatch.setattr(runtime.storage.log, "entries_after", read)
    received: list[int] = []

    def answer(request: httpx.Request) -> httpx.Response:
        received.append(json.loads(request.content)["seq"])
        return httpx.Response(200)

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
        dispatcher = runtime.webhook_dispatcher(http)
        (endpoint, holder), *_ = await dispatcher.lease_due(10)
        await dispatcher.serve(endpoint, holder, asyncio.Event())  # fails: the log is away
        assert dispatcher.unreleased == {endpoint.id: holder}
        down["on"] = False
        await dispatcher._release_leftovers()
        assert dispatcher.unreleased == {}
        # Due again at once, not when the lease (timeout + 5 s) runs out.
        for again, holder in await dispatcher.lease_due(10):
            await dispatcher.serve(again, holder, asyncio.Event())
    assert received == [1]
