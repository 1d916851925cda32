"""The newsroom desk end to end in a real browser (Debian's Chromium), against `serve --demo`.

A reporter writes and submits; an editor watching the monitoring view sees it
arrive without reloading, opens it (the chief, a second editor, sees the lock),
previews it and publishes it with a double-click that files once; a
subscriber's SSE stream receives it; the public site shows its summary; the
editor corrects it, then kills it, and the site withdraws it. An editor adds a
picture while typing and loses no text. Every desk page passes axe-core (no
serious or critical violations) with no console errors.
"""

from __future__ import annotations

import json
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from newswire.demo.people import STAFF
from tests.browser import DEMO_ADMIN_TOKEN, WatchedPage, axe_violations, needs_chromium, open_page
from tests.browser_steps import demo_server, sign_in, signed_in, start_a_story
from tests.media_files import press_photo
from tests.processes import scaled

pytestmark = needs_chromium

REPORTER, EDITOR, CHIEF = STAFF[0], STAFF[1], STAFF[2]
ADMIN = {"Authorization": f"Bearer {DEMO_ADMIN_TOKEN}"}
HEADLINE = "Harbour reopens after week-long strike"
SUMMARY = "Dock workers returned after a pay deal was signed."
BODY = "The harbour reopened on Monday.\n\nShips queued outside for a week."
SECTIONS = "World,Europe,Africa,Asia,Politics,Economy,Sport,Football,Tennis,Culture,Science"
SECTIONS += ",Health,Environment,Turkey"

# Playwright waits: as long on a quiet machine as they were, stretched under load.
WAIT_MS = int(scaled(10) * 1000)
LONG_WAIT_MS = int(scaled(15) * 1000)


@pytest.fixture(scope="module")
def desk_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Run `newswire serve --demo` with a section vocabulary; yield its base URL."""
    # The demo hashes four passwords as it starts; the machine is shared.
    with demo_server(
        tmp_path_factory.mktemp("desk-site"), ready_within=90, NEWSWIRE_SECTIONS=SECTIONS
    ) as url:
        yield url


def _shot(page: Page, name: str) -> None:
    shots = os.environ.get("NEWSWIRE_SCREENSHOTS")
    if shots:
        page.screenshot(path=str(Path(shots) / f"desk-{name}.png"), full_page=True)


def _no_problems(watched: WatchedPage) -> None:
    assert axe_violations(watched.page) == []
    assert watched.problems() == []


class Subscriber(threading.Thread):
    """A subscriber's SSE client, collecting the events of our story."""

    def __init__(self, base: str) -> None:
        super().__init__(daemon=True)
        made = httpx.post(
            f"{base}/v1/subscribers", json={"name": "Desk test"}, headers=ADMIN, timeout=10
        )
        assert made.status_code == 201, made.text
        self.key = made.json()["api_key"]
        self.base = base
        self.events: list[dict[str, object]] = []
        self.ready = threading.Event()
        self.got_ours = threading.Event()

    def run(self) -> None:
        headers = {"Authorization": f"Bearer {self.key}"}
        with httpx.stream(
            "GET", f"{self.base}/v1/stream", headers=headers, timeout=httpx.Timeout(60, read=60)
        ) as response:
            self.ready.set()
            for line in response.iter_lines():
                if line.startswith("data:") and HEADLINE in line:
                    self.events.append(json.loads(line[5:]))
                    self.got_ours.set()
                    return


def test_a_story_goes_from_reporter_to_editor_to_the_wire_and_off_it_again(
    desk_site: str, browser: Browser
) -> None:
    subscriber = Subscriber(desk_site)
    subscriber.start()
    assert subscriber.ready.wait(10)
    with (
        open_page(browser, desk_site) as editor,
        open_page(browser, desk_site) as reporter,
        open_page(browser, desk_site) as chief,
    ):
        # The editor watches the monitoring view.
        board = sign_in(editor, "desk", EDITOR)
        expect(board.locator("#board[data-connected=true]")).to_have_count(1)
        _no_problems(editor)

        # The reporter writes a story and submits it.
        write = sign_in(reporter, "desk", REPORTER)
        start_a_story(write)
        write.get_by_label("Headline").fill(HEADLINE)
        write.get_by_label("Summary").fill(SUMMARY)
        write.get_by_label("Body").fill(BODY)
        write.get_by_label("Dateline").fill("ROTTERDAM")
        write.get_by_role("group", name="Sections").get_by_label("World").check()
        write.get_by_role("group", name="Sections").get_by_label("Europe").check()
        expect(write.locator("#save-status")).to_contain_text(
            re.compile(r"Saved: version [2-9]"), timeout=WAIT_MS
        )
        _no_problems(reporter)
        write.get_by_role("button", name="Submit to desk").click()
        expect(write.get_by_role("status").first).to_have_text("Submitted to the desk.")

        # It appears in the editor's Incoming column without a reload.
        incoming = board.locator("section.column").first
        expect(incoming.get_by_role("link", name=re.compile(HEADLINE))).to_be_visible(
            timeout=LONG_WAIT_MS
        )
        _shot(board, "monitoring")
        board.keyboard.press("/")
        board.keyboard.type("harbour reopens")
        expect(board.locator("[data-item]:visible")).to_have_count(1)
        incoming.get_by_role("link", name=re.compile(HEADLINE)).click()
        board.wait_for_url(re.compile(r"/desk/drafts/\w+$"))
        draft_url = board.url
        _no_problems(editor)

        # The chief (a second editor) sees who holds it.
        look = sign_in(chief, "desk", CHIEF)
        look.goto(draft_url)
        expect(look.get_by_role("alert")).to_contain_text("Demo Editor is editing this story")
        expect(look.get_by_label("Headline")).to_be_disabled()
        expect(look.get_by_role("button", name="Force unlock")).to_be_visible()
        _shot(look, "locked")
        _no_problems(chief)

        # The editor previews the public summary and a subscriber format.
        page = board
        page.get_by_label("Public").check()
        page.get_by_role("link", name="Public summary").click()
        expect(page.locator("#preview")).to_contain_text(SUMMARY)
        _shot(page, "editor")
        page.get_by_role("link", name="NITF").click()
        expect(page.locator("#preview")).to_contain_text("<nitf")
        _no_problems(editor)

        # Publish, with a double-click: it files once.
        page.get_by_role("button", name="Publish", exact=True).dblclick()
        expect(page.get_by_role("status").first).to_have_text("Published on the wire.")
        assert subscriber.got_ours.wait(15), "the subscriber's stream received it"
        assert subscriber.events[0]["type"] == "story.published"
        listed = httpx.get(f"{desk_site}/v1/stories", headers=ADMIN).json()["stories"]
        ours = [story for story in listed if story["headline"] == HEADLINE]
        assert len(ours) == 1 and ours[0]["version"] == 1
        assert ours[0]["author"]["name"] == "Demo Editor"
        home = httpx.get(f"{desk_site}/en/")
        assert HEADLINE in home.text
        _no_problems(editor)

        # Correct it, then kill it.
        page.get_by_label("Body").fill(BODY.replace("Monday", "Tuesday"))
        page.get_by_label("Editorial note").fill("Corrects the day the harbour reopened.")
        page.get_by_role("button", name="Publish as correction").click()
        expect(page.get_by_role("status").first).to_have_text("The correction is on the wire.")
        page.get_by_text("Kill story", exact=True).first.click()
        page.get_by_label("Reason").fill("The port authority withdrew its statement.")
        page.get_by_role("button", name="Kill story").click()
        expect(page.get_by_role("status").first).to_have_text(
            "The story was killed; subscribers were told."
        )
        _no_problems(editor)
        versions = httpx.get(f"{desk_site}/v1/stories/{ours[0]['id']}/versions", headers=ADMIN)
        changes = [version["change"] for version in versions.json()["versions"]]
        assert changes == ["story.published", "story.corrected", "story.killed"]
        assert HEADLINE not in httpx.get(f"{desk_site}/en/").text
        editor.goto(f"/desk/stories/{ours[0]['id']}/history")
        expect(page.get_by_role("region", name="What changed from version 2 to 3")).to_be_visible()
        assert page.get_by_role("cell", name="Demo Editor").count() == 3
        _shot(page, "history")
        _no_problems(editor)


def test_every_desk_page_passes_axe_in_english_and_turkish(
    desk_site: str, browser: Browser
) -> None:
    with signed_in(browser, desk_site, "desk", CHIEF) as (watched, page):
        for path in ("/desk/", "/desk/mine", "/desk/spiked"):
            watched.goto(path)
            _no_problems(watched)
        start_a_story(page)
        _no_problems(watched)
        page.keyboard.press("?")
        expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
        _shot(page, "shortcuts")
        _no_problems(watched)
        page.keyboard.press("Escape")
        # The Media Topics picker: search, choose a narrower topic, and it is saved.
        page.get_by_label("Subjects").fill("electi")
        found = page.get_by_role("list", name="Matching topics")
        expect(found.get_by_role("button", name="election (politics)")).to_be_visible()
        expect(found).to_contain_text("(politics)")
        found.get_by_role("button", name="local elections").first.click()
        chosen = page.get_by_role("list", name="Chosen topics")
        expect(chosen).to_contain_text("local elections", timeout=LONG_WAIT_MS)
        assert chosen.locator('input[name="subjects"]').get_attribute("value") == "medtop:20000578"
        _no_problems(watched)
        # The body's editor writes HTML the server keeps; a reload loses nothing.
        page.get_by_label("Body").fill("Ships queued.")
        page.keyboard.press("Enter")
        page.keyboard.type("Sub-head")
        page.get_by_role("toolbar", name="Formatting").get_by_role(
            "button", name="Sub-head"
        ).click()
        body_field = page.locator("#f-body")
        expect(body_field).to_have_value("<p>Ships queued.</p><h2>Sub-head</h2>")
        page.reload()
        expect(body_field).to_have_value("<p>Ships queued.</p><h2>Sub-head</h2>")
        expect(page.get_by_role("list", name="Chosen topics")).to_contain_text("local elections")
        # Arabic: the story's fields turn right-to-left with its language.
        page.get_by_label("Language").fill("ar")
        page.get_by_label("Language").dispatch_event("change")
        assert page.get_by_label("Headline").get_attribute("dir") == "rtl"
        assert page.get_by_label("Headline").get_attribute("lang") == "ar"
        page.get_by_label("Headline").fill("إعادة فتح الميناء")
        expect(page.locator("#save-status")).to_contain_text(
            re.compile(r"Saved: version [2-9]"), timeout=WAIT_MS
        )
        page.reload()
        assert page.get_by_label("Headline").get_attribute("dir") == "rtl"
        watched.goto(page.url.replace(watched.origin, "") + "/preview?format=summary")
        _no_problems(watched)


def test_an_editor_adds_a_picture_while_typing_and_loses_no_text(
    desk_site: str, browser: Browser
) -> None:
    with signed_in(browser, desk_site, "desk", CHIEF) as (watched, page):
        watched.goto("/desk/setup")
        _no_problems(watched)
        watched.goto("/desk/")
        start_a_story(page)
        # Typed but not yet autosaved: the upload saves it first, at the version it makes.
        page.get_by_label("Headline").fill("Ferry at dawn")
        page.get_by_label("Upload a picture").set_input_files(
            {"name": "ferry.jpg", "mimeType": "image/jpeg", "buffer": press_photo((800, 600))}
        )
        page.get_by_label("Caption").fill("The first ferry leaves")
        page.get_by_label("Text alternative").fill("A ferry leaving the harbour")
        page.get_by_role("button", name="Upload", exact=True).click()
        expect(page.get_by_role("status").filter(has_text="pictures are saved")).to_be_visible(
            timeout=LONG_WAIT_MS
        )
        expect(page.get_by_label("Headline")).to_have_value("Ferry at dawn")
        thumbnail = page.get_by_role("img", name="A ferry leaving the harbour")
        expect(thumbnail).to_be_visible()
        page.wait_for_function(
            "img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle()
        )
        expect(page.get_by_text("Featured", exact=True)).to_be_visible()
        _no_problems(watched)
