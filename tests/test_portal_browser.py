"""The subscriber portal in a real browser (Debian's Chromium), against `newswire serve --demo`.

Each page is opened offline with console errors and CSP violations
collected, and checked with axe-core. Set NEWSWIRE_SCREENSHOTS=DIR to also
save the screenshots of docs/portal.md there.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import httpx
import pytest
from lxml import etree
from playwright.sync_api import Browser, Page

from newswire.demo.people import COMPANIES
from tests.browser import axe_violations, needs_chromium
from tests.browser_steps import demo_editor, signed_in
from tests.conftest import story_json
from tests.processes import scaled
from tests.story_factory import standards_dir

pytestmark = needs_chromium

DAILY_MEMBER = COMPANIES[0][2][1]
SPORTS_MEMBER = COMPANIES[1][2][0]
G2_XSD = "newsml-g2/specification/NewsML-G2_2.35-spec-All-Power.xsd"
WAIT_MS = int(scaled(10) * 1000)  # ten seconds on a quiet machine, longer under load


@pytest.fixture(scope="module")
def editor(demo_site: str) -> dict[str, str]:
    return demo_editor(demo_site, "Portal")


def _file(site: str, editor: dict[str, str], **fields: object) -> dict[str, str]:
    filed = httpx.post(f"{site}/v1/stories", json=story_json(**fields), headers=editor)
    assert filed.status_code == 201, filed.text
    body: dict[str, str] = filed.json()
    return body


def _shot(page: Page, name: str) -> None:
    shots = os.environ.get("NEWSWIRE_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / name), full_page=False)


def test_a_member_watches_the_wire_opens_a_story_downloads_it_and_sees_its_kill(
    demo_site: str, browser: Browser, editor: dict[str, str]
) -> None:
    schema = etree.XMLSchema(etree.parse(str(standards_dir() / G2_XSD)))
    with signed_in(browser, demo_site, "portal", DAILY_MEMBER) as (watched, page):
        page.get_by_text("Live: new stories appear at the top.").wait_for(timeout=WAIT_MS)
        assert axe_violations(page) == []
        story = _file(demo_site, editor, headline="Dam gives way above the valley", urgency=1)
        line = page.locator(f"#s-{story['id']}")
        line.wait_for(timeout=WAIT_MS)  # no reload: it came over the live wire
        assert page.locator("#wire-list > li").first.get_attribute("id") == f"s-{story['id']}"
        assert "u-flash" in (line.get_attribute("class") or "")
        _shot(page, "portal-wire.png")

        line.get_by_role("link", name="Dam gives way above the valley").click()
        page.wait_for_url(re.compile(rf"/portal/stories/{story['id']}$"))
        assert axe_violations(page) == []
        page.get_by_text("Download", exact=True).click()
        with page.expect_download() as downloading:
            page.get_by_role("link", name="NewsML-G2", exact=True).first.click()
        item = etree.parse(downloading.value.path())
        schema.assertValid(item)
        _shot(page, "portal-story.png")

        killed = httpx.post(
            f"{demo_site}/v1/stories/{story['id']}/kill",
            json={"reason": "The dam held"},
            headers=editor,
        )
        assert killed.status_code in (200, 201), killed.text
        notice = page.locator("#story-text .kill-notice")
        notice.wait_for(timeout=WAIT_MS)  # the open page's text was replaced, no reload
        assert "This story was killed. Do not use it." in notice.inner_text()
        assert "The dam held" in notice.inner_text()
        assert "valley" not in page.locator("#story-text").inner_text()
        assert axe_violations(page) == []

        watched.goto("/portal/search?q=valley")
        assert axe_violations(page) == []
        assert page.get_by_role("heading", name="Search tips").is_visible()
        _shot(page, "portal-search.png")
        assert watched.problems() == []


def test_a_one_section_company_never_sees_another_sections_story(
    demo_site: str, browser: Browser, editor: dict[str, str]
) -> None:
    politics = _file(demo_site, editor, headline="Senate votes on the harbour bill")
    sport = _file(demo_site, editor, headline="Harbour regatta cancelled", categories=["Sport"])
    with signed_in(browser, demo_site, "portal", SPORTS_MEMBER) as (watched, page):
        assert page.locator(f"#s-{sport['id']}").is_visible()
        assert page.locator(f"#s-{politics['id']}").count() == 0
        watched.goto("/portal/search?q=harbour")
        assert page.locator(f"#s-{sport['id']}").is_visible()
        assert page.locator(f"#s-{politics['id']}").count() == 0
        assert "Senate" not in page.content()
        answer = page.goto(f"{demo_site}/portal/stories/{politics['id']}")
        assert answer is not None and answer.status == 404
        assert axe_violations(page) == []
        download = page.request.get(
            f"{demo_site}/portal/stories/{politics['id']}/download?format=newsml-g2"
        )
        assert download.status == 404
        assert "Senate" not in download.text()
        # A refused page is a console message in a browser; nothing else went wrong.
        assert [p for p in watched.problems() if "404" not in p] == []
