"""The public site in a real browser: Debian's chromium driven by Playwright, against a real server.

The server is `newswire serve --demo` in a child process (tests/browser.py).
Every page is opened with requests to other origins aborted, so each test
also shows the site works offline, and with console errors and
Content-Security-Policy violations collected. Set NEWSWIRE_SCREENSHOTS=DIR to
also save the README's screenshots there.
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page

from tests.browser import DEMO_ADMIN_TOKEN, axe_violations, needs_chromium, open_page
from tests.conftest import bearer, story_json

pytestmark = needs_chromium


@pytest.fixture(scope="module")
def site(demo_site: str) -> str:
    """Return the demo server's URL once it also carries one Arabic story."""
    admin = bearer(DEMO_ADMIN_TOKEN)
    made = httpx.post(f"{demo_site}/v1/editors", json={"name": "Browser"}, headers=admin)
    editor = bearer(made.json()["api_key"])
    arabic = story_json(
        headline="البرلمان يقر الميزانية بعد نقاش طويل",
        summary="أقر البرلمان الميزانية العامة بعد نقاش استمر يومين.",
        language="ar",
        public=True,
    )
    filed = httpx.post(f"{demo_site}/v1/stories", json=arabic, headers=editor)
    assert filed.status_code == 201, filed.text
    return demo_site


def _open_first_story(page: Page) -> str:
    first = page.locator(".story-list h2 a").first
    headline = first.inner_text()
    first.click()
    page.wait_for_load_state()
    return headline


def test_a_reader_follows_a_story_switches_language_and_searches(
    site: str, browser: Browser
) -> None:
    shots = os.environ.get("NEWSWIRE_SCREENSHOTS")
    with open_page(browser, site) as watched:
        page = watched.page
        watched.goto("/")
        assert page.locator("h1").inner_text() == "Latest news"
        assert page.locator("html").get_attribute("lang") == "en"
        if shots:
            page.screenshot(path=str(Path(shots) / "home.png"), full_page=False)

        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.className") == "skip"
        assert page.locator("a.skip").is_visible()

        headline = _open_first_story(page)
        assert page.locator("h1").inner_text() == headline
        assert page.locator("p.summary").is_visible()
        assert page.locator("p.summary").inner_text().strip()
        notice = page.locator("aside.notice")
        assert notice.is_visible() and "Subscribers receive the full service" in notice.inner_text()
        assert notice.locator("a").get_attribute("href") == "mailto:sales@newswire.example"
        if shots:
            page.screenshot(path=str(Path(shots) / "story.png"), full_page=True)

        page.get_by_role("link", name="Türkçe").click()
        page.wait_for_load_state()
        assert page.url.endswith("/tr/")
        assert page.locator("html").get_attribute("lang") == "tr"
        assert page.locator("h1").inner_text() == "Son haberler"

        watched.goto("/en/")
        page.get_by_label("Search the summaries").fill("ceasefire")
        page.get_by_role("button", name="Search").click()
        page.wait_for_load_state()
        assert "/en/search?q=ceasefire" in page.url
        results = page.locator(".story-list h2 a").all_inner_texts()
        assert any("ceasefire" in title.lower() for title in results), results
        assert watched.problems() == []


def test_right_to_left_story_renders_right_to_left(site: str, browser: Browser) -> None:
    with open_page(browser, site) as watched:
        page = watched.page
        watched.goto("/ar/")
        _open_first_story(page)
        article = page.locator("article.story")
        assert article.evaluate("e => getComputedStyle(e).direction") == "rtl"
        # The text of a short heading hugs the right edge of its box, not the left one.
        right_gap, left_gap = page.locator("article.story h1").evaluate(
            """e => { const range = document.createRange(); range.selectNodeContents(e);
                      const text = range.getBoundingClientRect(), box = e.getBoundingClientRect();
                      return [box.right - text.right, text.left - box.left]; }"""
        )
        assert right_gap < 2 and left_gap > 100, (right_gap, left_gap)
        assert watched.problems() == []


def test_the_site_works_without_javascript(site: str, browser: Browser) -> None:
    with open_page(browser, site, javascript=False) as watched:
        page = watched.page
        watched.goto("/en/")
        page.get_by_label("Search the summaries").fill("earthquake")
        page.get_by_role("button", name="Search").click()
        page.wait_for_load_state()
        assert page.locator(".story-list h2 a").count() >= 1
        _open_first_story(page)
        assert page.locator("aside.notice").is_visible()


def _site_pages(page: Page, site: str) -> list[str]:
    """Return one path of each kind of public page, found by following the demo site's links."""
    page.goto(site + "/en/")
    story = page.locator(".story-list h2 a").first.get_attribute("href")
    section = page.locator("nav.sections a").first.get_attribute("href")
    page.goto(site + "/ar/")
    arabic_story = page.locator(".story-list h2 a").first.get_attribute("href")
    assert story and section and arabic_story
    return ["/en/", "/tr/", story, arabic_story, section, "/en/search?q=ceasefire"]


def test_site_pages_have_no_serious_or_critical_accessibility_violations(
    site: str, browser: Browser
) -> None:
    with open_page(browser, site) as watched:
        for path in _site_pages(watched.page, site):
            watched.goto(path)
            assert axe_violations(watched.page) == [], path


def test_site_pages_break_no_content_security_policy_rule(site: str, browser: Browser) -> None:
    with open_page(browser, site) as watched:
        for path in [*_site_pages(watched.page, site), "/en/stories/no-such-story"]:
            response = watched.page.goto(site + path)
            assert response is not None
            policy = response.headers["content-security-policy"]
            assert "script-src 'self';" in policy and "'unsafe-inline'" not in policy, path
            if "/stories/" in path and response.ok:
                # JSON-LD is a data block: never executed, so the policy has nothing to refuse.
                assert watched.page.locator('script[type="application/ld+json"]').count() == 1
        assert watched.csp_violations == []
        assert watched.problems() == [
            # The only console line: the browser's own note on the deliberate 404.
            "console: Failed to load resource:"
            " the server responded with a status of 404 (Not Found)"
        ]
