"""Story lifecycle through the API: corrections, embargoes, versions and diffs."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from newswire.runtime import Runtime
from tests.conftest import ADMIN, file_story, read_all, story_json

pytestmark = pytest.mark.anyio


def later(seconds: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=seconds)).isoformat()


async def test_correction_reaches_earlier_recipients_even_outside_their_entitlement(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber
) -> None:
    politics = await make_subscriber("Politics desk", categories=["Politics"])
    sport = await make_subscriber("Sport desk", categories=["Sport"])
    story = await file_story(client, editor, categories=["Politics"])
    corrected = await client.post(
        f"/v1/stories/{story['id']}/correct",
        json=story_json(
            categories=["Sport"], headline="Corrected headline", ednote="Wrong section and name."
        ),
        headers=editor,
    )
    assert corrected.status_code == 200
    assert corrected.json()["version"] == 2 and corrected.json()["event"] == "story.corrected"
    politics_events, _ = await read_all(client, politics)
    assert [e["type"] for e in politics_events] == ["story.published", "story.corrected"]
    assert politics_events[1]["item"]["ednote"] == "Wrong section and name."
    sport_events, _ = await read_all(client, sport)
    assert [e["type"] for e in sport_events] == ["story.published"], (
        "a subscriber that never had the story gets the corrected one as a publish"
    )
    newsml = await client.get(
        f"/v1/stories/{story['id']}", params={"format": "newsml-g2"}, headers=politics
    )
    assert 'qcode="sig:correction"' in newsml.text and 'qcode="sig:update"' in newsml.text


async def test_correction_needs_an_editors_note(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    story = await file_story(client, editor)
    response = await client.post(
        f"/v1/stories/{story['id']}/correct", json=story_json(), headers=editor
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "ednote"


async def test_embargo_reaches_entitled_subscribers_withheld_and_others_only_at_release(
    client: httpx.AsyncClient, runtime: Runtime, editor: dict[str, str], make_subscriber
) -> None:
    insider = await make_subscriber("Embargo partner", embargoed=True)
    outsider = await make_subscriber("Ordinary")
    story = await file_story(client, editor, embargoed_until=later(3600), public=True)
    assert story["pubstatus"] == "withheld"

    inside, inside_cursor = await read_all(client, insider)
    assert [e["type"] for e in inside] == ["story.published"]
    assert inside[0]["item"]["pubstatus"] == "withheld"
    assert inside[0]["item"]["embargoed"].startswith(story["embargoed_until"][:16])
    outside, outside_cursor = await read_all(client, outsider)
    assert outside == []
    assert (await client.get(f"/v1/stories/{story['id']}", headers=outsider)).status_code == 404
    assert story["headline"] not in (await client.get("/")).text

    lifted = await client.post(
        f"/v1/stories/{story['id']}/embargo", json={"embargoed_until": None}, headers=editor
    )
    assert lifted.status_code == 200 and lifted.json()["event"] == "story.released"
    inside, _ = await read_all(client, insider, after=inside_cursor)
    outside, _ = await read_all(client, outsider, after=outside_cursor)
    assert [(e["type"], e["item"]["pubstatus"]) for e in inside] == [("story.released", "usable")]
    assert [(e["type"], e["item"]["pubstatus"]) for e in outside] == [("story.published", "usable")]
    assert story["headline"] in (await client.get("/")).text


async def test_moving_an_embargo_keeps_it_withheld_and_tells_embargo_subscribers(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber
) -> None:
    insider = await make_subscriber("Embargo partner", embargoed=True)
    outsider = await make_subscriber("Ordinary")
    story = await file_story(client, editor, embargoed_until=later(3600))
    moved = await client.post(
        f"/v1/stories/{story['id']}/embargo", json={"embargoed_until": later(7200)}, headers=editor
    )
    assert moved.json()["event"] == "story.embargo_changed"
    assert moved.json()["pubstatus"] == "withheld"
    update = await client.put(f"/v1/stories/{story['id']}", json=story_json(), headers=editor)
    assert update.json()["pubstatus"] == "withheld", "an update does not lift the embargo"
    inside, _ = await read_all(client, insider)
    assert [e["type"] for e in inside] == [
        "story.published",
        "story.embargo_changed",
        "story.updated",
    ]
    assert (await read_all(client, outsider))[0] == []
    not_embargoed = await file_story(client, editor)
    response = await client.post(
        f"/v1/stories/{not_embargoed['id']}/embargo", json={"embargoed_until": None}, headers=editor
    )
    assert response.status_code == 409


async def test_scheduler_releases_once_even_when_two_schedulers_race(
    client: httpx.AsyncClient, runtime: Runtime, editor: dict[str, str], make_subscriber
) -> None:
    outsider = await make_subscriber("Ordinary")
    story = await file_story(client, editor, embargoed_until=later(0.5))
    await asyncio.sleep(0.6)
    now = datetime.now(UTC)
    first, second = await asyncio.gather(
        runtime.embargo_scheduler.release_due(now), runtime.embargo_scheduler.release_due(now)
    )
    assert sorted(first + second) == [story["id"]], "exactly one scheduler released it"
    assert await runtime.embargo_scheduler.release_due(datetime.now(UTC)) == []
    events, _ = await read_all(client, outsider)
    assert [(e["type"], e["version"]) for e in events] == [("story.published", 2)]


async def test_versions_are_listed_readable_and_diffable(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber
) -> None:
    reader = await make_subscriber()
    story = await file_story(client, editor, body="First paragraph.\n\nSecond paragraph.")
    await client.put(
        f"/v1/stories/{story['id']}",
        json=story_json(headline="New headline", body="First paragraph.\n\nA changed paragraph."),
        headers=editor,
    )
    listing = await client.get(f"/v1/stories/{story['id']}/versions", headers=reader)
    assert [(v["version"], v["change"]) for v in listing.json()["versions"]] == [
        (1, "story.published"),
        (2, "story.updated"),
    ]
    first = await client.get(f"/v1/stories/{story['id']}/versions/1", headers=reader)
    assert first.json()["headlines"][0]["value"] == story["headline"]
    text = await client.get(
        f"/v1/stories/{story['id']}/versions/2", params={"format": "text"}, headers=reader
    )
    assert "New headline" in text.text and text.headers["content-type"].startswith("text/plain")
    missing = await client.get(f"/v1/stories/{story['id']}/versions/9", headers=reader)
    assert missing.status_code == 404 and missing.json()["error"]["field"] == "version"

    diff = await client.get(
        f"/v1/stories/{story['id']}/diff", params={"from": 1, "to": 2}, headers=editor
    )
    body = diff.json()
    assert body["fields"]["headline"] == {"from": story["headline"], "to": "New headline"}
    assert (
        "-Second paragraph." in body["body_diff"] and "+A changed paragraph." in body["body_diff"]
    )
    denied = await client.get(
        f"/v1/stories/{story['id']}/diff", params={"from": 1, "to": 2}, headers=reader
    )
    assert denied.status_code == 403


async def test_flash_is_not_queued_behind_a_backlog_of_routine_items(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber
) -> None:
    reader = await make_subscriber()
    routine = [await file_story(client, editor, urgency=5) for _ in range(5)]
    flash = await file_story(client, editor, urgency=1, headline="FLASH: volcano erupts")
    page = (await client.get("/v1/feed", params={"limit": 50}, headers=reader)).json()
    ids = [e["story_id"] for e in page["events"]]
    assert ids == [flash["id"]] + [s["id"] for s in routine]
    assert page["events"][0]["seq"] == 6 and page["events"][0]["cursor"] == "0", (
        "resuming after the flash alone must not skip the routine items before it"
    )
    assert [e["cursor"] for e in page["events"][1:]] == ["1", "2", "3", "4", "6"]


async def test_editors_cannot_change_subscriber_entitlements(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    response = await client.patch("/v1/subscribers/x", json={}, headers=editor)
    assert response.status_code == 403
    assert (await client.get("/v1/subscribers", headers=ADMIN)).status_code == 200
