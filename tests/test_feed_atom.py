"""The subscriber's Atom feed: full entries, only what the subscriber is entitled to."""

from __future__ import annotations

import feedparser
import httpx
import pytest

from tests.conftest import file_story, story_json

pytestmark = pytest.mark.anyio


async def test_atom_feed_is_readable_by_a_feed_parser_and_respects_entitlement(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber
) -> None:
    reader = await make_subscriber("World desk", categories=["World"])
    world = await file_story(client, editor, categories=["World"], body="Full text paragraph.")
    await file_story(client, editor, categories=["Sport"], headline="Sport story")
    await client.put(
        f"/v1/stories/{world['id']}",
        json=story_json(categories=["World"], headline="World story, updated", body="New text."),
        headers=editor,
    )
    response = await client.get("/v1/feed.atom", headers=reader)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert [entry.title for entry in feed.entries] == ["World story, updated"]
    assert feed.entries[0].id == world["guid"]
    assert "New text." in feed.entries[0].content[0].value, "subscribers get full entries"


async def test_atom_feed_needs_a_key(client: httpx.AsyncClient) -> None:
    assert (await client.get("/v1/feed.atom")).status_code == 401
