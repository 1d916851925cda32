"""Exposure closed (issue 15): /metrics, 401 before the body, Allow on 405, key guessing."""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest

from newswire.app import create_app
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.conftest import ADMIN, bearer

pytestmark = pytest.mark.anyio


@asynccontextmanager
async def client_from(
    settings: Settings, address: str = "127.0.0.1", **changes: object
) -> AsyncIterator[tuple[httpx.AsyncClient, Runtime]]:
    runtime = Runtime.from_settings(dataclasses.replace(settings, **changes))
    await runtime.start()
    try:
        transport = httpx.ASGITransport(app=create_app(runtime), client=(address, 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://n.test") as client:
            yield client, runtime
    finally:
        await runtime.stop()


async def test_metrics_answer_loopback_only_when_no_token_is_set(settings: Settings) -> None:
    async with client_from(settings, "203.0.113.7") as (remote, _):
        refused = await remote.get("/metrics")
        assert refused.status_code == 403
        assert "newswire_" not in refused.text
    async with client_from(settings, "::1") as (local, _):
        assert (await local.get("/metrics")).status_code == 200


async def test_metrics_need_their_token_from_anywhere_once_it_is_set(settings: Settings) -> None:
    async with client_from(settings, "203.0.113.7", metrics_token="scrape-me") as (client, _):
        assert (await client.get("/metrics")).status_code == 401
        wrong = await client.get("/metrics", headers=bearer("nope"))
        assert wrong.status_code == 401
        assert (await client.get("/metrics", headers=ADMIN)).status_code == 401
        scraped = await client.get("/metrics", headers=bearer("scrape-me"))
        assert scraped.status_code == 200 and "newswire_log_head_seq" in scraped.text


async def test_subscriber_ids_label_metrics_only_when_the_operator_asks(
    settings: Settings,
) -> None:
    for labels in (False, True):
        async with client_from(settings, metrics_subscriber_labels=labels) as (client, _):
            made = await client.post("/v1/subscribers", json={"name": "S"}, headers=ADMIN)
            subscriber = made.json()["id"]
            hook = await client.post(
                "/v1/webhooks",
                json={"url": "http://127.0.0.1:9/hook"},
                headers=bearer(made.json()["api_key"]),
            )
            assert hook.status_code == 201, hook.text
            text = (await client.get("/metrics")).text
            assert "newswire_webhook_lag_max_events" in text
            assert (subscriber in text) is labels


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/v1/stories/x/kill"),
        ("POST", "/v1/stories/x/embargo"),
        ("POST", "/v1/subscribers"),
        ("POST", "/v1/webhooks"),
        ("POST", "/v1/searches"),
    ],
)
async def test_no_key_and_a_bad_body_is_401_not_422(
    client: httpx.AsyncClient, editor: dict[str, str], method: str, path: str
) -> None:
    for body in (b"{not json", b'{"unexpected": 1}'):
        for headers in ({}, bearer("nwk_unknown-key")):
            response = await client.request(
                method, path, content=body, headers={**headers, "Content-Type": "application/json"}
            )
            assert response.status_code == 401, (path, body, response.text)
            assert response.headers["www-authenticate"] == "Bearer"
    with_key = await client.request(
        method, path, content=b"{not json", headers={**editor, "Content-Type": "application/json"}
    )
    assert with_key.status_code in (403, 422), with_key.text


@pytest.mark.parametrize(
    ("method", "path", "allowed"),
    [
        ("DELETE", "/v1/feed", {"GET"}),
        ("PATCH", "/v1/stories/abc", {"GET", "HEAD", "PUT"}),  # HEAD: the site routes
        ("GET", "/v1/stories/abc/kill", {"POST"}),
        ("PUT", "/healthz", {"GET", "HEAD"}),
    ],
)
async def test_a_405_says_which_methods_are_allowed(
    client: httpx.AsyncClient, method: str, path: str, allowed: set[str]
) -> None:
    response = await client.request(method, path, headers=ADMIN)
    assert response.status_code == 405
    assert set(response.headers["allow"].split(", ")) == allowed


async def test_unknown_keys_are_rate_limited_per_client_address(settings: Settings) -> None:
    async with client_from(settings, "198.51.100.1", rate_limit_unknown_key=5) as (client, _):
        answers = [
            (await client.get("/v1/feed", headers=bearer(f"nwk_guess-{n}"))).status_code
            for n in range(7)
        ]
        assert answers == [401] * 5 + [429] * 2
        limited = await client.get("/v1/feed")
        assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
        assert (await client.get("/v1/feed", headers=ADMIN)).status_code == 200, (
            "a working key is never held back by the guesses"
        )
    async with client_from(settings, "198.51.100.2", rate_limit_unknown_key=5) as (other, _):
        assert (await other.get("/v1/feed")).status_code == 401, "another address is not"
