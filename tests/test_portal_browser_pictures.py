"""A story's pictures and the picture wire in a real browser, against `newswire serve --demo`.

Demo Daily buys pictures: its member sees the story's featured picture, drawn
from the preview through the portal's rendition route, with its alt text, and
the picture wire lists it; Demo Sports Radio buys text only and sees no
picture. A picture killed while its story is open leaves the page without a
reload. axe-core finds no serious or critical violation on any of these pages.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Locator

from newswire.demo.people import COMPANIES
from tests.browser import axe_violations, needs_chromium
from tests.browser_steps import demo_editor, signed_in
from tests.conftest import story_json
from tests.media_files import press_photo

pytestmark = needs_chromium

DAILY_MEMBER = COMPANIES[0][2][1]
SPORTS_MEMBER = COMPANIES[1][2][0]
WAIT_MS = 10_000
ALT = "Three red cranes over a container ship at dawn"


@pytest.fixture(scope="module")
def editor(demo_site: str) -> dict[str, str]:
    return demo_editor(demo_site, "Pictures")


def _story_with_picture(site: str, editor: dict[str, str]) -> tuple[str, str]:
    picture = httpx.post(
        f"{site}/v1/media",
        files={"file": ("cranes.jpg", press_photo(), "image/jpeg")},
        data={"alt_text": ALT, "credit_line": "Newswire/Anna de Vries", "categories": "Sport"},
        headers=editor,
        timeout=60,
    )
    assert picture.status_code == 201, picture.text
    media_id = picture.json()["id"]
    story = httpx.post(
        f"{site}/v1/stories",
        json=story_json(
            headline="Harbour regatta sails at dawn",
            categories=["Sport"],
            media=[{"id": media_id, "rel": "featuremedia"}],
        ),
        headers=editor,
    )
    assert story.status_code == 201, story.text
    return str(story.json()["id"]), str(media_id)


def _shot(part: Locator, name: str) -> None:
    shots = os.environ.get("NEWSWIRE_SCREENSHOTS")
    if shots:
        part.screenshot(path=str(Path(shots) / name))


def test_the_story_page_shows_its_picture_with_alt_text_to_a_company_that_buys_pictures(
    demo_site: str, browser: Browser, editor: dict[str, str]
) -> None:
    story_id, media_id = _story_with_picture(demo_site, editor)
    with signed_in(browser, demo_site, "portal", DAILY_MEMBER) as (watched, page):
        watched.goto(f"/portal/stories/{story_id}")
        picture = page.locator(f"#m-{media_id} img")
        picture.wait_for(timeout=WAIT_MS)
        assert picture.get_attribute("alt") == ALT
        assert "/renditions/preview" in (picture.get_attribute("src") or "")
        picture.scroll_into_view_if_needed()
        page.wait_for_function(
            "(img) => img.complete && img.naturalWidth > 0", arg=picture.element_handle()
        )
        assert page.get_by_text("Newswire/Anna de Vries").first.is_visible()
        assert axe_violations(page) == []
        _shot(page.locator("#pictures-heading + figure"), "portal-pictures.png")

        watched.goto("/portal/?media=pictures")
        line = page.locator(f"#s-{media_id}")
        assert line.locator("img").get_attribute("alt") == ALT
        assert axe_violations(page) == []
        line.get_by_role("link").first.click()
        page.wait_for_url(re.compile(rf"/portal/media/{media_id}$"))
        assert page.locator(f"#m-{media_id} img").get_attribute("alt") == ALT
        assert axe_violations(page) == []

        watched.goto(f"/portal/stories/{story_id}")
        page.locator("html[data-live=open]").wait_for(state="attached", timeout=WAIT_MS)
        killed = httpx.post(
            f"{demo_site}/v1/media/{media_id}/kill", json={"reason": "Wrong port"}, headers=editor
        )
        assert killed.status_code == 200, killed.text
        # The open page drops the killed picture without a reload.
        page.locator(f"#m-{media_id}").wait_for(state="detached", timeout=WAIT_MS)
        assert page.locator("#pictures-heading").count() == 0
        assert page.get_by_role("heading", name="Harbour regatta sails at dawn").is_visible()
        assert axe_violations(page) == []
        assert watched.problems() == []

    # The sports member's company buys Sport, text only.
    with signed_in(browser, demo_site, "portal", SPORTS_MEMBER) as (watched, page):
        watched.goto(f"/portal/stories/{story_id}")
        assert page.get_by_role("heading", name="Harbour regatta sails at dawn").is_visible()
        assert page.locator("#pictures-heading").count() == 0
        assert page.locator("img").count() == 0
        assert axe_violations(page) == []
        preview = page.request.get(f"{demo_site}/portal/media/{media_id}/renditions/preview")
        assert preview.status == 404
