"""The desk's domain through the API: drafts off the wire, versions, publishing once, authors."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from newswire.models.drafts import Staff
from newswire.models.people import PersonRole
from newswire.runtime import Runtime
from tests.conftest import bearer, file_story, read_all, story_json
from tests.people import cheap, staff

pytestmark = pytest.mark.anyio

STORY = {
    "headline": "Central bank holds rates",
    "body": "The central bank kept its rate at 4 percent.\n\nMarkets had expected it.",
    "categories": ["Economy"],
    "language": "en",
}


@pytest.fixture
def settings(settings: Any) -> Any:
    return cheap(settings, sections=("World", "Europe", "Economy", "Politics", "Sport"))


async def _reporter(runtime: Runtime) -> dict[str, str]:
    person = await staff(runtime, PersonRole.REPORTER, "reporter@newswire.example", name="Rita")
    created = await runtime.personal_keys.create(person, "script")
    return bearer(created.api_key)


async def _draft(client: httpx.AsyncClient, headers: dict[str, str], **fields: Any) -> Any:
    response = await client.post(
        "/v1/drafts", json={"fields": {**STORY, **fields}}, headers=headers
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_a_draft_is_not_on_the_wire_until_it_is_published(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    draft = await _draft(client, editor)
    assert draft["status"] == "draft" and draft["version"] == 1
    events, _ = await read_all(client, editor)
    assert events == []
    published = await client.post(
        f"/v1/drafts/{draft['id']}/publish", json={"version": 1}, headers=editor
    )
    assert published.status_code == 200, published.text
    assert published.json()["event"] == "story.published"
    events, _ = await read_all(client, editor)
    assert [event["type"] for event in events] == ["story.published"]


async def test_a_save_against_an_older_version_is_refused_with_who_saved_since(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    draft = await _draft(client, editor)
    first = await client.put(
        f"/v1/drafts/{draft['id']}",
        json={"version": 1, "fields": {"headline": "A"}},
        headers=editor,
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = await client.put(
        f"/v1/drafts/{draft['id']}",
        json={"version": 1, "fields": {"headline": "B"}},
        headers=editor,
    )
    assert stale.status_code == 409
    assert "version 2" in stale.json()["error"]["message"]
    kept = await client.get(f"/v1/drafts/{draft['id']}", headers=editor)
    assert kept.json()["fields"]["headline"] == "A"


async def test_publishing_the_same_draft_version_twice_files_once(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    draft = await _draft(client, editor)
    url = f"/v1/drafts/{draft['id']}/publish"
    answers = await asyncio.gather(
        *(client.post(url, json={"version": 1}, headers=editor) for _ in range(3))
    )
    ok = [answer for answer in answers if answer.status_code == 200]
    assert ok and all(answer.status_code in (200, 409) for answer in answers)
    assert len({answer.json()["id"] for answer in ok}) == 1
    again = await client.post(url, json={"version": 1}, headers=editor)
    assert again.status_code == 200 and again.json()["event"] is None
    events, _ = await read_all(client, editor)
    assert len(events) == 1


async def test_a_reporter_submits_but_may_not_publish(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    reporter = await _reporter(runtime)
    draft = await _draft(client, reporter)
    submitted = await client.post(
        f"/v1/drafts/{draft['id']}/submit", json={"version": 1}, headers=reporter
    )
    assert submitted.status_code == 200, submitted.text
    assert submitted.json()["stage"] == "Incoming"
    refused = await client.post(
        f"/v1/drafts/{draft['id']}/publish", json={"version": 1}, headers=reporter
    )
    assert refused.status_code == 403
    history = await client.get(f"/v1/drafts/{draft['id']}/history", headers=reporter)
    assert [entry["action"] for entry in history.json()["history"]] == ["created", "submitted"]
    assert history.json()["history"][1]["by"]["name"] == "Rita"


async def test_submitting_runs_the_gate_and_names_the_field(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    draft = await _draft(client, editor, body="")
    refused = await client.post(
        f"/v1/drafts/{draft['id']}/submit", json={"version": 1}, headers=editor
    )
    assert refused.status_code == 422
    assert refused.json()["error"]["field"] == "body"


async def test_an_unknown_section_is_refused_with_close_matches_by_the_api_too(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    response = await client.post(
        "/v1/stories", json=story_json(categories=["Wrold"]), headers=editor
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "categories" and "World" in error["message"]
    draft = await _draft(client, editor, categories=["Wrold"])
    refused = await client.post(
        f"/v1/drafts/{draft['id']}/publish", json={"version": 1}, headers=editor
    )
    assert refused.status_code == 422 and "World" in refused.json()["error"]["message"]


async def test_a_section_is_filed_as_the_vocabulary_spells_it(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    filed = await file_story(client, editor, categories=["world", "EUROPE"])
    assert filed["categories"] == ["World", "Europe"]


async def test_an_update_that_omits_public_keeps_the_story_on_the_site(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    filed = await file_story(client, editor, public=True)
    update = story_json(headline="Parliament approves budget, final vote")
    response = await client.put(f"/v1/stories/{filed['id']}", json=update, headers=editor)
    assert response.status_code == 200
    assert response.json()["public"] is True
    hidden = await client.put(
        f"/v1/stories/{filed['id']}", json={**update, "public": False}, headers=editor
    )
    assert hidden.json()["public"] is False


async def test_every_version_says_who_filed_it_in_the_versions_list(
    client: httpx.AsyncClient, editor: dict[str, str], runtime: Runtime
) -> None:
    filed = await file_story(client, editor)
    ayla = _staff_named("Ayla")
    draft = await runtime.desk.open_story(filed["id"], ayla)
    unchanged = await runtime.desk.publish(draft.id, draft.version, ayla)
    assert unchanged.event is None  # the draft holds the filed version: nothing to file
    edited = await runtime.desk.save(draft.id, draft.version, {"headline": "Budget passes"}, ayla)
    await runtime.desk.publish(draft.id, edited.version, ayla)
    versions = await client.get(f"/v1/stories/{filed['id']}/versions", headers=editor)
    authors = [version["author"]["name"] for version in versions.json()["versions"]]
    assert authors == ["Desk editor", "Ayla"]


async def test_editors_list_stories_latest_first(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber: Any
) -> None:
    for n in range(3):
        await file_story(client, editor, headline=f"Story {n}")
    listed = await client.get("/v1/stories", params={"limit": 2}, headers=editor)
    assert listed.status_code == 200
    body = listed.json()
    assert [story["headline"] for story in body["stories"]] == ["Story 2", "Story 1"]
    rest = await client.get(
        "/v1/stories", params={"limit": 2, "before": body["next_before"]}, headers=editor
    )
    assert [story["headline"] for story in rest.json()["stories"]] == ["Story 0"]
    subscriber = await make_subscriber()
    assert (await client.get("/v1/stories", headers=subscriber)).status_code == 403


def _staff_named(name: str) -> Staff:
    return Staff("p-" + name.lower(), name, may_publish=True)


async def test_editors_see_what_went_out_to_whom_through_the_api(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber: Any
) -> None:
    filed = await file_story(client, editor, categories=["World"])
    reader = await make_subscriber("Harbour Daily")
    assert (await client.get(f"/v1/stories/{filed['id']}", headers=reader)).status_code == 200
    answer = await client.get(f"/v1/stories/{filed['id']}/deliveries", headers=editor)
    assert answer.status_code == 200
    (delivery,) = answer.json()["deliveries"]
    assert delivery["subscriber"] == "Harbour Daily" and delivery["channel"] == "story"
    assert delivery["version"] == 1 and delivery["webhook"] is None
    refused = await client.get(f"/v1/stories/{filed['id']}/deliveries", headers=reader)
    assert refused.status_code == 403
    missing = await client.get("/v1/stories/nope/deliveries", headers=editor)
    assert missing.status_code == 404
