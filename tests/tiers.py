"""The suite's tiers, its guard against left-over servers, and its refusal of silent skips.

Tiers, by what a test needs (select one with `pytest -m <tier>`):

- `unit`: nothing but Python (no database file, no socket, no process);
- `api`: the app over ASGI on a SQLite file (or other temporary files);
- `system` (`slow`, or a `browser` test): real processes and sockets;
- `distributed` (`postgres`): PostgreSQL and NATS JetStream.

A test gets its tier here, from its markers and fixtures, so no test file has
to repeat it. With `CI=true`, a test skipped because Chromium, PostgreSQL/NATS
or `../shared` is missing fails the run: CI that did not run a tier is not green.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.processes import running, stop_left_running

# Fixtures that mean "this test touches files or a database": the API tier.
_API_FIXTURES = {"tmp_path", "tmp_path_factory", "db_path", "settings", "runtime", "client"}
# The reasons a tier cannot run here (tests/browser.py, tests/backends.py, conftest.py
# `needs_shared`): under CI=true a skip for one of them is a failure. Other skips (a
# SQLite-only check in a test's PostgreSQL variant, say) stay skips.
TIER_MISSING = ("browser tests NOT RUN", "`.ci/run` starts", "../shared")


def tier_of(item: pytest.Item) -> str:
    """Return the tier of a collected test, from its markers and the fixtures it uses."""
    if item.get_closest_marker("postgres"):
        return "distributed"
    if item.get_closest_marker("slow") or item.get_closest_marker("browser"):
        return "system"
    if _API_FIXTURES & set(getattr(item, "fixturenames", ())):
        return "api"
    return "unit"


def pytest_configure(config: pytest.Config) -> None:
    for name, meaning in (
        ("unit", "tier: nothing but Python"),
        ("api", "tier: the app over ASGI on SQLite or temporary files"),
        ("system", "tier: real processes and sockets (slow, browser)"),
        ("distributed", "tier: PostgreSQL and NATS JetStream (postgres)"),
    ):
        config.addinivalue_line("markers", f"{name}: {meaning}")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        item.add_marker(tier_of(item))


def strict_ci() -> bool:
    """Return whether this run is CI's, where no tier may be skipped."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report: pytest.TestReport = outcome.get_result()  # type: ignore[attr-defined]
    if not (report.skipped and strict_ci()) or hasattr(report, "wasxfail"):
        return
    reason = str(report.longrepr[-1]) if isinstance(report.longrepr, tuple) else ""
    if any(missing in reason for missing in TIER_MISSING):
        report.outcome = "failed"
        report.longrepr = f"CI=true and this tier did not run (a skip is a failure): {reason}"


@pytest.fixture(autouse=True)
def no_server_left_running() -> Iterator[None]:
    """Stop any server process a test started and left running (a failed start, say)."""
    before = running()
    yield
    stop_left_running(before)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Stop whatever server process is still running when the run ends (this worker's)."""
    stop_left_running(set())
