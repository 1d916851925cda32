"""Secret feed URLs: made and shown once, rotated, revoked, never stored or logged in clear."""

from __future__ import annotations

import io
import logging
from urllib.parse import urlsplit

import feedparser
import httpx
import pytest
import sqlalchemy as sa
import uvicorn

from newswire.accounts.keys import hash_key
from newswire.app import create_app
from newswire.runtime import Runtime
from tests.conftest import ADMIN, file_story

pytestmark = pytest.mark.anyio


async def make_url(client: httpx.AsyncClient, subscriber: dict[str, str]) -> str:
    response = await client.post("/v1/account/feed-url", headers=subscriber)
    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    return str(response.json()["url"])


def path_of(url: str) -> str:
    return urlsplit(url).path


async def test_a_feed_reader_reads_the_wire_at_the_secret_url_without_a_header(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber
) -> None:
    await file_story(client, editor, headline="Harbour reopens", categories=["World"])
    await file_story(client, editor, headline="Cup final tonight", categories=["Sport"])
    subscriber = await make_subscriber(categories=["World"])
    url = await make_url(client, subscriber)
    assert url.startswith("http://newswire.test/v1/feeds/nwf_") and url.endswith(".atom")
    response = await client.get(path_of(url))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    assert response.headers["cache-control"] == "private, no-store"
    feed = feedparser.parse(response.content)
    assert [entry.title for entry in feed.entries] == ["Harbour reopens"], "its entitlements"


async def test_the_secret_is_shown_once_and_stored_only_as_its_hash(
    client: httpx.AsyncClient, runtime: Runtime, make_subscriber
) -> None:
    subscriber = await make_subscriber()
    url = await make_url(client, subscriber)
    secret = path_of(url).removeprefix("/v1/feeds/").removesuffix(".atom")
    status = await client.get("/v1/account/feed-url", headers=subscriber)
    assert status.status_code == 200
    assert secret not in status.text and "created_at" in status.json()
    connections = runtime.storage.connections  # type: ignore[attr-defined]
    async with connections.read() as conn:
        stored = (await conn.execute(sa.text("SELECT * FROM feed_urls"))).all()
    assert len(stored) == 1
    assert secret not in repr(stored) and hash_key(secret) in repr(stored)


async def test_rotating_ends_the_old_url_and_revoking_ends_the_new_one(
    client: httpx.AsyncClient, make_subscriber
) -> None:
    subscriber = await make_subscriber()
    first = await make_url(client, subscriber)
    second = await make_url(client, subscriber)
    assert first != second
    gone = await client.get(path_of(first))
    assert gone.status_code == 404
    assert gone.json()["error"]["field"] == "secret"
    assert (await client.get(path_of(second))).status_code == 200
    assert (await client.delete("/v1/account/feed-url", headers=subscriber)).status_code == 204
    assert (await client.get(path_of(second))).status_code == 404
    assert (await client.get("/v1/account/feed-url", headers=subscriber)).status_code == 404
    assert (await client.delete("/v1/account/feed-url", headers=subscriber)).status_code == 404


async def test_a_suspended_subscribers_url_stops_working_with_its_key(
    client: httpx.AsyncClient, make_subscriber
) -> None:
    subscriber = await make_subscriber()
    url = await make_url(client, subscriber)
    account = (await client.get("/v1/account", headers=subscriber)).json()
    suspended = await client.post(f"/v1/subscribers/{account['id']}/suspend", headers=ADMIN)
    assert suspended.status_code == 200, suspended.text
    assert (await client.get(path_of(url))).status_code == 404


async def test_only_subscribers_make_feed_urls(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    assert (await client.post("/v1/account/feed-url", headers=editor)).status_code == 403
    assert (await client.post("/v1/account/feed-url")).status_code == 401
    assert (await client.get("/v1/feeds/nwf_guessed.atom")).status_code == 404


async def test_the_access_log_masks_the_secret(runtime: Runtime) -> None:
    # uvicorn configures its loggers when its Config is made, after the app: the
    # filter the app installed must survive that and mask the path uvicorn logs.
    app = create_app(runtime)
    uvicorn.Config(app, log_level="info")
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    access = logging.getLogger("uvicorn.access")
    access.addHandler(handler)
    try:
        access.info(
            '%s - "%s %s HTTP/%s" %d',
            "127.0.0.1:5000",
            "GET",
            "/v1/feeds/nwf_s3cretS3cret.atom?limit=5",
            "1.1",
            200,
        )
    finally:
        access.removeHandler(handler)
    line = stream.getvalue()
    assert "nwf_s3cretS3cret" not in line
    assert '"GET /v1/feeds/***.atom?limit=5 HTTP/1.1" 200' in line
