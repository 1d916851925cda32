"""Retries file once (issue 15): Idempotency-Key on filings, and no silent update by guid."""

from __future__ import annotations

import json
from datetime import timedelta

import httpx
import pytest

from newswire.newsroom.idempotency import RETENTION
from newswire.runtime import Runtime
from tests.conftest import file_story, read_all, story_json

pytestmark = pytest.mark.anyio


async def post(
    client: httpx.AsyncClient, path: str, headers: dict[str, str], key: str, body: object
) -> httpx.Response:
    return await client.post(
        path,
        content=json.dumps(body),
        headers={**headers, "Idempotency-Key": key, "Content-Type": "application/json"},
    )


async def test_the_same_key_and_body_give_the_original_answer_and_one_story(
    client: httpx.AsyncClient, runtime: Runtime, editor: dict[str, str]
) -> None:
    first = await post(client, "/v1/stories", editor, "key-1", story_json())
    assert first.status_code == 201, first.text
    again = await post(client, "/v1/stories", editor, "key-1", story_json())
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["location"] == first.headers["location"]
    assert again.headers["idempotent-replayed"] == "true"
    assert await runtime.storage.log.last_seq() == 1
    events, _ = await read_all(client, editor)
    assert len(events) == 1


async def test_the_same_key_with_a_different_body_is_422(
    client: httpx.AsyncClient, runtime: Runtime, editor: dict[str, str]
) -> None:
    assert (await post(client, "/v1/stories", editor, "k", story_json())).status_code == 201
    other = await post(client, "/v1/stories", editor, "k", story_json(headline="Other"))
    assert other.status_code == 422
    assert other.json()["error"]["field"] == "Idempotency-Key"
    assert await runtime.storage.log.last_seq() == 1


async def test_a_request_that_died_after_its_commit_is_answered_on_retry(
    client: httpx.AsyncClient, runtime: Runtime, editor: dict[str, str], monkeypatch
) -> None:
    # The commit happens, then the node dies before answering (here: announcing fails).
    async def die(_seq: int) -> None:
        raise ConnectionResetError("node lost before the answer")

    monkeypatch.setattr(runtime.newsroom.bus, "announce", die)
    with pytest.raises(ConnectionResetError):
        await post(client, "/v1/stories", editor, "retry-me", story_json())
    monkeypatch.undo()
    assert await runtime.storage.log.last_seq() == 1
    retried = await post(client, "/v1/stories", editor, "retry-me", story_json())
    assert retried.status_code == 201 and retried.json()["seq"] == 1
    assert await runtime.storage.log.last_seq() == 1


async def test_a_refused_request_records_nothing_and_a_fixed_retry_needs_a_new_key(
    client: httpx.AsyncClient, runtime: Runtime, editor: dict[str, str]
) -> None:
    bad = await post(client, "/v1/stories", editor, "k2", story_json(headline=""))
    assert bad.status_code == 422
    again = await post(client, "/v1/stories", editor, "k2", story_json(headline=""))
    assert again.status_code == 422 and again.json() == bad.json()
    assert await runtime.storage.log.last_seq() == 0


@pytest.mark.parametrize(
    ("method", "suffix", "body"),
    [
        ("PUT", "", story_json(headline="Updated")),
        ("POST", "/correct", story_json(ednote="Fixes the vote count.")),
        ("POST", "/kill", {"reason": "Legal."}),
    ],
)
async def test_revisions_are_idempotent_too(
    client: httpx.AsyncClient,
    runtime: Runtime,
    editor: dict[str, str],
    method: str,
    suffix: str,
    body: dict,
) -> None:
    story = await file_story(client, editor)
    path = f"/v1/stories/{story['id']}{suffix}"
    headers = {**editor, "Idempotency-Key": "rev-1", "Content-Type": "application/json"}
    first = await client.request(method, path, content=json.dumps(body), headers=headers)
    assert first.status_code == 200, first.text
    again = await client.request(method, path, content=json.dumps(body), headers=headers)
    assert again.status_code == 200 and again.json() == first.json()
    assert await runtime.storage.log.last_seq() == 2


async def test_keys_belong_to_their_caller(
    client: httpx.AsyncClient, runtime: Runtime, editor: dict[str, str]
) -> None:
    from tests.conftest import ADMIN, bearer

    made = await client.post("/v1/editors", json={"name": "Other desk"}, headers=ADMIN)
    other = bearer(made.json()["api_key"])
    assert (await post(client, "/v1/stories", editor, "shared", story_json())).status_code == 201
    assert (await post(client, "/v1/stories", other, "shared", story_json())).status_code == 201
    assert await runtime.storage.log.last_seq() == 2


@pytest.mark.parametrize("key", ["", "x" * 256, "naïve"])
async def test_a_malformed_key_is_400(
    client: httpx.AsyncClient, editor: dict[str, str], key: str
) -> None:
    response = await client.post(
        "/v1/stories",
        json=story_json(),
        headers={**editor, "Idempotency-Key": key.encode()},  # type: ignore[dict-item]
    )
    assert response.status_code == 400
    assert response.json()["error"]["field"] == "Idempotency-Key"


async def test_keys_are_remembered_for_at_least_a_day(
    client: httpx.AsyncClient, runtime: Runtime, editor: dict[str, str]
) -> None:
    first = await post(client, "/v1/stories", editor, "day", story_json())
    runtime.clock.advance(timedelta(hours=25))
    assert await runtime.idempotency.forget_old() == 0
    again = await post(client, "/v1/stories", editor, "day", story_json())
    assert again.status_code == 201 and again.json() == first.json()
    runtime.clock.advance(RETENTION)
    assert await runtime.idempotency.forget_old() == 1


async def test_a_json_filing_with_an_existing_guid_is_409(
    client: httpx.AsyncClient, runtime: Runtime, editor: dict[str, str]
) -> None:
    story = await file_story(client, editor, guid="urn:example:one")
    again = await client.post(
        "/v1/stories", json=story_json(headline="Other", guid="urn:example:one"), headers=editor
    )
    assert again.status_code == 409
    assert again.json()["error"]["field"] == "guid"
    assert f"/v1/stories/{story['id']}" in again.json()["error"]["message"]
    assert await runtime.storage.log.last_seq() == 1


def test_the_cli_sends_a_key_on_every_write_and_retries_a_lost_answer_with_it(
    tmp_path, monkeypatch
) -> None:
    from newswire.cli import newsroom as cli

    seen: list[tuple[str, str | None]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append((request.url.path, request.headers.get("Idempotency-Key")))
        if len(seen) == 1:
            raise httpx.ReadError("connection lost after the commit")
        return httpx.Response(201, json={"id": "s1"})

    monkeypatch.setattr(cli.time, "sleep", lambda _seconds: None)
    story = tmp_path / "story.json"
    story.write_text(json.dumps(story_json()))
    with httpx.Client(transport=httpx.MockTransport(answer), base_url="http://t") as client:
        assert cli._send_file(client, "POST", "/v1/stories", story, None).status_code == 201
        cli._write(client, "POST", "/v1/stories/s1/kill", json={"reason": "Legal."})
    (_, first), (_, retry), (_, kill) = seen
    assert first and first == retry, "the retry carries the same key"
    assert kill and kill != first, "each write has its own key"
