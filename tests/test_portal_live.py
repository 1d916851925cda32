"""The portal's live wire on a real socket: the fan-out's events, filtered, cut when access ends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from newswire.models.people import PersonRole
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.accounts import create_subscriber, served
from tests.conftest import ADMIN, bearer, story_json
from tests.people import cheap, company_user, signed_in_client
from tests.servers import LiveEvents, receive_sse

pytestmark = pytest.mark.anyio

WAIT = 15.0


async def _until(received: LiveEvents, count: int) -> None:
    async with asyncio.timeout(WAIT):
        while len(received) < count:
            received.arrived.clear()
            await received.arrived.wait()


class Portal:
    """A served app with an editor, a company and its signed-in member."""

    def __init__(self, client: httpx.AsyncClient, runtime: Runtime, url: str) -> None:
        self.client, self.runtime, self.url = client, runtime, url
        self.editor: dict[str, str] = {}
        self.company_id = ""
        self.member_id = ""
        self.web = httpx.AsyncClient(base_url=url, timeout=20)

    async def file(self, **fields: Any) -> dict[str, Any]:
        answer = await self.client.post(
            "/v1/stories", json=story_json(**fields), headers=self.editor
        )
        assert answer.status_code == 201, answer.text
        body: dict[str, Any] = answer.json()
        return body

    async def watch(self, path: str) -> tuple[LiveEvents, asyncio.Task[None]]:
        received = LiveEvents()
        opened = asyncio.Event()
        task = asyncio.create_task(receive_sse(self.web, path, received, opened))
        async with asyncio.timeout(WAIT):
            await opened.wait()
        await asyncio.sleep(0.2)  # the subscription has joined the fan-out
        return received, task


@pytest.fixture
async def portal(settings: Settings) -> AsyncIterator[Portal]:
    async with served(cheap(settings)) as (server, client, runtime):
        made = await client.post("/v1/editors", json={"name": "Desk"}, headers=ADMIN)
        wired = Portal(client, runtime, server.url)
        wired.editor = bearer(made.json()["api_key"])
        wired.company_id, _ = await create_subscriber(client, "Daily")
        member = await company_user(runtime, wired.company_id, "member@daily.example")
        wired.member_id = member.id
        await signed_in_client(wired.web, "/portal", "member@daily.example")
        try:
            yield wired
        finally:
            await wired.web.aclose()


async def test_filed_updated_and_killed_stories_arrive_live_drawn_as_wire_lines(
    portal: Portal,
) -> None:
    received, task = await portal.watch("/portal/live")
    story = await portal.file(headline="Earthquake hits the coast", urgency=1)
    await _until(received, 1)
    first = received[0]
    assert first["event"] == "wire"
    assert first["data"]["type"] == "story.published"
    assert f'id="s-{story["id"]}"' in first["data"]["html"]
    assert 'class="item u-flash"' in first["data"]["html"]
    assert "Earthquake hits the coast" in first["data"]["html"]
    killed = await portal.client.post(
        f"/v1/stories/{story['id']}/kill", json={"reason": "Wrong town"}, headers=portal.editor
    )
    assert killed.status_code in (200, 201), killed.text
    await _until(received, 2)
    kill = received[1]["data"]
    assert kill["type"] == "story.killed"
    assert "This story was killed. Do not use it." in kill["notice_html"]
    assert "Wrong town" in kill["notice_html"]
    task.cancel()


async def test_the_live_wire_keeps_to_the_pages_filters(portal: Portal) -> None:
    received, task = await portal.watch("/portal/live?section=Sport")
    assert portal.runtime.session_watch.watched == 1
    await portal.file(headline="Budget passes")
    sport = await portal.file(headline="Cup final tonight", categories=["Sport"])
    await _until(received, 1)
    await asyncio.sleep(0.3)
    assert [event["data"]["story_id"] for event in received] == [sport["id"]]
    task.cancel()
    async with asyncio.timeout(WAIT):
        while portal.runtime.session_watch.watched:  # noqa: ASYNC110 - the server notices
            await asyncio.sleep(0.05)


async def test_a_removed_user_loses_the_open_live_page_at_once(portal: Portal) -> None:
    received, task = await portal.watch("/portal/live")
    admin = await company_user(
        portal.runtime, portal.company_id, "boss@daily.example", PersonRole.COMPANY_ADMIN
    )
    await portal.runtime.people.remove(portal.member_id, admin)
    await _until(received, 1)
    assert received[0]["event"] == "signed_out"
    assert received[0]["data"] == "/portal/sign-in?notice=ended"
    async with asyncio.timeout(WAIT):
        await task  # the server ended the stream
    page = await portal.web.get("/portal/", headers={"Accept": "text/html"})
    assert page.status_code == 303


async def test_a_suspended_company_loses_the_open_live_page_at_once(portal: Portal) -> None:
    received, task = await portal.watch("/portal/live")
    await portal.runtime.accounts.suspend(portal.company_id)
    await _until(received, 1)
    assert received[0]["event"] == "signed_out"
    async with asyncio.timeout(WAIT):
        await task


async def test_live_lines_take_nothing_from_the_quota_and_move_no_sse_cursor(
    portal: Portal,
) -> None:
    received, task = await portal.watch("/portal/live")
    await portal.file(headline="First story")
    await portal.file(headline="Second story")
    await _until(received, 2)
    task.cancel()
    principal = await portal.runtime.storage.principals.by_id(portal.company_id)
    assert principal is not None
    account = await portal.runtime.reports.account(principal)
    assert account.quota.used == 0
    assert account.cursors == {}
