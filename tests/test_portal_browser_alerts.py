"""Topics, e-mail alerts and the company admin in a real browser, against a demo server with SMTP.

The server is `newswire serve --demo` in a child process whose mail goes to
a real aiosmtpd server (tests/smtp.py) on a local port. Every page is opened
offline and checked with axe-core.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from email.message import Message

import httpx
import pytest
from playwright.sync_api import Browser

from newswire.demo.people import COMPANIES
from tests.browser import axe_violations, needs_chromium, open_page
from tests.browser_steps import demo_editor, demo_server, signed_in
from tests.conftest import story_json
from tests.processes import free_port, scaled
from tests.smtp import SmtpServer

pytestmark = needs_chromium

DAILY_ADMIN = COMPANIES[0][2][0]
DAILY_MEMBER = COMPANIES[0][2][1]
WAIT_MS = int(scaled(10) * 1000)  # ten seconds on a quiet machine, longer under load


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer(free_port())
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, smtp: SmtpServer) -> Iterator[str]:
    with demo_server(
        tmp_path_factory.mktemp("portal-alerts"),
        NEWSWIRE_SMTP_HOST="127.0.0.1",
        NEWSWIRE_SMTP_PORT=str(smtp.port),
        NEWSWIRE_SMTP_TLS="none",
        NEWSWIRE_SMTP_FROM="alerts@newswire.example",
        NEWSWIRE_SEAT_LIMIT_DEFAULT="3",
    ) as url:
        yield url


def _mail_about(smtp: SmtpServer, address: str, words: str, seconds: float = 20) -> Message:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for message in smtp.recorder.to(address):
            if words in message["Subject"]:
                return message
        time.sleep(0.1)
    raise AssertionError(f"no mail about {words!r} reached {address}")


def test_a_member_makes_a_topic_and_gets_an_email_alert_then_unsubscribes(
    site: str, browser: Browser, smtp: SmtpServer
) -> None:
    editor = demo_editor(site, "Alerts")
    _role, email, _name, _password = DAILY_MEMBER
    with signed_in(browser, site, "portal", DAILY_MEMBER) as (watched, page):
        watched.goto("/portal/search?q=lighthouse")
        page.get_by_label("Topic name").fill("Lighthouses")
        page.get_by_role("button", name="Save as topic").click()
        page.wait_for_url(re.compile(r"/portal/topics#t-\w+$"))
        assert axe_violations(page) == []
        page.get_by_label("Alert me").select_option("immediate")
        page.get_by_role("button", name="Save alert").click()
        page.get_by_text("You get alerts on this topic.").wait_for()
        filed = httpx.post(
            f"{site}/v1/stories",
            json=story_json(headline="Storm topples the old lighthouse"),
            headers=editor,
        )
        assert filed.status_code == 201, filed.text
        mail = _mail_about(smtp, email, "Storm topples the old lighthouse")
        assert mail["Subject"] == "[Lighthouses] Storm topples the old lighthouse"
        body = mail.get_content()
        assert f"/portal/stories/{filed.json()['id']}" in body
        watched.goto("/portal/notifications")
        assert page.get_by_role("link", name="Storm topples the old lighthouse").is_visible()
        assert axe_violations(page) == []
        assert watched.problems() == []
    link = re.search(r"https?://[^/\s]+(/portal/unsubscribe/\S+)", body)
    assert link
    with open_page(browser, site) as stranger:  # another browser, signed in to nothing
        stranger.goto(link.group(1))
        assert axe_violations(stranger.page) == []
        stranger.page.get_by_role("button", name="Stop these alerts").click()
        stranger.page.get_by_text("Done: you get no more alerts on this topic.").wait_for()
        assert stranger.problems() == []


def test_the_company_admin_invites_a_user_and_the_seat_limit_holds(
    site: str, browser: Browser
) -> None:
    with signed_in(browser, site, "portal", DAILY_ADMIN) as (watched, page):
        page.get_by_role("link", name="Company").click()
        page.wait_for_url(re.compile(r"/portal/company$"))
        assert page.locator("#seats").inner_text() == "2 of 3 seats taken"
        assert axe_violations(page) == []
        page.get_by_label("Email").fill("third@daily.example")
        page.get_by_label("Name").fill("Third Editor")
        page.get_by_role("button", name="Invite").click()
        page.locator("#invited").wait_for()
        assert "third@daily.example is invited." in page.locator("#invited").inner_text()
        assert page.locator("#seats").inner_text() == "3 of 3 seats taken"
        page.get_by_label("Email").fill("fourth@daily.example")
        page.get_by_label("Name").fill("Fourth Editor")
        page.get_by_role("button", name="Invite").click()
        page.locator("#f-email-error").wait_for()
        assert "seats of this company are taken" in page.locator("#f-email-error").inner_text()
        assert "fourth@daily.example" not in page.locator("#users").inner_text()
        assert axe_violations(page) == []
        for path in ("/portal/usage", "/portal/developers", "/portal/topics", "/portal/account"):
            watched.goto(path)
            assert axe_violations(page) == [], path
        # The refused invitation (409) is a console message in a browser; nothing else.
        assert [p for p in watched.problems() if "409" not in p] == []
