"""The browser-test harness: Debian's Chromium driven by Playwright, offline, with axe-core.

Registered as a pytest plugin in conftest.py, so any test module can ask for
the `browser` and `demo_site` fixtures. `open_page` gives a page whose every
request to another origin is aborted and recorded (a page that works with it
works offline), and that collects console errors and Content-Security-Policy
violations. `axe_violations` runs axe-core (tests/assets, vendored by
scripts/vendor_assets.py) on the page as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

from tests.processes import ServerProcess

if TYPE_CHECKING:
    from playwright.sync_api import Browser, ConsoleMessage, Page, Route

CHROMIUM = Path("/usr/bin/chromium")
LAUNCH_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NO_CHROMIUM = (
    f"browser tests NOT RUN: Debian's Chromium is missing at {CHROMIUM}"
    " (apt-get install chromium); Playwright never downloads a browser"
)
ASSETS = Path(__file__).resolve().parent / "assets"
DEMO_ADMIN_TOKEN = "nwa_browser-test-token"

# Every browser test module sets `pytestmark = needs_chromium`.
needs_chromium = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason=NO_CHROMIUM),
]

# Reports each violation to the test as it happens, across navigations; the
# listener is installed by the debugger protocol, which the page's CSP does not govern.
_REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__newswireCspViolation({
    directive: event.effectiveDirective,
    blocked: event.blockedURI,
    source: event.sourceFile,
    line: event.lineNumber,
    sample: event.sample,
  });
});
"""


@dataclass(frozen=True)
class CspViolation:
    """One thing the page's Content-Security-Policy refused, as the browser reported it."""

    directive: str
    blocked: str
    source: str
    line: int
    sample: str


@dataclass
class WatchedPage:
    """A page and what it did that a test must see: console errors, CSP violations, requests."""

    page: Page
    origin: str
    console_errors: list[str] = field(default_factory=list)
    csp_violations: list[CspViolation] = field(default_factory=list)
    blocked_requests: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        """Return the absolute URL of a path on the server under test."""
        return self.origin + path

    def goto(self, path: str) -> None:
        """Open a path on the server under test and wait for the page to load."""
        response = self.page.goto(self.url(path))
        assert response is not None and response.ok, (path, response and response.status)

    def problems(self) -> list[str]:
        """Return every console error, CSP violation and blocked request, readably."""
        return [
            *(f"console: {text}" for text in self.console_errors),
            *(f"CSP: {violation}" for violation in self.csp_violations),
            *(f"blocked request to another origin: {url}" for url in self.blocked_requests),
        ]


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@contextmanager
def open_page(
    browser: Browser,
    origin: str,
    *,
    offline: bool = True,
    javascript: bool = True,
    viewport: tuple[int, int] = (1100, 900),
) -> Iterator[WatchedPage]:
    """Open a page in a fresh context; with `offline`, abort every request to another origin."""
    width, height = viewport
    context = browser.new_context(
        java_script_enabled=javascript, viewport={"width": width, "height": height}
    )
    watched = WatchedPage(context.new_page(), _origin(origin))

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            watched.console_errors.append(message.text)

    def on_violation(report: dict[str, Any]) -> None:
        watched.csp_violations.append(
            CspViolation(
                report["directive"],
                report["blocked"],
                report["source"],
                int(report["line"]),
                report["sample"],
            )
        )

    def only_this_origin(route: Route) -> None:
        if _origin(route.request.url) == watched.origin:
            route.continue_()
        else:
            watched.blocked_requests.append(route.request.url)
            route.abort("blockedbyclient")

    context.expose_function("__newswireCspViolation", on_violation)
    context.add_init_script(_REPORT_CSP_VIOLATIONS)
    if offline:
        context.route("**/*", only_this_origin)
    watched.page.on("console", on_console)
    watched.page.on("pageerror", lambda error: watched.console_errors.append(str(error)))
    try:
        yield watched
    finally:
        context.close()


@contextmanager
def open_served_page(
    browser: Browser, origin: str, serve: Callable[[Route], None]
) -> Iterator[WatchedPage]:
    """Open a page at an origin's "/" whose every request there `serve` answers (no server).

    The harness still watches it: other origins stay blocked, CSP refusals and
    console errors are recorded.
    """
    with open_page(browser, origin) as watched:
        watched.page.route(f"{origin}/**", serve)
        watched.goto("/")
        yield watched


@dataclass(frozen=True)
class AxeViolation:
    """One axe-core rule a page breaks, with the elements that break it."""

    rule: str
    impact: str
    help: str
    nodes: tuple[str, ...]

    def __repr__(self) -> str:
        where = "; ".join(self.nodes[:5]) + (" ..." if len(self.nodes) > 5 else "")
        return f"<{self.rule} ({self.impact}): {self.help} at {where}>"


def _axe_source() -> str:
    (script,) = sorted(ASSETS.glob("axe-core-*/axe.min.js"))
    return script.read_text(encoding="utf-8")


_RUN_AXE = """async (impacts) => {
  const results = await axe.run(document, { resultTypes: ["violations"] });
  return results.violations
    .filter((violation) => impacts.includes(violation.impact))
    .map((violation) => ({
      rule: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.map((node) => node.target.join(" ") + ": " + node.failureSummary),
    }));
}"""


def axe_violations(
    page: Page, impacts: Sequence[str] = ("serious", "critical")
) -> list[AxeViolation]:
    """Run axe-core on the page as it is; return the violations of these impacts.

    `assert axe_violations(page) == []` fails with each rule id, its help text
    and the elements at fault.
    """
    if page.evaluate("typeof window.axe") == "undefined":
        # Evaluated through the debugger protocol: a <script> tag would be refused by the CSP.
        page.evaluate(_axe_source())
    found = page.evaluate(_RUN_AXE, list(impacts))
    return [
        AxeViolation(item["rule"], item["impact"], item["help"], tuple(item["nodes"]))
        for item in found
    ]


# Per module, not per session: Playwright's sync API keeps an event loop running
# in this thread while it is open, which would break the anyio tests after it.
@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Launch Debian's Chromium for a test module (skipped, loudly, when it is missing)."""
    if not CHROMIUM.exists():
        pytest.skip(NO_CHROMIUM)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Run `newswire serve --demo` on SQLite in a child process; yield its base URL."""
    tmp = tmp_path_factory.mktemp("demo-site")
    server = ServerProcess(
        f"sqlite:///{tmp / 'site.db'}",
        tmp / "server.log",
        "--demo",
        env={"NEWSWIRE_ADMIN_TOKEN": DEMO_ADMIN_TOKEN},
    )
    try:
        server.wait_ready(timeout=90)  # the demo hashes seven passwords; the machine is shared
        yield server.url
    finally:
        server.stop()
