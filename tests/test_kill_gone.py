"""Kill means gone for subscribers (issue 15): no subscriber-facing read returns withdrawn text.

Editors keep every version: the legal record.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.conftest import MakeSubscriber, file_story, read_all

pytestmark = pytest.mark.anyio

SECRET = "Secret details of the case"


@pytest.fixture
async def reader(make_subscriber: MakeSubscriber) -> dict[str, str]:
    """The headers of a subscriber who received the story before its kill."""
    return await make_subscriber()


@pytest.fixture
async def killed_story(
    client: httpx.AsyncClient, editor: dict[str, str], reader: dict[str, str]
) -> dict[str, Any]:
    """A story filed (v1) and updated (v2), received by the reader, then killed (v3)."""
    story = await file_story(client, editor, body=f"{SECRET}, first version.")
    updated = await client.put(
        f"/v1/stories/{story['id']}",
        json={"headline": story["headline"], "body": f"{SECRET}, second version."},
        headers=editor,
    )
    assert updated.status_code == 200, updated.text
    events, _ = await read_all(client, reader)
    assert len(events) == 2 and SECRET in str(events[0]["item"])
    killed = await client.post(
        f"/v1/stories/{story['id']}/kill", json={"reason": "Legal advice."}, headers=editor
    )
    assert killed.status_code == 200
    return story


async def test_earlier_versions_of_a_killed_story_are_410_with_the_kill_notice(
    client: httpx.AsyncClient, reader: dict[str, str], killed_story: dict[str, Any]
) -> None:
    for version in (1, 2):
        for format_name in ("ninjs2", "newsml-g2", "text"):
            gone = await client.get(
                f"/v1/stories/{killed_story['id']}/versions/{version}?format={format_name}",
                headers=reader,
            )
            assert gone.status_code == 410, gone.text
            error = gone.json()["error"]
            assert error["reason"] == "Legal advice."
            assert error["killed_version"] == 3
            assert "withdrawn" in " ".join(error["notice"])
            assert SECRET not in gone.text
    kill = await client.get(f"/v1/stories/{killed_story['id']}/versions/3", headers=reader)
    assert kill.status_code == 200 and SECRET not in kill.text


async def test_the_version_list_shows_a_subscriber_only_the_kill_notice(
    client: httpx.AsyncClient, reader: dict[str, str], killed_story: dict[str, Any]
) -> None:
    listed = await client.get(f"/v1/stories/{killed_story['id']}/versions", headers=reader)
    assert listed.status_code == 200
    versions = listed.json()["versions"]
    assert [v["version"] for v in versions] == [1, 2, 3]
    assert {v["pubstatus"] for v in versions} == {"canceled"}
    assert {v["ednote"] for v in versions} == {"Legal advice."}


async def test_a_feed_replay_carries_the_kill_notice_in_place_of_the_text(
    client: httpx.AsyncClient,
    make_subscriber: MakeSubscriber,
    reader: dict[str, str],
    killed_story: dict[str, Any],
) -> None:
    for format_name in ("ninjs2", "ninjs3", "newsml-g2", "nitf", "text"):
        events, _ = await read_all(client, reader | {"Accept": "*/*"}, limit=2)
        page = await client.get("/v1/feed", params={"format": format_name}, headers=reader)
        assert page.status_code == 200
        replay = page.json()["events"]
        assert [(e["type"], e["version"]) for e in replay] == [
            ("story.published", 1),
            ("story.updated", 2),
            ("story.killed", 3),
        ]
        assert SECRET not in page.text, format_name
        assert all(e["pubstatus"] == "canceled" for e in replay)
    assert len(events) == 3
    # A subscriber created after the kill replays the story as the notice too.
    late = await make_subscriber("Late")
    late_events, _ = await read_all(client, late)
    assert [e["story_id"] for e in late_events] == [killed_story["id"]] * 3
    assert SECRET not in str(late_events)


async def test_search_and_atom_never_show_the_withdrawn_text(
    client: httpx.AsyncClient,
    editor: dict[str, str],
    reader: dict[str, str],
    killed_story: dict[str, Any],
) -> None:
    atom = await client.get("/v1/feed.atom", headers=reader)
    assert atom.status_code == 200 and SECRET not in atom.text
    for who in (reader, editor):
        found = await client.get("/v1/search", params={"q": "secret details"}, headers=who)
        assert found.status_code == 200
        assert killed_story["id"] not in [hit["id"] for hit in found.json()["hits"]]


async def test_editors_keep_every_version_of_a_killed_story(
    client: httpx.AsyncClient, editor: dict[str, str], killed_story: dict[str, Any]
) -> None:
    for version in (1, 2):
        kept = await client.get(
            f"/v1/stories/{killed_story['id']}/versions/{version}?format=ninjs2", headers=editor
        )
        assert kept.status_code == 200 and SECRET in kept.text
    events, _ = await read_all(client, editor)
    assert SECRET in str(events[0]["item"])
    listed = await client.get(f"/v1/stories/{killed_story['id']}/versions", headers=editor)
    assert [v["pubstatus"] for v in listed.json()["versions"]] == ["usable", "usable", "canceled"]
