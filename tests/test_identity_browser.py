"""Signing in and out in a real browser (Debian's Chromium), against `newswire serve --demo`.

The demo people are the ones `make run` prints. Every page is opened
offline, with console errors and CSP violations collected, and checked with
axe-core.
"""

from __future__ import annotations

import re

from playwright.sync_api import Browser, Page

from newswire.demo.people import COMPANIES, STAFF
from tests.browser import axe_violations, needs_chromium, open_page

pytestmark = needs_chromium

MEMBER = COMPANIES[0][2][1]  # (role, email, name, password) of Demo Daily's member
EDITOR = STAFF[1]


# Posts the account's language as an htmx request (which session.js gives the CSRF token);
# resolves to the status of the answer htmx got.
_CHOOSE_LANGUAGE = """async (language) => {
    const done = new Promise((resolve) => document.addEventListener(
        "htmx:after:request",
        (e) => resolve(e.detail.ctx.response.status),
        {once: true}));
    htmx.ajax("POST", "/portal/account/language",
              {values: {language}, swap: "none", target: "body"});
    return await done;
}"""


def _choose_language_by_htmx(page: Page, language: str) -> int:
    """Choose the signed-in person's language through htmx, as the page would; return the status."""
    status: int = page.evaluate(_CHOOSE_LANGUAGE, language)
    return status


def test_a_member_signs_in_to_the_portal_and_out_again(demo_site: str, browser: Browser) -> None:
    _role, email, name, password = MEMBER
    with open_page(browser, demo_site) as watched:
        page = watched.page
        watched.goto("/portal/sign-in")
        assert page.locator("h1").inner_text() == "Sign in to the subscriber portal"
        assert axe_violations(page) == []
        # Keyboard only: the form starts at Email, Tab goes on to Password, Enter signs in.
        assert page.evaluate("document.activeElement.id") == "f-email"
        page.keyboard.type(email)
        page.keyboard.press("Tab")
        assert page.evaluate("document.activeElement.id") == "f-password"
        page.keyboard.type(password)
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/portal/$"))
        assert page.get_by_role("link", name=f"Signed in as {name}").is_visible()
        assert axe_violations(page) == []
        (cookie,) = [c for c in page.context.cookies() if c["name"] == "nw_portal_session"]
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/portal"
        assert page.evaluate("document.cookie").find("nw_portal_session") == -1

        # An htmx request carries the session's CSRF token in its header (session.js).
        status = _choose_language_by_htmx(page, "tr")
        assert status == 200, "303 to the account page, followed"
        watched.goto("/portal/account")
        assert page.locator("html").get_attribute("lang") == "tr"
        assert page.get_by_role("heading", name="Hesabınız").is_visible()
        # The demo server and its people are shared by every browser test of this run:
        # leave the member speaking English, as the other tests expect to find them.
        restored = _choose_language_by_htmx(page, "en")
        assert restored == 200
        watched.goto("/portal/account")
        assert page.locator("html").get_attribute("lang") == "en"

        page.get_by_role("button", name="Sign out", exact=True).click()
        page.wait_for_url(re.compile(r"/portal/sign-in\?notice=signed-out$"))
        assert page.get_by_role("status").inner_text() == "You signed out."
        watched.goto("/portal/account")
        assert page.url.endswith("/portal/sign-in?next=%2Fportal%2Faccount")
        assert watched.problems() == []


def test_a_wrong_password_is_said_beside_the_form_accessibly(
    demo_site: str, browser: Browser
) -> None:
    _role, email, _name, _password = EDITOR
    with open_page(browser, demo_site) as watched:
        page = watched.page
        watched.goto("/desk/sign-in")
        page.get_by_label("Email").fill(email)
        page.get_by_label("Password").fill("not the demo password")
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state()
        assert page.get_by_role("alert").inner_text() == "Wrong email or password."
        assert page.get_by_label("Email").input_value() == email
        assert axe_violations(page) == []
        # The refusal is a 401 page; Chromium notes any 4xx document in the console.
        assert watched.problems() == [
            "console: Failed to load resource: the server responded with a status of 401"
            " (Unauthorized)"
        ]
