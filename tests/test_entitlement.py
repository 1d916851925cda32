"""Entitlement is decided in one place and holds on every read path: feed and by-id."""

from __future__ import annotations

import httpx
import pytest

from newswire.delivery.entitlement import matches
from newswire.models.principals import Entitlements
from tests.conftest import ADMIN, file_story, read_all
from tests.story_factory import full_story

pytestmark = pytest.mark.anyio


async def test_feed_shows_a_subscriber_only_its_categories_and_languages(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber
) -> None:
    world_en = await file_story(client, editor, categories=["World", "Europe"], language="en")
    sport_en = await file_story(client, editor, categories=["Sport"], language="en")
    world_tr = await file_story(client, editor, categories=["World"], language="tr")
    world_reader = await make_subscriber("World desk", categories=["world"])
    english_reader = await make_subscriber("English desk", languages=["en"])
    turkish_world = await make_subscriber("TR world", categories=["World"], languages=["tr"])
    everything = await make_subscriber("All")

    async def ids(headers: dict[str, str]) -> list[str]:
        events, _ = await read_all(client, headers)
        return [e["story_id"] for e in events]

    assert await ids(world_reader) == [world_en["id"], world_tr["id"]]
    assert await ids(english_reader) == [world_en["id"], sport_en["id"]]
    assert await ids(turkish_world) == [world_tr["id"]]
    assert await ids(everything) == [world_en["id"], sport_en["id"], world_tr["id"]]


async def test_story_outside_entitlement_is_404_by_id_not_403(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber
) -> None:
    sport = await file_story(client, editor, categories=["Sport"])
    reader = await make_subscriber("World desk", categories=["World"])
    for key in (sport["id"], sport["slug"], sport["guid"]):
        response = await client.get(f"/v1/stories/{key}", headers=reader)
        assert response.status_code == 404
        assert response.json()["error"]["field"] == "id"
    missing = await client.get("/v1/stories/does-not-exist", headers=reader)
    assert missing.status_code == 404
    assert missing.json()["error"]["message"] == response.json()["error"]["message"].replace(
        sport["guid"], "does-not-exist"
    )


async def test_urgency_and_subject_entitlements_filter_the_feed(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber
) -> None:
    flash = await file_story(client, editor, urgency=1, subjects=["medtop:11000000"])
    await file_story(client, editor, urgency=5, subjects=["medtop:11000000"])
    await file_story(client, editor, urgency=1, subjects=["medtop:15000000"])
    reader = await make_subscriber("Politics alerts", max_urgency=2, subjects=["medtop:11000000"])
    events, _ = await read_all(client, reader)
    assert [e["story_id"] for e in events] == [flash["id"]]


async def test_changing_entitlements_applies_to_the_next_read(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    created = await client.post(
        "/v1/subscribers",
        json={"name": "Switcher", "entitlements": {"categories": ["Sport"]}},
        headers=ADMIN,
    )
    subscriber_id, key = created.json()["id"], created.json()["api_key"]
    headers = {"Authorization": f"Bearer {key}"}
    politics = await file_story(client, editor, categories=["Politics"])
    assert (await read_all(client, headers))[0] == []
    patched = await client.patch(
        f"/v1/subscribers/{subscriber_id}",
        json={"entitlements": {"categories": ["Politics"]}},
        headers=ADMIN,
    )
    assert patched.status_code == 200
    events, _ = await read_all(client, headers)
    assert [e["story_id"] for e in events] == [politics["id"]]


def test_matches_reads_empty_lists_as_all_and_compares_case_insensitively() -> None:
    story = full_story(categories=("World", "Europe"), language="en-GB", urgency=3)
    assert matches(Entitlements(), story)
    assert matches(Entitlements(categories=["EUROPE"]), story)
    assert matches(Entitlements(languages=["en"]), story), "a base language covers its regions"
    assert not matches(Entitlements(languages=["tr"]), story)
    assert not matches(Entitlements(max_urgency=2), story)
    assert matches(Entitlements(max_urgency=3), story)
