"""Topics and alerts: a saved search becomes a topic; new stories on it reach the portal and e-mail.

Mail goes through the identity outbox to a real aiosmtpd server; SMTP down
means queued and retried, never lost, never twice for one address and story.
"""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from newswire.models.people import Person
from newswire.models.principals import Principal
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.accounts import create_subscriber
from tests.conftest import file_story
from tests.page_clients import MemberBrowser
from tests.people import PAGE, browser, meta_csrf
from tests.smtp import SmtpServer, mailing_through

pytestmark = pytest.mark.anyio

MEMBER = "member@daily.example"


@pytest.fixture
def settings(settings: Settings, smtp: SmtpServer) -> Settings:
    return mailing_through(settings, smtp, "alerts@wire.example")


class Company:
    """A company with a signed-in member, and its subscriber id."""

    def __init__(self, web: httpx.AsyncClient, company_id: str, member: Person) -> None:
        self.web, self.company_id, self.member = web, company_id, member

    async def csrf(self) -> str:
        return meta_csrf((await self.web.get("/portal/topics", headers=PAGE)).text)

    async def topic(self, name: str, **search: str) -> str:
        answer = await self.web.post(
            "/portal/topics", data={"csrf_token": await self.csrf(), "name": name, **search}
        )
        assert answer.status_code == 303, answer.text
        found = re.search(r"#t-(\w+)$", answer.headers["location"])
        assert found
        return found.group(1)

    async def alert(self, topic_id: str, mode: str) -> httpx.Response:
        return await self.web.post(
            f"/portal/topics/{topic_id}/alert", data={"csrf_token": await self.csrf(), "mode": mode}
        )


async def _company(
    client: httpx.AsyncClient, runtime: Runtime, member_browser: MemberBrowser, **fields: object
) -> Company:
    company_id, _ = await create_subscriber(client, "Daily", **fields)
    web = await member_browser(company_id, MEMBER)
    return Company(web, company_id, await runtime.people.by_email(MEMBER))


@pytest.fixture
async def daily(
    client: httpx.AsyncClient, runtime: Runtime, member_browser: MemberBrowser, smtp: SmtpServer
) -> Company:
    smtp.start()
    company = await _company(client, runtime, member_browser)
    await runtime.mail_sender.send_due()  # the set-password mail of the member
    return company


async def _alerted_topic(
    runtime: Runtime, company: Company, name: str, mode: str, **search: str
) -> str:
    """Save a search as a topic with an alert; the alert job then starts at the head of the log."""
    topic = await company.topic(name, **search)
    assert (await company.alert(topic, mode)).status_code == 303
    await runtime.alert_job.scan()
    return topic


def _alerts_to(smtp: SmtpServer, address: str) -> list[str]:
    return [m["Subject"] for m in smtp.recorder.to(address) if m["Subject"].startswith("[")]


async def test_a_topic_alert_mails_each_new_matching_story_once_and_lists_it_in_the_portal(
    daily: Company, client: httpx.AsyncClient, editor: dict[str, str], runtime: Runtime,
    smtp: SmtpServer,
) -> None:  # fmt: skip
    topic = await _alerted_topic(runtime, daily, "Floods", "immediate", q="flood")
    flood = await file_story(client, editor, headline="Flood closes the coast road")
    await file_story(client, editor, headline="Budget passes")
    assert await runtime.alert_job.scan() == 1
    assert await runtime.alert_job.scan() == 0
    assert await runtime.mail_sender.send_due() == 1
    assert _alerts_to(smtp, MEMBER) == ["[Floods] Flood closes the coast road"]
    (mail,) = [m for m in smtp.recorder.to(MEMBER) if m["Subject"].startswith("[")]
    body = mail.get_content()
    assert f"https://wire.example/portal/stories/{flood['id']}" in body
    listed = await daily.web.get("/portal/notifications", headers=PAGE)
    assert f'href="/portal/stories/{flood["id"]}">Flood closes the coast road' in listed.text
    # The wire follows the topic too.
    wire = await daily.web.get(f"/portal/?topic={topic}", headers=PAGE)
    assert f'id="s-{flood["id"]}"' in wire.text and "Budget" not in wire.text


async def test_smtp_down_queues_the_alert_and_it_goes_once_when_smtp_is_back(
    daily: Company, client: httpx.AsyncClient, editor: dict[str, str], runtime: Runtime,
    smtp: SmtpServer,
) -> None:  # fmt: skip
    await _alerted_topic(runtime, daily, "Floods", "immediate", q="flood")
    smtp.stop()
    before = await runtime.storage.log.last_seq()
    await file_story(client, editor, headline="Flood closes the coast road")
    await runtime.alert_job.scan()
    assert await runtime.mail_sender.send_due() == 0, "SMTP is down: nothing goes"
    # The job reads the same stories again (a crash before it kept its cursor): one message.
    await runtime.storage.portal.set_state("alerts-cursor", str(before))
    assert await runtime.alert_job.scan() == 0
    smtp.start()
    runtime.clock.advance(timedelta(seconds=11))
    assert await runtime.mail_sender.send_due() == 1
    runtime.clock.advance(timedelta(hours=1))
    assert await runtime.mail_sender.send_due() == 0
    assert _alerts_to(smtp, MEMBER) == ["[Floods] Flood closes the coast road"]


async def test_the_unsubscribe_link_works_without_signing_in_and_only_once(
    daily: Company, client: httpx.AsyncClient, editor: dict[str, str], runtime: Runtime,
    app: FastAPI, smtp: SmtpServer,
) -> None:  # fmt: skip
    topic = await _alerted_topic(runtime, daily, "Floods", "immediate", q="flood")
    await file_story(client, editor, headline="Flood closes the coast road")
    await runtime.alert_job.scan()
    await runtime.mail_sender.send_due()
    (mail,) = [m for m in smtp.recorder.to(MEMBER) if m["Subject"].startswith("[")]
    link = re.search(r"https://wire\.example(/portal/unsubscribe/\S+)", mail.get_content())
    assert link
    async with browser(app, address="127.0.0.9") as stranger:
        form = await stranger.get(link.group(1), headers=PAGE)
        assert form.status_code == 200 and "Stop these alerts" in form.text
        assert (await runtime.alerts.of(daily.member, await _principal(runtime, daily))).alerts
        done = await stranger.post(link.group(1))
        assert done.status_code == 200 and "no more alerts" in done.text
        again = await stranger.post(link.group(1))
        assert again.status_code == 404
        forged = await stranger.get(link.group(1)[:-3] + "AAA", headers=PAGE)
        assert forged.status_code == 404
    mine = await runtime.alerts.of(daily.member, await _principal(runtime, daily))
    assert mine.alerts == {} and [t.id for t in mine.topics] == [topic], "the topic stays"
    await file_story(client, editor, headline="Flood again on the coast road")
    assert await runtime.alert_job.scan() == 0


async def _principal(runtime: Runtime, company: Company) -> Principal:
    principal = await runtime.storage.principals.by_id(company.company_id)
    assert principal is not None
    return principal


async def test_a_digest_gathers_the_stories_into_one_mail(
    daily: Company, client: httpx.AsyncClient, editor: dict[str, str], runtime: Runtime,
    smtp: SmtpServer,
) -> None:  # fmt: skip
    await _alerted_topic(runtime, daily, "Sport", "digest", section="Sport")
    await file_story(client, editor, headline="Cup final tonight", categories=["Sport"])
    await file_story(client, editor, headline="Derby ends in a draw", categories=["Sport"])
    assert await runtime.alert_job.scan() == 2
    assert await runtime.alert_job.send_digests() == 0, "not due yet"
    runtime.clock.advance(timedelta(minutes=61))
    assert await runtime.alert_job.send_digests() == 1
    assert await runtime.alert_job.send_digests(force=True) == 0, "nothing waits any more"
    await runtime.mail_sender.send_due()
    (digest,) = [m for m in smtp.recorder.to(MEMBER) if "topics" in m["Subject"]]
    assert digest["Subject"] == "2 new stories on your topics"
    assert "Cup final tonight" in digest.get_content()
    assert "Derby ends in a draw" in digest.get_content()


async def test_a_one_section_company_is_never_alerted_of_another_sections_story(
    client: httpx.AsyncClient,
    editor: dict[str, str],
    runtime: Runtime,
    member_browser: MemberBrowser,
) -> None:
    sports = await _company(client, runtime, member_browser, entitlements={"categories": ["Sport"]})
    await _alerted_topic(runtime, sports, "Votes", "immediate", q="vote")
    await file_story(client, editor, headline="Parliament vote tonight")
    sport = await file_story(client, editor, headline="Fans vote for a coach", categories=["Sport"])
    assert await runtime.alert_job.scan() == 1
    listed = await sports.web.get("/portal/notifications", headers=PAGE)
    assert sport["id"] in listed.text and "Parliament" not in listed.text


async def test_topic_and_alert_forms_name_the_field_at_fault(daily: Company) -> None:
    nameless = await daily.web.post(
        "/portal/topics", data={"csrf_token": await daily.csrf(), "name": "", "q": "flood"}
    )
    assert nameless.status_code == 422 and 'id="error-name"' in nameless.text
    broken = await daily.web.post(
        "/portal/topics", data={"csrf_token": await daily.csrf(), "name": "X", "q": '"open'}
    )
    assert broken.status_code == 422 and 'id="error-q"' in broken.text
    topic = await daily.topic("Floods", q="flood")
    wrong_mode = await daily.alert(topic, "hourly")
    assert wrong_mode.status_code == 422 and 'id="error-mode"' in wrong_mode.text
    missing = await daily.alert("nope", "immediate")
    assert missing.status_code == 404
