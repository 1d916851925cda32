"""The vendored htmx and its SSE extension work under the strict policy every page gets.

The desk and the portal will be built on them; this shows, before they exist,
that a click swap and a streamed event swap need nothing the policy refuses.
"""

from __future__ import annotations

from playwright.sync_api import Browser, Route

from newswire.web.security import STRICT_POLICY
from newswire.web.static import STATIC_ROOT, vendor_url
from tests.browser import needs_chromium, open_served_page

pytestmark = needs_chromium

ORIGIN = "http://desk.test"
PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>htmx under CSP</title>
<script src="{vendor_url("htmx.org", "htmx.min.js")}"></script>
<script src="{vendor_url("htmx.org", "hx-sse.min.js")}"></script>
</head><body><main>
<button hx-get="/fragment" hx-target="#result">Load</button>
<p id="result">before</p>
<div hx-sse:connect="/events"><p>waiting</p></div>
</main></body></html>
"""
EVENTS = "id: 7\ndata: <p id=streamed>story 7 arrived</p>\n\n"


def _serve(route: Route) -> None:
    path = route.request.url.removeprefix(ORIGIN)
    if path.startswith("/static/"):
        route.fulfill(
            path=str(STATIC_ROOT / path.removeprefix("/static/")), content_type="text/javascript"
        )
    elif path == "/fragment":
        route.fulfill(body="<strong>after</strong>", content_type="text/html")
    elif path == "/events":
        route.fulfill(body=EVENTS, content_type="text/event-stream")
    else:
        route.fulfill(
            body=PAGE,
            content_type="text/html",
            headers={"Content-Security-Policy": STRICT_POLICY.header()},
        )


def test_htmx_swaps_a_fragment_and_a_streamed_event_without_a_csp_violation(
    browser: Browser,
) -> None:
    with open_served_page(browser, ORIGIN, _serve) as watched:
        watched.page.get_by_role("button", name="Load").click()
        watched.page.locator("#result strong").wait_for()
        assert watched.page.locator("#result").inner_text() == "after"
        assert watched.page.locator("#streamed").inner_text() == "story 7 arrived"
        assert watched.problems() == []
