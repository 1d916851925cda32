"""The suite's own machinery: tiers, load-scaled waits, stopped servers, no silent skips in CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests import processes
from tests.processes import ServerProcess, running, scaled, stop_left_running

ROOT = Path(__file__).resolve().parents[1]

SKIPPING = """
import pytest

@pytest.mark.browser
def test_needs_a_browser():
    pytest.skip("browser tests NOT RUN: Debian's Chromium is missing at /usr/bin/chromium")

def test_needs_the_servers():
    pytest.skip("needs PostgreSQL at ... (`.ci/run` starts both; NEWSWIRE_TEST_PG ...)")

def test_needs_shared_files():
    pytest.skip("/x/shared/samples not found (../shared is not beside the checkout)")

@pytest.mark.postgres
def test_skips_for_its_own_reason():
    pytest.skip("reads the SQLite file directly")
"""


def _run_pytest(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_skipping.py").write_text(SKIPPING)
    markers = "markers =\n    browser: needs chromium\n    postgres: needs the servers\n"
    (tmp_path / "pytest.ini").write_text("[pytest]\n" + markers)
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    environment.pop("CI", None)
    environment.pop("PYTEST_XDIST_WORKER", None)
    if ci is not None:
        environment["CI"] = ci
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "tests.tiers", "-p", "no:cacheprovider", "-rA"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )


def test_outside_ci_a_skip_is_a_skip(tmp_path: Path) -> None:
    result = _run_pytest(tmp_path, None)
    assert result.returncode == 0, result.stdout
    assert "4 skipped" in result.stdout


def test_in_ci_a_test_skipped_for_a_missing_tier_fails_the_run(tmp_path: Path) -> None:
    result = _run_pytest(tmp_path, "true")
    assert result.returncode == 1, result.stdout
    assert "3 failed, 1 skipped" in result.stdout
    assert result.stdout.count("this tier did not run") >= 3
    assert "SKIPPED [1] test_skipping.py" in result.stdout  # its own reason: still a skip


def test_a_wait_stretches_with_the_load_per_core(monkeypatch: pytest.MonkeyPatch) -> None:
    cores = os.cpu_count() or 1
    monkeypatch.setattr(os, "getloadavg", lambda: (0.1, 0.0, 0.0))
    assert scaled(20) == 20
    monkeypatch.setattr(os, "getloadavg", lambda: (3.0 * cores, 0.0, 0.0))
    assert scaled(20) == pytest.approx(60)
    monkeypatch.setattr(os, "getloadavg", lambda: (100.0 * cores, 0.0, 0.0))
    assert scaled(20) == 20 * processes.MOST_STRETCH


@pytest.mark.slow
def test_a_server_that_does_not_come_up_in_time_is_stopped_and_its_log_shown(
    tmp_path: Path,
) -> None:
    before = running()
    server = ServerProcess(f"sqlite:///{tmp_path / 'slow.db'}", tmp_path / "server.log")
    with pytest.raises(AssertionError, match=r"server did not start \(no answer in 0 s; load"):
        server.wait_ready(timeout=0.001)  # not even Python starts that fast
    assert server.process.poll() is not None
    assert server not in running()
    assert stop_left_running(before) == []


@pytest.mark.slow
def test_a_server_left_running_by_a_test_is_stopped_after_it(tmp_path: Path) -> None:
    before = running()
    server = ServerProcess(f"sqlite:///{tmp_path / 'left.db'}", tmp_path / "server.log")
    assert server in running()
    assert stop_left_running(before) == [tmp_path / "server.log"]
    assert server.process.poll() is not None and server not in running()
