"""The story body's rich-text editor in a real browser (Debian's Chromium), against `serve --demo`.

An editor writes two paragraphs, a sub-head, a bulleted list, a link and bold
text through the toolbar and the keyboard shortcuts; the autosave stores that
HTML in the draft; publishing files a story whose body carries those elements,
sanitized. Pasted HTML keeps only its text and the kept elements; an Arabic
story's body runs right to left; the page passes axe-core with no console
errors or CSP violations.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from newswire.demo.people import STAFF
from tests.browser import DEMO_ADMIN_TOKEN, WatchedPage, axe_violations, needs_chromium, open_page
from tests.browser_steps import demo_server, sign_in, start_a_story
from tests.processes import scaled

pytestmark = needs_chromium

EDITOR = STAFF[1]
ADMIN = {"Authorization": f"Bearer {DEMO_ADMIN_TOKEN}"}
WAIT_MS = int(scaled(10) * 1000)
LONG_WAIT_MS = int(scaled(20) * 1000)
HEADLINE = "Harbour tolls rise for the first time in a decade"
LINK = "https://port.example/notice"
WRITTEN = (
    "<p>The port raised its tolls on Monday.</p>"
    "<p>Shipping lines were told in a letter.</p>"
    "<h2>What changes</h2>"
    "<ul><li>Container ships</li><li>Ferries</li></ul>"
    f'<p>Read the <a href="{LINK}">notice</a>. <strong>Fees double.</strong></p>'
)
PASTED = (
    '<p style="color: red">Hello <span style="font-weight: bold">big</span> <b>world</b>'
    "<script>window.pwned = 1</script></p>"
    '<div onclick="window.pwned = 2">Second <i class="x">line</i></div>'
    '<img src="x" onerror="window.pwned = 3"><style>p { color: red }</style>'
)


@pytest.fixture(scope="module")
def desk_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Run `newswire serve --demo`; yield its base URL."""
    # The demo hashes passwords as it starts; the machine is shared.
    with demo_server(tmp_path_factory.mktemp("richtext-site"), ready_within=90) as url:
        yield url


def _new_story(watched: WatchedPage) -> Page:
    page = sign_in(watched, "desk", EDITOR)
    start_a_story(page)
    return page


def _shot(page: Page) -> None:
    shots = os.environ.get("NEWSWIRE_SCREENSHOTS")
    if shots:
        page.locator(".body-field").screenshot(path=str(Path(shots) / "desk-body-editor.png"))


def _tool(page: Page, name: str) -> None:
    page.get_by_role("toolbar", name="Formatting").get_by_role("button", name=name).click()


def _link_to(page: Page, address: str) -> None:
    # The toolbar's link form takes the focus; Enter adds the link and gives it back.
    field = page.get_by_label("Link address (https://...)")
    expect(field).to_be_focused()
    field.fill(address)
    field.press("Enter")
    expect(page.get_by_role("textbox", name="Body")).to_be_focused()
    expect(field).to_be_hidden()


def _saved(page: Page) -> None:
    expect(page.locator("#save-status")).to_contain_text(
        re.compile(r"Saved: version [2-9]"), timeout=LONG_WAIT_MS
    )


def _no_problems(watched: WatchedPage) -> None:
    assert axe_violations(watched.page) == []
    assert watched.problems() == []


def test_an_editor_formats_the_body_and_the_wire_carries_it(
    desk_site: str, browser: Browser
) -> None:
    with open_page(browser, desk_site) as watched:
        page = _new_story(watched)
        draft_id = page.url.rsplit("/", 1)[1]
        page.get_by_label("Headline").fill(HEADLINE)
        page.get_by_label("Summary").fill("The first rise in ten years.")
        body = page.get_by_role("textbox", name="Body")
        expect(body).to_have_attribute("contenteditable", "true")
        expect(page.locator("#f-body")).to_be_hidden()  # the field, kept filled
        _no_problems(watched)

        body.click()
        keys = page.keyboard
        keys.type("The port raised its tolls on Monday.")
        keys.press("Enter")
        keys.type("Shipping lines were told in a letter.")
        keys.press("Enter")
        keys.type("What changes")
        _tool(page, "Sub-head")
        keys.press("End")
        keys.press("Enter")
        _tool(page, "Bulleted list")
        keys.type("Container ships")
        keys.press("Enter")
        keys.type("Ferries")
        keys.press("Enter")
        keys.press("Enter")  # an empty item ends the list
        keys.type("Read the notice")
        for _ in "notice":
            keys.press("Shift+ArrowLeft")
        _tool(page, "Link")
        _link_to(page, LINK)
        keys.press("End")
        keys.type(". ")
        keys.press("Control+b")
        keys.type("Fees double.")
        expect(page.locator("#f-body")).to_have_value(WRITTEN, timeout=WAIT_MS)
        expect(
            page.get_by_role("toolbar", name="Formatting").get_by_role("button", name="Bold")
        ).to_have_attribute("aria-pressed", "true")
        _shot(page)
        expect(page.locator("#f-body-count")).to_contain_text("24 / 3000 words")

        # Ctrl+K links too, and Ctrl+I makes italics (then both are undone by hand).
        keys.press("Control+b")
        keys.type(" Later")
        for _ in "Later":
            keys.press("Shift+ArrowLeft")
        keys.press("Control+i")
        assert "<em>Later</em></p>" in page.locator("#f-body").input_value()
        keys.press("Control+k")
        _link_to(page, "port.example/later")
        expect(page.locator("#f-body")).to_have_value(
            re.compile(r'<em><a href="https://port\.example/later">Later</a></em></p>$'),
            timeout=WAIT_MS,
        )
        keys.press("End")
        for _ in " Later":
            keys.press("Backspace")
        expect(page.locator("#f-body")).to_have_value(WRITTEN, timeout=WAIT_MS)
        _no_problems(watched)

        # The autosave stores the HTML; the server's gate sanitizes it when it is filed.
        _saved(page)
        stored = httpx.get(f"{desk_site}/v1/drafts/{draft_id}", headers=ADMIN).json()
        assert stored["fields"]["body"] == WRITTEN
        page.get_by_role("button", name="Publish", exact=True).click()
        expect(page.get_by_role("status").first).to_have_text(
            "Published on the wire.", timeout=LONG_WAIT_MS
        )
        listed = httpx.get(f"{desk_site}/v1/stories", headers=ADMIN).json()["stories"]
        (ours,) = [story for story in listed if story["headline"] == HEADLINE]
        story = httpx.get(f"{desk_site}/v1/stories/{ours['id']}", headers=ADMIN).json()
        (main,) = [body for body in story["bodies"] if body["role"] == "main"]
        assert main["value"] == WRITTEN.replace(
            f'href="{LINK}"', f'href="{LINK}" rel="noopener noreferrer"'
        )


def test_pasting_keeps_only_text_and_the_kept_elements(desk_site: str, browser: Browser) -> None:
    with open_page(browser, desk_site) as watched:
        page = _new_story(watched)
        body = page.get_by_role("textbox", name="Body")
        body.click()
        page.keyboard.type("Before.")
        page.keyboard.press("Enter")
        body.evaluate(
            """(region, html) => {
              const data = new DataTransfer();
              data.setData("text/html", html);
              data.setData("text/plain", "plain");
              region.dispatchEvent(new ClipboardEvent(
                "paste", {clipboardData: data, bubbles: true, cancelable: true}));
            }""",
            PASTED,
        )
        expect(page.locator("#f-body")).to_have_value(
            "<p>Before.</p><p>Hello big <strong>world</strong></p><p>Second <em>line</em></p>",
            timeout=WAIT_MS,
        )
        region_html = body.inner_html()
        for kept_out in ("style", "<span", "<script", "onclick", "onerror", "<img", "class="):
            assert kept_out not in region_html, (kept_out, region_html)
        assert page.evaluate("window.pwned") is None
        _saved(page)
        assert watched.problems() == []


def test_an_arabic_storys_body_runs_right_to_left(desk_site: str, browser: Browser) -> None:
    with open_page(browser, desk_site) as watched:
        page = _new_story(watched)
        body = page.get_by_role("textbox", name="Body")
        expect(body).to_have_attribute("dir", "ltr")
        page.get_by_label("Language").fill("ar")
        page.get_by_label("Language").dispatch_event("change")
        expect(body).to_have_attribute("dir", "rtl")
        expect(body).to_have_attribute("lang", "ar")
        assert body.get_attribute("spellcheck") == "true"
        body.click()
        page.keyboard.type("أعيد فتح الميناء يوم الاثنين.")
        _saved(page)
        page.reload()
        body = page.get_by_role("textbox", name="Body")
        expect(body).to_have_attribute("dir", "rtl")
        expect(body).to_have_text("أعيد فتح الميناء يوم الاثنين.")
        _no_problems(watched)


def test_without_javascript_the_body_is_a_plain_textarea(desk_site: str, browser: Browser) -> None:
    with open_page(browser, desk_site, javascript=False) as watched:
        page = _new_story(watched)
        expect(page.get_by_label("Body")).to_be_visible()
        assert page.get_by_label("Body").evaluate("field => field.nodeName") == "TEXTAREA"
        expect(page.get_by_role("toolbar", name="Formatting")).to_have_count(0)


def test_the_toolbar_is_one_tab_stop_and_makes_quotes_lists_and_paragraphs(
    desk_site: str, browser: Browser
) -> None:
    with open_page(browser, desk_site) as watched:
        page = _new_story(watched)
        keys = page.keyboard
        toolbar = page.get_by_role("toolbar", name="Formatting")
        # Summary, then the toolbar (one stop, arrows move along it), then the body.
        page.get_by_label("Summary").focus()
        keys.press("Tab")
        expect(toolbar.get_by_role("button", name="Paragraph")).to_be_focused()
        keys.press("ArrowRight")
        expect(toolbar.get_by_role("button", name="Sub-head")).to_be_focused()
        keys.press("End")
        expect(toolbar.get_by_role("button", name="Italic")).to_be_focused()
        keys.press("Tab")
        expect(page.get_by_role("textbox", name="Body")).to_be_focused()

        keys.type("We had no choice, the mayor said.")
        _tool(page, "Quote")
        keys.press("End")
        keys.press("Enter")
        _tool(page, "Paragraph")
        keys.type("Two steps")
        _tool(page, "Sub-head")
        keys.press("End")
        keys.press("Enter")
        _tool(page, "Numbered list")
        keys.type("First")
        keys.press("Enter")
        keys.type("Second")
        expect(page.locator("#f-body")).to_have_value(
            "<blockquote><p>We had no choice, the mayor said.</p></blockquote>"
            "<h2>Two steps</h2><ol><li>First</li><li>Second</li></ol>",
            timeout=WAIT_MS,
        )
        # Paragraph (or Sub-head again) turns a sub-head back into text.
        page.get_by_role("textbox", name="Body").get_by_text("Two steps").click()
        _tool(page, "Sub-head")
        expect(page.locator("#f-body")).to_have_value(
            re.compile(r"</blockquote><p>Two steps</p><ol>"), timeout=WAIT_MS
        )
        # Escape leaves the link form without linking anything.
        before = page.locator("#f-body").input_value()
        keys.press("Control+k")
        expect(page.get_by_label("Link address (https://...)")).to_be_focused()
        keys.press("Escape")
        expect(page.get_by_role("textbox", name="Body")).to_be_focused()
        expect(page.get_by_label("Link address (https://...)")).to_be_hidden()
        assert page.locator("#f-body").input_value() == before
        _saved(page)
        _no_problems(watched)
