"""Personal API keys act as their person's principal through the API's one auth path."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from newswire.accounts.keys import hash_key
from newswire.models.people import Audience, PersonRole
from newswire.models.principals import Principal
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.accounts import create_subscriber, served, sse_until_closed
from tests.conftest import ADMIN, bearer, file_story, read_all, story_json
from tests.people import PASSWORD, cheap, company_user, staff

pytestmark = pytest.mark.anyio


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return cheap(settings)


async def _key(runtime: Runtime, role: PersonRole, email: str) -> tuple[str, dict[str, str]]:
    person = await staff(runtime, role, email)
    created = await runtime.personal_keys.create(person, "script")
    return person.id, bearer(created.api_key)


async def test_each_staff_role_s_key_may_do_what_its_role_may(
    runtime: Runtime, client: httpx.AsyncClient
) -> None:
    _, reporter = await _key(runtime, PersonRole.REPORTER, "reporter@newswire.example")
    _, editor = await _key(runtime, PersonRole.EDITOR, "editor@newswire.example")
    _, chief = await _key(runtime, PersonRole.CHIEF, "chief@newswire.example")
    _, admin = await _key(runtime, PersonRole.ADMIN, "admin@newswire.example")
    assert reporter["Authorization"].startswith("Bearer nwr_")
    refused = await client.post("/v1/stories", json=story_json(), headers=reporter)
    assert refused.status_code == 403 and "reporter" in refused.json()["error"]["message"]
    for headers in (editor, chief):
        assert (
            await client.post("/v1/stories", json=story_json(), headers=headers)
        ).status_code == 201
    assert (await client.post("/v1/editors", json={"name": "E"}, headers=admin)).status_code == 201
    assert (await client.post("/v1/editors", json={"name": "E"}, headers=editor)).status_code == 403


async def test_a_company_user_s_key_receives_exactly_what_the_company_is_entitled_to(
    runtime: Runtime, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    company, company_key = await create_subscriber(
        client, "Sports Radio", entitlements={"categories": ["Sport"]}
    )
    member = await company_user(runtime, company, "member@radio.example")
    personal = bearer((await runtime.personal_keys.create(member, "newsroom tool")).api_key)
    await file_story(client, editor, headline="Cup final tonight", categories=["Sport"])
    await file_story(client, editor, headline="Summit ends", categories=["World"])
    account = (await client.get("/v1/account", headers=personal)).json()
    assert account["id"] == company
    mine, _ = await read_all(client, personal)
    theirs, _ = await read_all(client, company_key)
    assert [e["item"]["headlines"][0]["value"] for e in mine] == ["Cup final tonight"]
    assert [e["seq"] for e in mine] == [e["seq"] for e in theirs]


async def test_a_revoked_key_and_a_disabled_person_s_key_answer_401_at_once(
    runtime: Runtime, client: httpx.AsyncClient
) -> None:
    person_id, headers = await _key(runtime, PersonRole.EDITOR, "editor@newswire.example")
    person = await runtime.people.person(person_id)
    second = bearer((await runtime.personal_keys.create(person, "second")).api_key)
    assert (await client.get("/v1/feed", headers=headers)).status_code == 200
    await runtime.people.disable(person_id)
    for key in (headers, second):
        assert (await client.get("/v1/feed", headers=key)).status_code == 401
    await runtime.people.enable(person_id)
    assert (await client.get("/v1/feed", headers=headers)).status_code == 200
    (first_key, _second_key) = await runtime.personal_keys.of(person)
    await runtime.personal_keys.revoke(person, first_key.id)
    assert (await client.get("/v1/feed", headers=headers)).status_code == 401
    assert (await client.get("/v1/feed", headers=second)).status_code == 200
    await runtime.people.remove(person_id)
    assert (await client.get("/v1/feed", headers=second)).status_code == 401


async def test_a_suspended_company_s_personal_keys_stop_too(
    runtime: Runtime, client: httpx.AsyncClient
) -> None:
    company, company_key = await create_subscriber(client, "Daily")
    member = await company_user(runtime, company, "member@daily.example")
    personal = bearer((await runtime.personal_keys.create(member, "tool")).api_key)
    await client.post(f"/v1/subscribers/{company}/suspend", headers=ADMIN)
    assert (await client.get("/v1/feed", headers=personal)).status_code == 401
    await client.post(f"/v1/subscribers/{company}/resume", headers=ADMIN)
    assert (await client.get("/v1/feed", headers=personal)).status_code == 200
    rotated = await client.post(f"/v1/subscribers/{company}/rotate-key", headers=ADMIN)
    assert rotated.status_code == 200
    assert (await client.get("/v1/feed", headers=company_key)).status_code == 401
    assert (await client.get("/v1/feed", headers=personal)).status_code == 200, "its own key"


async def test_a_revoked_personal_key_s_stream_is_cut_and_the_company_s_stays(
    settings: Settings,
) -> None:
    async with served(settings) as (_server, client, runtime):
        company, company_key = await create_subscriber(client, "Daily")
        member = await company_user(runtime, company, "member@daily.example")
        created = await runtime.personal_keys.create(member, "tool")
        personal = bearer(created.api_key)
        opened = [asyncio.Event(), asyncio.Event()]
        mine = asyncio.create_task(sse_until_closed(client, personal, 0, opened[0]))
        theirs = asyncio.create_task(sse_until_closed(client, company_key, 0, opened[1]))
        await asyncio.wait_for(asyncio.gather(*(event.wait() for event in opened)), 10)
        started = time.monotonic()
        await runtime.personal_keys.revoke(member, created.key.id)
        events = await asyncio.wait_for(mine, 10)
        assert time.monotonic() - started < 1.5
        assert events[-1]["event"] == "access_revoked"
        await asyncio.sleep(0.3)
        assert not theirs.done(), "the company's own stream goes on"
        theirs.cancel()


async def test_another_node_learns_which_keys_still_work_from_the_poll(
    runtime: Runtime, client: httpx.AsyncClient
) -> None:
    """The access watcher's poll cuts only connections whose own key stopped working."""
    company, _ = await create_subscriber(client, "Daily")
    member = await company_user(runtime, company, "member@daily.example")
    created = await runtime.personal_keys.create(member, "tool")
    holder = await runtime.storage.principals.with_key_hash(hash_key(created.api_key))
    assert isinstance(holder, Principal) and holder.id == company
    main = await runtime.storage.principals.by_id(company)
    assert main is not None
    watcher = runtime.access
    personal_stream, company_stream = watcher.watch(holder), watcher.watch(main)
    # Another node rotates the company's own key: only the company's stream is stale.
    await runtime.storage.principals.replace_key(company, hash_key("nws_new-key"))
    await watcher.poll()
    assert company_stream.is_set() and not personal_stream.is_set()
    # Another node revokes the personal key.
    await runtime.storage.credentials.revoke_key(member.id, created.key.id, runtime.clock())
    await watcher.poll()
    assert personal_stream.is_set()
    assert not await watcher.still_active(holder)


async def test_open_pages_end_when_their_session_does(
    runtime: Runtime, client: httpx.AsyncClient
) -> None:
    """The hook the desk's and portal's live views wait on."""
    company, _ = await create_subscriber(client, "Daily")
    await company_user(runtime, company, "member@daily.example", password="long enough pw")
    await company_user(runtime, company, "other@daily.example", password="long enough pw")
    editor = await staff(runtime)

    async def page(email: str, audience: Audience, password: str) -> tuple[asyncio.Event, object]:
        started = await runtime.sign_in.sign_in(audience, email, password, "127.0.0.1")
        return runtime.sign_in.watch_page(started.signed_in), started.signed_in

    member_page, _ = await page("member@daily.example", Audience.SUBSCRIBER, "long enough pw")
    other_page, other = await page("other@daily.example", Audience.SUBSCRIBER, "long enough pw")
    editor_page, _ = await page(editor.email, Audience.STAFF, PASSWORD)
    assert runtime.session_watch.watched == 3

    # Suspending the company (through the API) cuts both of its users' pages, not the editor's.
    await client.post(f"/v1/subscribers/{company}/suspend", headers=ADMIN)
    await asyncio.wait_for(asyncio.gather(member_page.wait(), other_page.wait()), 5)
    assert not editor_page.is_set()
    # Disabling a person cuts their pages at once.
    await runtime.people.disable(editor.id)
    assert editor_page.is_set()
    runtime.sign_in.unwatch_page(other, other_page)  # type: ignore[arg-type]
    assert runtime.session_watch.watched == 2


async def test_a_page_on_another_node_ends_within_the_poll(
    runtime: Runtime,
) -> None:
    editor = await staff(runtime)
    started = await runtime.sign_in.sign_in(
        Audience.STAFF, editor.email, "correct horse battery staple", "127.0.0.1"
    )
    ended = runtime.sign_in.watch_page(started.signed_in)
    # Another node signs the person out everywhere: only the database knows.
    await runtime.storage.sessions.end_sessions_of(editor.id)
    await asyncio.wait_for(ended.wait(), 5)
    # An expired session ends its pages too.
    again = await runtime.sign_in.sign_in(
        Audience.STAFF, editor.email, "correct horse battery staple", "127.0.0.1"
    )
    expiring = runtime.sign_in.watch_page(again.signed_in)
    runtime.clock.advance(runtime.session_policy.idle)
    assert await runtime.session_watch.check() == 1 and expiring.is_set()
