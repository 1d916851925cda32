"""Steps the browser tests share: a demo server of their own, a demo person signed in, a draft.

The demo people (newswire.demo.people) are shared by every browser test of a
session: these steps only sign them in, and change nothing about them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from tests.browser import DEMO_ADMIN_TOKEN, WatchedPage, open_page
from tests.conftest import bearer
from tests.processes import READY_WITHIN, ServerProcess

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# A demo login: (role, email, name, password), as newswire.demo.people lists them.
Login = tuple[object, str, str, str]


@contextmanager
def demo_server(tmp: Path, ready_within: float = READY_WITHIN, **env: str) -> Iterator[str]:
    """Run `newswire serve --demo` on a database in `tmp`, with more environment; yield its URL."""
    server = ServerProcess(
        f"sqlite:///{tmp / 'site.db'}",
        tmp / "server.log",
        "--demo",
        env={"NEWSWIRE_ADMIN_TOKEN": DEMO_ADMIN_TOKEN, **env},
    )
    try:
        server.wait_ready(timeout=ready_within)
        yield server.url
    finally:
        server.stop()


def demo_editor(site: str, name: str) -> dict[str, str]:
    """Create an editor on a demo server through the API; return its headers."""
    made = httpx.post(f"{site}/v1/editors", json={"name": name}, headers=bearer(DEMO_ADMIN_TOKEN))
    assert made.status_code == 201, made.text
    return bearer(made.json()["api_key"])


def sign_in(watched: WatchedPage, area: str, login: Login) -> Page:
    """Sign a demo person in to an area ("desk" or "portal") by its form; return the page."""
    _role, email, _name, password = login
    page = watched.page
    watched.goto(f"/{area}/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(rf"/{area}/$"))
    return page


@contextmanager
def signed_in(
    browser: Browser, site: str, area: str, login: Login
) -> Iterator[tuple[WatchedPage, Page]]:
    """Open a watched page on a site and sign a demo person in to an area; yield both."""
    with open_page(browser, site) as watched:
        yield watched, sign_in(watched, area, login)


def start_a_story(page: Page) -> None:
    """Press the desk's "New story" and wait for the new draft's editor."""
    page.get_by_role("button", name="New story").first.click()
    page.wait_for_url(re.compile(r"/desk/drafts/\w+$"))
