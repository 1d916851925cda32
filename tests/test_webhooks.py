"""Signed webhooks over real sockets: retries, order, refusals, SSRF, restarts, replay, rotation."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest
from standardwebhooks import Webhook

from newswire.delivery.webhooks.retries import Action, Outcome, next_step
from newswire.models.webhooks import EndpointStatus
from newswire.runtime import Runtime
from tests.conftest import MakeSubscriber, file_story
from tests.servers import Received, Receiver, Wire, start_wire

pytestmark = [pytest.mark.anyio]

FAST_RETRIES = {"NEWSWIRE_WEBHOOK_RETRY_SCHEDULE": "0,0.2,0.2,0.2", "NEWSWIRE_WEBHOOK_TIMEOUT": "5"}


async def register(wire: Wire, url: str, key: str | None = None) -> dict[str, Any]:
    """Register a webhook endpoint for the wire's subscriber; return the response body."""
    async with httpx.AsyncClient(base_url=wire.url) as client:
        response = await client.post(
            "/v1/webhooks",
            json={"url": url, "description": "test receiver"},
            headers={"Authorization": f"Bearer {key or wire.subscriber_key}"},
        )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


async def api(wire: Wire, method: str, path: str, **kwargs: Any) -> Any:
    """Call the API as the wire's subscriber and return the JSON answer."""
    async with httpx.AsyncClient(base_url=wire.url) as client:
        response = await client.request(
            method, path, headers={"Authorization": f"Bearer {wire.subscriber_key}"}, **kwargs
        )
    assert response.status_code < 300, response.text
    return response.json()


async def wait_for_field(wire: Wire, endpoint_id: str, field: str, value: Any) -> dict[str, Any]:
    """Poll an endpoint until one of its fields has a value; return the endpoint."""
    with anyio.fail_after(20):
        while True:
            endpoint: dict[str, Any] = await api(wire, "GET", f"/v1/webhooks/{endpoint_id}")
            if endpoint[field] == value:
                return endpoint
            await anyio.sleep(0.1)


def verified(request: Received, secret: str) -> dict[str, Any]:
    """Verify a delivery with the standardwebhooks package and return its JSON body."""
    body: dict[str, Any] = Webhook(secret).verify(request.body, request.headers)
    return body


def successes(receiver: Receiver, failed: set[int]) -> list[Received]:
    return [r for n, r in enumerate(receiver.requests, 1) if n not in failed]


@pytest.mark.slow
async def test_a_receiver_that_fails_three_times_then_succeeds_gets_each_event_once_in_order(
    tmp_path: Path,
) -> None:
    wire = start_wire(tmp_path, **FAST_RETRIES)
    try:
        async with Receiver(lambda n, _request: 500 if n <= 3 else 200) as receiver:
            endpoint = await register(wire, receiver.url)
            assert endpoint["secret"].startswith("whsec_")
            filed = await wire.file(3, "Hooked")
            await receiver.wait_for(6)

            ids = [r.headers["webhook-id"] for r in receiver.requests]
            assert ids[:4] == [f"evt_{filed[0]}"] * 4, "retries carry the same webhook-id"
            delivered = [verified(r, endpoint["secret"]) for r in receiver.requests[3:]]
            assert [d["seq"] for d in delivered] == filed, "every event once, in order"
            feed = await api(wire, "GET", "/v1/feed", params={"after": filed[0] - 1})
            assert delivered == feed["events"], "the body is the feed's envelope"

            attempts = (await api(wire, "GET", f"/v1/webhooks/{endpoint['id']}/deliveries"))[
                "deliveries"
            ][::-1]
            assert [a["status_code"] for a in attempts] == [500, 500, 500, 200, 200, 200]
            assert [a["attempt"] for a in attempts] == [1, 2, 3, 4, 1, 1]
            assert attempts[0]["error"] == "HTTP 500" and attempts[3]["error"] == ""
            assert all(isinstance(a["latency_ms"], int) for a in attempts)

            # Rotation: both secrets sign during the grace period.
            rotated = await api(wire, "POST", f"/v1/webhooks/{endpoint['id']}/rotate-secret")
            more = await wire.file(1, "After rotation")
            await receiver.wait_for(7)
            last = receiver.requests[6]
            assert len(last.headers["webhook-signature"].split(" ")) == 2
            assert verified(last, rotated["secret"])["seq"] == more[0]
            assert verified(last, endpoint["secret"])["seq"] == more[0]

            # Replay from a cursor re-sends from that point, in order, with the same ids.
            await api(
                wire, "POST", f"/v1/webhooks/{endpoint['id']}/replay", json={"after": str(filed[1])}
            )
            await receiver.wait_for(9)
            replayed = [r.headers["webhook-id"] for r in receiver.requests[7:9]]
            assert replayed == [f"evt_{filed[2]}", f"evt_{more[0]}"]
    finally:
        wire.stop()


@pytest.mark.slow
async def test_400_pauses_at_once_and_410_disables_with_nothing_skipped(tmp_path: Path) -> None:
    wire = start_wire(tmp_path, **FAST_RETRIES)
    refusing = {"status": 400}
    try:
        async with (
            Receiver(lambda _n, _r: refusing["status"]) as bad_request,
            Receiver(lambda _n, _r: 410) as gone,
        ):
            first = await register(wire, bad_request.url)
            second = await register(wire, gone.url)
            filed = await wire.file(2, "Refused")

            failing = await wait_for_field(wire, first["id"], "status", "failing")
            disabled = await wait_for_field(wire, second["id"], "status", "disabled")
            assert len(bad_request.requests) == 1, "a 400 is not retried"
            assert len(gone.requests) == 1
            assert "400" in failing["status_reason"] and failing["cursor"] == str(filed[0] - 1)
            assert "410" in disabled["status_reason"]

            # Fixed and re-enabled: delivery resumes with the refused event.
            refusing["status"] = 200
            await api(wire, "POST", f"/v1/webhooks/{first['id']}/enable")
            await bad_request.wait_for(3)
            seqs = [json.loads(r.body)["seq"] for r in bad_request.requests[1:]]
            assert seqs == filed
    finally:
        wire.stop()


@pytest.mark.slow
async def test_pending_deliveries_survive_a_restart_between_attempts(tmp_path: Path) -> None:
    # The first attempt fails; the retry is due 2 s later, by which time the
    # server has been killed and started again.
    wire = start_wire(
        tmp_path, NEWSWIRE_WEBHOOK_RETRY_SCHEDULE="0,2,2", NEWSWIRE_WEBHOOK_TIMEOUT="5"
    )
    try:
        async with Receiver(lambda n, _request: 503 if n == 1 else 200) as receiver:
            endpoint = await register(wire, receiver.url)
            filed = await wire.file(2, "Before the crash")
            await receiver.wait_for(1)
            await wait_for_field(wire, endpoint["id"], "failed_attempts", 1)  # retry stored
            await wire.kill()
            await wire.restart()
            filed += await wire.file(1, "After the restart")
            await receiver.wait_for(4)
            delivered = [verified(r, endpoint["secret"]) for r in receiver.requests[1:]]
            assert [d["seq"] for d in delivered] == filed
            assert receiver.requests[0].headers["webhook-id"] == f"evt_{filed[0]}"
    finally:
        wire.stop()


async def test_private_addresses_are_refused_at_registration_and_at_send_time(
    runtime: Runtime,
    client: httpx.AsyncClient,
    editor: dict[str, str],
    make_subscriber: MakeSubscriber,
) -> None:
    subscriber = await make_subscriber("Careful")
    allowed = await client.post(
        "/v1/webhooks", json={"url": "http://127.0.0.1:9/hook"}, headers=subscriber
    )
    assert allowed.status_code == 201, "the operator allowed private addresses"

    # The operator turns private addresses off (as a restart with the setting changed would).
    runtime.webhooks.allow_private = False
    policy = dataclasses.replace(runtime.webhook_parts.policy, allow_private=False)
    runtime.webhook_parts = dataclasses.replace(runtime.webhook_parts, policy=policy)
    for url in ("http://127.0.0.1:9/hook", "http://169.254.169.254/latest", "http://10.1.2.3/"):
        refused = await client.post("/v1/webhooks", json={"url": url}, headers=subscriber)
        assert refused.status_code == 422, url
        assert refused.json()["error"]["field"] == "url"
    not_http = await client.post(
        "/v1/webhooks", json={"url": "file:///etc/passwd"}, headers=subscriber
    )
    assert not_http.status_code == 422

    # Registered while allowed, refused when sending now that it is not.
    await file_story(client, editor)
    async with httpx.AsyncClient() as http:
        dispatcher = runtime.webhook_dispatcher(http)
        ((endpoint, holder),) = await dispatcher.lease_due(10)
        await dispatcher.serve(endpoint, holder, asyncio.Event())
    after = await runtime.storage.webhooks.endpoint(endpoint.id)
    assert after is not None and after.status is EndpointStatus.FAILING
    (attempt,) = await runtime.storage.webhooks.attempts(endpoint.id, 10)
    assert attempt.status_code is None and attempt.error.startswith("refused:")


@pytest.mark.parametrize(
    ("outcome", "attempts", "action", "delay"),
    [
        (Outcome(200), 1, Action.DONE, 0.0),
        (Outcome(None, "timed out"), 1, Action.RETRY, 5.0),
        (Outcome(500), 2, Action.RETRY, 300.0),
        (Outcome(408), 1, Action.RETRY, 5.0),
        (Outcome(429, retry_after=120.0), 1, Action.RETRY, 120.0),
        (Outcome(503, retry_after=1.0), 2, Action.RETRY, 300.0),
        (Outcome(400), 1, Action.PAUSE, 0.0),
        (Outcome(410), 1, Action.PAUSE, 0.0),
        (Outcome(500), 8, Action.PAUSE, 0.0),
    ],
)
def test_the_retry_rules_follow_the_schedule_and_the_status(
    outcome: Outcome, attempts: int, action: Action, delay: float
) -> None:
    schedule = (0.0, 5.0, 300.0, 1800.0, 7200.0, 18000.0, 36000.0, 36000.0)
    step = next_step(outcome, attempts, schedule)
    assert (step.action, step.delay) == (action, delay)
    if outcome.status_code == 410:
        assert step.status is EndpointStatus.DISABLED
    elif action is Action.PAUSE:
        assert step.status is EndpointStatus.FAILING
