"""The public site in a real browser: Debian's chromium driven by Playwright, against a real server.

The server is `newswire serve --demo` in a child process on a free port. Set
NEWSWIRE_SCREENSHOTS=DIR to also save the README's screenshots there.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import bearer, story_json
from tests.processes import ServerProcess

CHROMIUM = Path("/usr/bin/chromium")
ADMIN_TOKEN = "nwa_browser-test-token"
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="/usr/bin/chromium not found (apt-get install chromium)"
    ),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start newswire with the demo stories and one Arabic story; yield its URL."""
    tmp = tmp_path_factory.mktemp("browser")
    server = ServerProcess(
        f"sqlite:///{tmp / 'site.db'}",
        tmp / "server.log",
        "--demo",
        env={"NEWSWIRE_ADMIN_TOKEN": ADMIN_TOKEN},
    )
    try:
        server.wait_ready()
        admin = bearer(ADMIN_TOKEN)
        made = httpx.post(f"{server.url}/v1/editors", json={"name": "Browser"}, headers=admin)
        editor = bearer(made.json()["api_key"])
        arabic = story_json(
            headline="البرلمان يقر الميزانية بعد نقاش طويل",
            summary="أقر البرلمان الميزانية العامة بعد نقاش استمر يومين.",
            language="ar",
            public=True,
        )
        filed = httpx.post(f"{server.url}/v1/stories", json=arabic, headers=editor)
        assert filed.status_code == 201, filed.text
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield chromium
        chromium.close()


def _page(browser: object):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1100, "height": 900})  # type: ignore[attr-defined]
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return page, errors


def test_a_reader_follows_a_story_switches_language_and_searches(
    site: str, browser: object
) -> None:
    page, errors = _page(browser)
    shots = os.environ.get("NEWSWIRE_SCREENSHOTS")
    page.goto(site + "/")
    assert page.locator("h1").inner_text() == "Latest news"
    assert page.locator("html").get_attribute("lang") == "en"
    if shots:
        page.screenshot(path=str(Path(shots) / "home.png"), full_page=False)

    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    assert page.locator("a.skip").is_visible()

    first = page.locator(".story-list h2 a").first
    headline = first.inner_text()
    first.click()
    page.wait_for_load_state()
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

    page.goto(site + "/en/")
    page.get_by_label("Search the summaries").fill("ceasefire")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert "/en/search?q=ceasefire" in page.url
    results = page.locator(".story-list h2 a").all_inner_texts()
    assert any("ceasefire" in title.lower() for title in results), results
    assert errors == []


def test_right_to_left_story_renders_right_to_left(site: str, browser: object) -> None:
    page, errors = _page(browser)
    page.goto(site + "/ar/")
    page.locator(".story-list h2 a").first.click()
    page.wait_for_load_state()
    article = page.locator("article.story")
    assert article.evaluate("e => getComputedStyle(e).direction") == "rtl"
    # The text of a short heading hugs the right edge of its box, not the left one.
    right_gap, left_gap = page.locator("article.story h1").evaluate(
        """e => { const range = document.createRange(); range.selectNodeContents(e);
                  const text = range.getBoundingClientRect(), box = e.getBoundingClientRect();
                  return [box.right - text.right, text.left - box.left]; }"""
    )
    assert right_gap < 2 and left_gap > 100, (right_gap, left_gap)
    assert errors == []


def test_the_site_works_without_javascript(site: str, browser: object) -> None:
    context = browser.new_context(java_script_enabled=False)  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(site + "/en/")
    page.get_by_label("Search the summaries").fill("earthquake")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert page.locator(".story-list h2 a").count() >= 1
    page.locator(".story-list h2 a").first.click()
    page.wait_for_load_state()
    assert page.locator("aside.notice").is_visible()
    context.close()
