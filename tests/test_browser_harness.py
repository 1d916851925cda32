"""The browser harness catches what it is for: inaccessible markup, CSP refusals, requests out."""

from __future__ import annotations

from playwright.sync_api import Browser, Route

from tests.browser import axe_violations, needs_chromium, open_served_page

pytestmark = needs_chromium

ORIGIN = "http://harness.test"
POLICY = "default-src 'self'; script-src 'self'; img-src 'self'"
FLAWED_PAGE = """<!doctype html>
<html lang="en"><head><title>Flawed</title></head>
<body><main>
<h1>A page with faults</h1>
<img src="/picture.png">
<button></button>
<img src="http://elsewhere.test/tracker.png" alt="">
<script>document.title = "inline script ran";</script>
</main></body></html>
"""


def _serve_flawed_page(route: Route) -> None:
    if route.request.url.endswith("/picture.png"):
        route.fulfill(status=404)
        return
    route.fulfill(
        body=FLAWED_PAGE,
        content_type="text/html",
        headers={"Content-Security-Policy": POLICY},
    )


def _serve_a_picture_from_elsewhere(route: Route) -> None:
    page = '<!doctype html><title>t</title><img src="http://elsewhere.test/a.png">'
    route.fulfill(body=page, content_type="text/html")


def test_the_harness_reports_axe_violations_csp_refusals_and_requests_to_other_origins(
    browser: Browser,
) -> None:
    # The page itself is answered here; the harness still judges every request.
    with open_served_page(browser, ORIGIN, _serve_flawed_page) as watched:
        rules = {violation.rule: violation for violation in axe_violations(watched.page)}
        assert {"image-alt", "button-name"} <= set(rules)
        assert "img" in repr(rules["image-alt"]) and "critical" in repr(rules["image-alt"])
        assert all(v.impact in ("serious", "critical") for v in rules.values())
        assert watched.page.title() == "Flawed"
        refused = {(v.directive, v.blocked) for v in watched.csp_violations}
        assert refused == {
            ("script-src-elem", "inline"),
            ("img-src", "http://elsewhere.test/tracker.png"),
        }
        assert any("Content Security Policy" in error for error in watched.console_errors)
        # The policy refused elsewhere.test before any request was made.
        assert watched.blocked_requests == []


def test_the_harness_blocks_and_records_requests_to_other_origins(browser: Browser) -> None:
    with open_served_page(browser, ORIGIN, _serve_a_picture_from_elsewhere) as watched:
        watched.page.wait_for_load_state("networkidle")
        assert watched.blocked_requests == ["http://elsewhere.test/a.png"]
        assert any("ERR_BLOCKED_BY_CLIENT" in error for error in watched.console_errors)
