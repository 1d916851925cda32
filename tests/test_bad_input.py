"""Bad input gets a clear 4xx naming the field, or is sanitized; nothing is half-written."""

from __future__ import annotations

import json

import httpx
import pytest

from newswire.runtime import Runtime
from tests.conftest import ADMIN, bearer, file_story, story_json

pytestmark = pytest.mark.anyio


async def assert_nothing_written(runtime: Runtime, before: int) -> None:
    assert await runtime.storage.log.last_seq() == before
    assert await runtime.storage.log.entries_after(before, 10) == []


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"headline": None}, "headline", "valid string"),
        ({"headline": "   "}, "headline", "at least 1"),
        ({"body": ""}, "body", "at least 1"),
        ({"body": "<p> </p><script>alert(1)</script>"}, "body", "no text"),
        ({"language": "xx-nonsense"}, "language", "not a known language"),
        ({"language": "klingon"}, "language", "not a known language"),
        ({"urgency": 0}, "urgency", "greater than or equal to 1"),
        ({"urgency": 10}, "urgency", "less than or equal to 9"),
        ({"subjects": ["medtop:99999999"]}, "subjects", "not an IPTC Media Topic"),
        ({"embargoed_until": "2030-01-01T10:00:00"}, "embargoed_until", "time zone"),
        ({"colour": "red"}, "colour", "Extra inputs"),
        ({"categories": ["World/Europe"]}, "categories", "without '/'"),
    ],
)
async def test_invalid_story_field_is_422_naming_the_field(
    client: httpx.AsyncClient,
    runtime: Runtime,
    editor: dict[str, str],
    change: dict,
    field: str,
    words: str,
) -> None:
    story = story_json()
    for name, value in change.items():
        if value is None:
            story.pop(name)
        else:
            story[name] = value
    if change.get("headline", "") is None:
        story["headline"] = None
    before = await runtime.storage.log.last_seq()
    response = await client.post("/v1/stories", json=story, headers=editor)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["field"] == field
    assert words in error["message"]
    await assert_nothing_written(runtime, before)


async def test_missing_headline_is_named(client: httpx.AsyncClient, editor: dict[str, str]) -> None:
    story = story_json()
    del story["headline"]
    response = await client.post("/v1/stories", json=story, headers=editor)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "headline"
    assert "required" in response.json()["error"]["message"].lower()


async def test_retired_media_topic_is_rejected_with_its_name(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    from newswire.newsroom.vocab.mediatopics import _topics

    retired = next(topic for topic in _topics().values() if topic.retired)
    response = await client.post(
        "/v1/stories", json=story_json(subjects=[retired.qcode]), headers=editor
    )
    assert response.status_code == 422
    assert "retired" in response.json()["error"]["message"]


async def test_invalid_utf8_is_400_naming_the_body(
    client: httpx.AsyncClient, runtime: Runtime, editor: dict[str, str]
) -> None:
    raw = json.dumps(story_json()).encode().replace(b"Parliament", b"Parl\xff\xfeament")
    for content_type in ("application/json", "text/plain"):
        response = await client.post(
            "/v1/stories", content=raw, headers={**editor, "Content-Type": content_type}
        )
        assert response.status_code == 400
        assert response.json()["error"]["field"] == "body"
        assert "UTF-8" in response.json()["error"]["message"]
    await assert_nothing_written(runtime, 0)


async def test_malformed_json_is_400(client: httpx.AsyncClient, editor: dict[str, str]) -> None:
    response = await client.post(
        "/v1/stories",
        content=b'{"headline": ',
        headers={**editor, "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["error"]["message"]


async def test_oversize_payload_is_413_before_anything_is_stored(
    client: httpx.AsyncClient, runtime: Runtime, editor: dict[str, str]
) -> None:
    huge = story_json(body="word " * 60_000)  # ~300 KB > the 256 KiB limit of the test settings
    response = await client.post("/v1/stories", json=huge, headers=editor)
    assert response.status_code == 413
    assert response.json()["error"]["field"] == "body"
    await assert_nothing_written(runtime, 0)


async def test_unsupported_content_type_is_415(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    response = await client.post(
        "/v1/stories", content=b"<x/>", headers={**editor, "Content-Type": "application/pdf"}
    )
    assert response.status_code == 415
    assert response.json()["error"]["field"] == "content-type"


async def test_text_layout_that_is_not_the_layout_names_the_part(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    text = "World\n\nHeadline\n\nSummary\n\nno byline line here\n\nLONDON\n\nBody."
    response = await client.post(
        "/v1/stories", content=text.encode(), headers={**editor, "Content-Type": "text/plain"}
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "byline"


async def test_script_tags_and_event_handlers_are_sanitized_out_of_html_bodies(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber
) -> None:
    body = (
        '<p onclick="steal()">Calm <b>markets</b><script>alert("x")</script></p>'
        '<p><a href="javascript:alert(1)">link</a> and <a href="https://example.org/">source</a></p>'
        '<iframe src="https://evil.example/"></iframe>loose text'
    )
    story = await file_story(client, editor, body=body)
    stored = story["body"]
    for dangerous in ("<script", "alert", "onclick", "javascript:", "<iframe", "evil.example"):
        assert dangerous not in stored
    assert "<b>markets</b>" in stored and 'href="https://example.org/"' in stored
    assert stored.endswith("<p>loose text</p>")


async def test_plain_text_with_angle_brackets_is_escaped_not_dropped(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    story = await file_story(client, editor, body="Rates rose 3 < 4 and AT&T fell.")
    assert story["body"] == "<p>Rates rose 3 &lt; 4 and AT&amp;T fell.</p>"


async def test_unknown_and_revoked_keys_get_401(client: httpx.AsyncClient) -> None:
    created = await client.post("/v1/subscribers", json={"name": "Short-lived"}, headers=ADMIN)
    key_id, key = created.json()["id"], created.json()["api_key"]
    assert (await client.get("/v1/feed", headers=bearer(key))).status_code == 200
    assert (await client.delete(f"/v1/keys/{key_id}", headers=ADMIN)).status_code == 204
    for headers in (bearer(key), bearer("nws_unknown"), {"Authorization": "Basic abc"}, {}):
        response = await client.get("/v1/feed", headers=headers)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"


async def test_roles_are_enforced_with_403(
    client: httpx.AsyncClient, editor: dict[str, str], make_subscriber
) -> None:
    subscriber = await make_subscriber()
    assert (
        await client.post("/v1/stories", json=story_json(), headers=subscriber)
    ).status_code == 403
    assert (await client.post("/v1/editors", json={"name": "x"}, headers=editor)).status_code == 403
    assert (
        await client.post("/v1/subscribers", json={"name": "x"}, headers=subscriber)
    ).status_code == 403


async def test_only_a_hash_of_each_key_is_stored(
    client: httpx.AsyncClient, runtime: Runtime
) -> None:
    key = (await client.post("/v1/editors", json={"name": "Hashed"}, headers=ADMIN)).json()[
        "api_key"
    ]
    from newswire.storage.sqlite import SQLiteConnections

    connections = getattr(runtime.storage, "connections", None)
    if not isinstance(connections, SQLiteConnections):
        pytest.skip("reads the SQLite file directly")
    import sqlite3

    with sqlite3.connect(connections.path) as db:
        stored = [row[0] for row in db.execute("SELECT key_hash FROM principals")]
    assert key not in stored and len(stored) == 1 and len(stored[0]) == 64


async def test_unknown_subscriber_format_is_rejected_listing_known_ones(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/v1/subscribers", json={"name": "x", "format": "pdf"}, headers=ADMIN
    )
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "format"
    assert "ninjs2" in response.json()["error"]["message"]
