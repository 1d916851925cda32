"""Killing a story: a canceled last version, a 410 on the public site, no more updates."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import file_story, read_all, story_json

pytestmark = pytest.mark.anyio


async def test_kill_reaches_the_feed_as_a_canceled_version_with_the_reason(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber
) -> None:
    reader = await make_subscriber()
    story = await file_story(client, editor, public=True, body="Secret details of the case.")
    killed = await client.post(
        f"/v1/stories/{story['id']}/kill", json={"reason": "Legal advice."}, headers=editor
    )
    assert killed.status_code == 200
    assert killed.json()["version"] == 2 and killed.json()["pubstatus"] == "canceled"
    events, _ = await read_all(client, reader)
    assert [(e["type"], e["version"]) for e in events] == [
        ("story.published", 1),
        ("story.killed", 2),
    ]
    kill = events[-1]
    assert kill["reason"] == "Legal advice."
    assert kill["item"]["pubstatus"] == "canceled"
    assert "Secret details" not in str(kill["item"]), "the kill notice replaces the text"
    current = await client.get(f"/v1/stories/{story['id']}", headers=reader)
    assert current.json()["pubstatus"] == "canceled"


async def test_killed_story_page_is_410_and_leaves_the_listings(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    story = await file_story(client, editor, public=True, categories=["World"])
    page_url = f"/en/stories/{story['slug']}"
    assert (await client.get(page_url)).status_code == 200
    await client.post(f"/v1/stories/{story['id']}/kill", json={"reason": "Wrong."}, headers=editor)
    gone = await client.get(page_url)
    assert gone.status_code == 410
    assert "withdrawn" in gone.text
    assert story["headline"] not in (await client.get("/")).text
    assert (await client.get("/sections/world")).status_code == 404


async def test_killed_story_cannot_be_updated_or_killed_again(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    story = await file_story(client, editor)
    await client.post(f"/v1/stories/{story['id']}/kill", json={"reason": "Wrong."}, headers=editor)
    update = await client.put(f"/v1/stories/{story['id']}", json=story_json(), headers=editor)
    assert update.status_code == 409
    assert "killed" in update.json()["error"]["message"]
    again = await client.post(
        f"/v1/stories/{story['id']}/kill", json={"reason": "Again."}, headers=editor
    )
    assert again.status_code == 409


async def test_kill_needs_a_reason(client: httpx.AsyncClient, editor: dict[str, str]) -> None:
    story = await file_story(client, editor)
    response = await client.post(f"/v1/stories/{story['id']}/kill", json={}, headers=editor)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "reason"


async def test_updating_or_killing_an_unknown_story_is_404(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    assert (
        await client.put("/v1/stories/nope", json=story_json(), headers=editor)
    ).status_code == 404
    response = await client.post("/v1/stories/nope/kill", json={"reason": "x"}, headers=editor)
    assert response.status_code == 404
