"""History and usage, the company admin's users page, and the developer console, over the app."""

from __future__ import annotations

import csv
import io
import re

import httpx
import pytest

from newswire.models.people import PersonRole
from newswire.settings import Settings
from tests.accounts import create_subscriber
from tests.conftest import bearer, file_story
from tests.page_clients import MemberBrowser
from tests.people import PAGE, cheap, meta_csrf
from tests.servers import Receiver

pytestmark = pytest.mark.anyio

ADMIN = "boss@daily.example"
MEMBER = "member@daily.example"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return cheap(settings, webhook_allow_private=True, seat_limit_default=3)


class Daily:
    """A company with a signed-in admin and a signed-in member."""

    def __init__(self, company_id: str, boss: httpx.AsyncClient, member: httpx.AsyncClient):
        self.company_id, self.boss, self.member = company_id, boss, member

    @staticmethod
    async def post(web: httpx.AsyncClient, path: str, **data: str) -> httpx.Response:
        page = await web.get("/portal/developers", headers=PAGE)
        return await web.post(path, data={"csrf_token": meta_csrf(page.text), **data})


@pytest.fixture
async def daily(client: httpx.AsyncClient, member_browser: MemberBrowser) -> Daily:
    company_id, _ = await create_subscriber(client, "Daily")
    boss = await member_browser(company_id, ADMIN, role=PersonRole.COMPANY_ADMIN)
    member = await member_browser(company_id, MEMBER, "127.0.0.2")
    return Daily(company_id, boss, member)


async def test_the_history_shows_who_viewed_and_downloaded_what_and_exports_as_csv(
    daily: Daily, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    story = await file_story(client, editor, headline="Budget passes")
    await daily.member.get(f"/portal/stories/{story['id']}", headers=PAGE)
    await daily.member.get(f"/portal/stories/{story['id']}/download?format=nitf")
    page = await daily.boss.get("/portal/usage", headers=PAGE)
    assert page.status_code == 200
    assert re.search(r'<dd id="used-today">2</dd>', page.text), "reading and downloading count"
    rows = re.findall(r"<tr><td>[^<]+</td><td>member</td><td>(\w+)</td>", page.text)
    assert rows == ["downloaded", "viewed"]
    exported = await daily.boss.get("/portal/usage.csv")
    assert exported.headers["content-type"] == "text/csv; charset=utf-8"
    table = list(csv.reader(io.StringIO(exported.text)))
    assert table[0] == ["time", "user", "action", "story", "version", "headline", "format"]
    assert [row[1:] for row in table[1:]] == [
        ["member", "downloaded", story["id"], "1", "Budget passes", "nitf"],
        ["member", "viewed", story["id"], "1", "Budget passes", "page"],
    ]


async def test_the_company_admin_invites_within_the_seat_limit_and_removes_a_user_at_once(
    daily: Daily,
) -> None:
    page = await daily.boss.get("/portal/company", headers=PAGE)
    assert page.status_code == 200 and "2 of 3 seats taken" in page.text
    invited = await daily.post(
        daily.boss, "/portal/company/invite", email="third@daily.example", name="Third"
    )
    assert invited.status_code == 201 and "third@daily.example is invited." in invited.text
    assert re.search(r"<code>http://[^<]+/portal/set-password/[\w-]+</code>", invited.text)
    full = await daily.post(
        daily.boss, "/portal/company/invite", email="fourth@daily.example", name="Fourth"
    )
    assert full.status_code == 409
    assert "all 3 seats of this company are taken" in full.text
    assert 'id="f-email-error"' in full.text
    nameless = await daily.post(daily.boss, "/portal/company/invite", email="x@daily.example")
    assert nameless.status_code == 422 and 'id="f-name-error"' in nameless.text

    refused = await daily.member.get("/portal/company", headers=PAGE)
    assert refused.status_code == 403
    member_id = re.search(
        r'action="/portal/company/people/(\w+)/remove"><input[^>]+><button type="submit">'
        r"Remove member<",
        page.text,
    )
    assert member_id
    removed = await daily.post(daily.boss, f"/portal/company/people/{member_id.group(1)}/remove")
    assert removed.status_code == 303
    assert (await daily.member.get("/portal/", headers=PAGE)).status_code == 303
    after = await daily.boss.get("/portal/company", headers=PAGE)
    assert "Who signed in when" in after.text and "2 of 3 seats taken" in after.text


async def test_keys_made_in_the_console_act_as_the_company_and_rotate_and_revoke(
    daily: Daily, client: httpx.AsyncClient
) -> None:
    made = await daily.post(daily.member, "/portal/developers/keys", label="newsroom script")
    assert made.status_code == 201
    key = re.search(r'<code id="new-key">([^<]+)</code>', made.text)
    assert key
    assert (await client.get("/v1/feed", headers=bearer(key.group(1)))).status_code == 200
    key_id = re.search(r"/portal/developers/keys/(\w+)/rotate", made.text)
    assert key_id
    rotated = await daily.post(daily.member, f"/portal/developers/keys/{key_id.group(1)}/rotate")
    new_key = re.search(r'<code id="new-key">([^<]+)</code>', rotated.text)
    assert new_key and new_key.group(1) != key.group(1)
    assert (await client.get("/v1/feed", headers=bearer(key.group(1)))).status_code == 401
    assert (await client.get("/v1/feed", headers=bearer(new_key.group(1)))).status_code == 200
    unlabelled = await daily.post(daily.member, "/portal/developers/keys", label="")
    assert unlabelled.status_code == 422 and 'id="error-label"' in unlabelled.text
    not_admin = await daily.post(daily.member, "/portal/developers/company-key")
    assert not_admin.status_code == 403
    company = await daily.post(daily.boss, "/portal/developers/company-key")
    assert company.status_code == 201 and 'id="new-key">nws_' in company.text


async def test_the_console_makes_a_secret_feed_url_that_serves_the_atom_feed(
    daily: Daily, client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    await file_story(client, editor, headline="Budget passes")
    made = await daily.post(daily.member, "/portal/developers/feed-url")
    url = re.search(r'<code id="new-feed-url">http://[^/]+(/v1/feeds/[^<]+)</code>', made.text)
    assert url
    feed = await client.get(url.group(1))
    assert feed.status_code == 200 and "Budget passes" in feed.text
    page = await daily.member.get("/portal/developers", headers=PAGE)
    assert "its secret is not shown again" in page.text
    assert url.group(1) not in page.text
    await daily.post(daily.member, "/portal/developers/feed-url/revoke")
    assert (await client.get(url.group(1))).status_code == 404


async def test_webhooks_register_test_send_show_attempts_disable_enable_and_delete(
    daily: Daily,
) -> None:
    receiver = Receiver(lambda _n, _request: 204)
    async with receiver:
        made = await daily.post(
            daily.member, "/portal/developers/webhooks", url=receiver.url, description="CMS"
        )
        assert made.status_code == 201, made.text
        assert re.search(r'<code id="new-secret">whsec_', made.text)
        endpoint = re.search(r'id="w-(\w+)"', made.text)
        assert endpoint
        base = f"/portal/developers/webhooks/{endpoint.group(1)}"
        tested = await daily.post(daily.member, f"{base}/test")
        assert re.search(r'id="tested">Test event sent: HTTP 204 · \d+ ms', tested.text)
        assert receiver.requests[0].headers["webhook-signature"].startswith("v1,")
        assert "<td>webhook.test </td><td>HTTP 204</td>" in tested.text
        await daily.post(daily.member, f"{base}/disable")
        page = await daily.member.get("/portal/developers", headers=PAGE)
        assert '<strong class="status">disabled</strong>' in page.text
        await daily.post(daily.member, f"{base}/enable")
        page = await daily.member.get("/portal/developers", headers=PAGE)
        assert '<strong class="status">active</strong>' in page.text
        bad = await daily.post(daily.member, f"{base}/replay", after="yesterday")
        assert bad.status_code == 422
        assert (await daily.post(daily.member, f"{base}/replay", after="0")).status_code == 303
        await daily.post(daily.member, f"{base}/delete")
        page = await daily.member.get("/portal/developers", headers=PAGE)
        assert f'id="w-{endpoint.group(1)}"' not in page.text
        unsafe = await daily.post(daily.member, "/portal/developers/webhooks", url="ftp://x")
        assert unsafe.status_code == 422 and 'id="error-url"' in unsafe.text
