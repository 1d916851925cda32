"""The API docs work offline: Swagger UI and ReDoc in Chromium with every other origin blocked."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
from playwright.sync_api import Browser

from tests.browser import CspViolation, WatchedPage, needs_chromium, open_page

pytestmark = needs_chromium

# ReDoc 2 always draws a "by Redocly" logo from its makers' CDN; the CSP refuses
# it before any request leaves the page, and ReDoc then hides the image.
REDOC_LOGO = CspViolation("img-src", "https://cdn.redoc.ly/redoc/logo-mini.svg", "", 0, "")
HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def _operations(site: str) -> dict[tuple[str, str], dict[str, Any]]:
    """Return the server's OpenAPI operations by (METHOD, path)."""
    document = httpx.get(f"{site}/openapi.json").json()
    return {
        (method.upper(), path): operation
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in HTTP_METHODS
    }


@contextmanager
def _drawn(browser: Browser, site: str, path: str, selector: str) -> Iterator[WatchedPage]:
    """Open a docs page with other origins blocked; yield it once its script drew `selector`."""
    with open_page(browser, site) as watched:
        watched.goto(path)
        # The renderer fetches /openapi.json and draws it: slow on a busy machine.
        watched.page.locator(selector).first.wait_for(timeout=30_000)
        yield watched


def test_swagger_ui_lists_the_operations_with_the_network_blocked(
    demo_site: str, browser: Browser
) -> None:
    with _drawn(browser, demo_site, "/docs", ".opblock") as watched:
        page = watched.page
        shown = {
            (block.locator(".opblock-summary-method").inner_text(), path)
            for block in page.locator(".opblock").all()
            for path in [block.locator(".opblock-summary-path").inner_text()]
        }
        assert {("GET", "/v1/feed"), ("POST", "/v1/stories"), ("GET", "/v1/stream")} <= shown
        assert shown == set(_operations(demo_site))

        # An operation opens to its parameters, rendered from the document.
        page.locator("#operations-feed-read_feed_v1_feed_get .opblock-summary").click()
        parameters = page.locator("#operations-feed-read_feed_v1_feed_get .parameter__name")
        parameters.first.wait_for()
        assert "after" in " ".join(parameters.all_inner_texts())
        assert watched.problems() == []


def test_redoc_renders_the_document_with_the_network_blocked(
    demo_site: str, browser: Browser
) -> None:
    with _drawn(browser, demo_site, "/redoc", "h1") as watched:
        page = watched.page
        heading = page.locator("h1")
        assert heading.first.inner_text().startswith("newswire")
        # Every operation gets a heading with its summary, the feed's among them.
        headings = set(page.locator("h2").all_inner_texts())
        operations = _operations(demo_site)
        summaries = {operation["summary"] for operation in operations.values()}
        assert operations[("GET", "/v1/feed")]["summary"] in headings
        assert summaries <= headings, summaries - headings
        assert page.get_by_text("/v1/feed", exact=True).count() >= 1
        assert watched.blocked_requests == []
        assert watched.csp_violations == [REDOC_LOGO]
        assert [error for error in watched.console_errors if REDOC_LOGO.blocked not in error] == []
