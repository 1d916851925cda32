"""GET /v1/account, and per-key rate limits: 429 with Retry-After, RateLimit headers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

from newswire.accounts.ratelimits import RateLimiter
from newswire.models.principals import Principal, Role
from newswire.settings import Settings
from tests.accounts import app_client, create_subscriber, served
from tests.conftest import ADMIN, file_story

pytestmark = pytest.mark.anyio


async def test_the_account_shows_entitlements_formats_webhooks_cursors_usage_and_quota(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    subscriber_id, subscriber = await create_subscriber(
        client, "Daily Bugle", entitlements={"categories": ["Politics"]}, daily_quota=10
    )
    filed = [await file_story(client, editor, headline=f"Budget {n}") for n in range(3)]
    await file_story(client, editor, headline="Not entitled", categories=["Sport"])
    first = await client.get("/v1/feed", params={"limit": 2}, headers=subscriber)
    rest = await client.get("/v1/feed", params={"after": first.json()["next"]}, headers=subscriber)
    assert len(first.json()["events"]) + len(rest.json()["events"]) == 3
    story = await client.get(f"/v1/stories/{filed[0]['id']}", headers=subscriber)
    assert story.status_code == 200
    hook = await client.post(
        "/v1/webhooks", json={"url": "http://127.0.0.1:9/hook"}, headers=subscriber
    )

    beat = await client.post(
        "/v1/searches", json={"name": "Budget beat", "q": "budget"}, headers=subscriber
    )

    account = (await client.get("/v1/account", headers=subscriber)).json()

    assert account["id"] == subscriber_id and account["name"] == "Daily Bugle"
    assert account["role"] == "subscriber" and account["status"] == "active"
    assert account["entitlements"]["categories"] == ["Politics"]
    assert account["format"] == "ninjs2"
    assert {"ninjs2", "ninjs3", "newsml-g2", "nitf", "text"} <= set(account["formats"])
    assert account["webhooks"] == [
        {
            "id": hook.json()["id"],
            "url": "http://127.0.0.1:9/hook",
            "status": "active",
            "cursor": hook.json()["cursor"],
        }
    ]
    feed_cursor = account["cursors"]["feed"]
    assert feed_cursor["cursor"] == rest.json()["next"], "the last cursor served on the feed"
    assert feed_cursor["served_at"].endswith("Z")
    assert account["cursors"]["sse"] is None and account["cursors"]["websocket"] is None
    today = datetime.now(UTC)
    assert account["usage"]["day"] == today.strftime("%Y-%m-%d")
    assert account["usage"]["today"]["feed"] == 3 and account["usage"]["today"]["story"] == 1
    assert account["usage"]["today"]["total"] == 4
    assert account["usage"]["this_month"]["total"] == 4
    midnight = (today + timedelta(days=1)).strftime("%Y-%m-%dT00:00:00Z")
    assert account["daily_quota"] == {
        "limit": 10,
        "used": 4,
        "remaining": 6,
        "resets_at": midnight,
    }
    assert account["rate_limit"]["limit"] is None, "unlimited by default"
    assert account["saved_searches"] == [
        {
            "id": beat.json()["id"],
            "name": "Budget beat",
            "feed": f"/v1/feed?search={beat.json()['id']}",
        }
    ]


async def test_editors_and_the_admin_see_who_they_are_but_no_subscription(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    mine = (await client.get("/v1/account", headers=editor)).json()
    assert mine["role"] == "editor" and mine["name"] == "Desk editor"
    assert "usage" not in mine and "daily_quota" not in mine and "rate_limit" in mine
    admin = (await client.get("/v1/account", headers=ADMIN)).json()
    assert admin["role"] == "admin" and admin["id"] == "admin"
    assert (await client.get("/v1/account")).status_code == 401


async def test_a_key_over_its_rate_limit_gets_429_with_retry_after_and_ratelimit_headers(
    settings: Settings,
) -> None:
    async with app_client(settings.replace(rate_limit_subscriber=3)) as (client, _runtime):
        _, subscriber = await create_subscriber(client)
        _, other = await create_subscriber(client, "Another")
        answers = [await client.get("/v1/feed", headers=subscriber) for _ in range(4)]

        assert [a.status_code for a in answers] == [200, 200, 200, 429]
        assert [a.headers["RateLimit-Remaining"] for a in answers] == ["2", "1", "0", "0"]
        assert all(a.headers["RateLimit-Limit"] == "3" for a in answers)
        refused = answers[-1]
        assert 1 <= int(refused.headers["Retry-After"]) <= 20, "one request per 20 s comes back"
        error = refused.json()["error"]
        assert error["status"] == 429 and "3 requests per minute" in error["message"]
        assert error["retry_after"] == int(refused.headers["Retry-After"])

        assert (await client.get("/v1/feed", headers=other)).status_code == 200, "per key"
        admin = await client.get("/v1/subscribers", headers=ADMIN)
        assert admin.status_code == 200 and "RateLimit-Limit" not in admin.headers
        account = await client.get("/v1/account", headers=other)
        assert account.json()["rate_limit"]["limit"] == 3
        # An SSE stream counts one request when it opens: refused the same way.
        stream = await client.get("/v1/stream", headers=subscriber)
        assert stream.status_code == 429 and "Retry-After" in stream.headers


async def test_a_websocket_counts_one_request_at_connect(settings: Settings) -> None:
    async with served(settings.replace(rate_limit_subscriber=1)) as (server, client, _runtime):
        _, subscriber = await create_subscriber(client)
        assert (await client.get("/v1/account", headers=subscriber)).status_code == 200
        url = server.url.replace("http://", "ws://") + "/v1/ws"
        async with connect(url, additional_headers=subscriber) as ws:
            with pytest.raises(ConnectionClosed) as closed:
                await ws.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 4429
        assert "rate limit" in closed.value.rcvd.reason


def test_the_limiter_allows_a_burst_then_one_request_per_interval() -> None:
    now = [1000.0]
    limiter = RateLimiter({Role.SUBSCRIBER: 60, Role.EDITOR: 0}, clock=lambda: now[0])
    key = Principal("s1", Role.SUBSCRIBER, "S")
    burst = [limiter.check(key) for _ in range(60)]
    assert all(d is not None and d.allowed for d in burst)
    refused = limiter.check(key)
    assert refused is not None and not refused.allowed
    assert refused.retry_after == pytest.approx(1.0), "one request per second after the burst"
    now[0] += 1.0
    again = limiter.check(key)
    assert again is not None and again.allowed and again.remaining == 0
    now[0] += 60.0
    full = limiter.peek(key)
    assert full is not None and full.remaining == 60 and full.reset_seconds == 0
    assert limiter.check(Principal("e1", Role.EDITOR, "E")) is None, "0 means unlimited"
