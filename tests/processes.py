"""Start newswire as a real process on a free port, for tests that kill or restart it.

Every process started here is remembered until it is stopped or killed, so
the suite can stop whatever a test left running (`stop_left_running`, called
after each test by conftest.py): a server that failed to start never slows
the tests after it. Waits scale with the machine's load (`scaled`): on a busy
2-core machine a server takes longer to start, and that is not a failure.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from newswire.settings import ENV_PREFIX
from tests.people import CHEAP_HASHING

# The base wait for a server to answer /healthz on an idle machine, in seconds.
READY_WITHIN = 20.0
# The most a wait is stretched by load: beyond it a server that has not started is broken.
MOST_STRETCH = 6.0
_RUNNING: set[ServerProcess] = set()
# argon2id at its cheapest in the servers started here: a demo start hashes seven passwords
# and every browser sign-in verifies one, 0.24 s of CPU each at the default costs. The
# suite's environment and a test's `env` still win (bench/ measures the real cost).
CHEAP_PASSWORD_HASHING = {
    ENV_PREFIX + name.upper(): str(value) for name, value in CHEAP_HASHING.items()
}


def scaled(seconds: float) -> float:
    """Stretch a wait by the load per core over the last minute (never shrink it)."""
    load_per_core = os.getloadavg()[0] / (os.cpu_count() or 1)
    return seconds * min(MOST_STRETCH, max(1.0, load_per_core))


def running() -> set[ServerProcess]:
    """Return the processes started and not yet stopped or killed."""
    return {server for server in _RUNNING if server.process.poll() is None}


def stop_left_running(started_before: set[ServerProcess]) -> list[Path]:
    """Stop every process started since `started_before` and still alive; return their logs."""
    left = [server for server in running() if server not in started_before]
    for server in left:
        server.stop()
    return [server.log_path for server in left]


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """`newswire serve` (or `worker`) in a child process, with its output kept in a log file."""

    def __init__(
        self,
        db_url: str,
        log_path: Path,
        *extra: str,
        env: dict[str, str] | None = None,
        command: str = "serve",
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        arguments = [sys.executable, "-m", "newswire", command, "--db", db_url]
        arguments += ["--port", str(self.port), *extra]
        environment = {
            **CHEAP_PASSWORD_HASHING,
            **os.environ,
            "NEWSWIRE_WEBHOOK_ALLOW_PRIVATE": "true",
            **(env or {}),
        }
        self._log = log_path.open("ab")
        self.process = subprocess.Popen(
            arguments, stdout=self._log, stderr=subprocess.STDOUT, env=environment
        )
        _RUNNING.add(self)

    def wait_ready(self, timeout: float = READY_WITHIN) -> None:
        """Wait until /healthz answers 200, or stop the process and fail with its log.

        The wait is `timeout` on an idle machine and stretches with the load
        (re-read while waiting, as other tests start and end).
        """
        started = time.monotonic()
        while time.monotonic() - started < scaled(timeout):
            if self.process.poll() is not None:
                break
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        waited = time.monotonic() - started
        exited = self.process.poll()
        self.stop()
        how = f"exited with {exited}" if exited is not None else f"no answer in {waited:.0f} s"
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        log = self.log_path.read_text(errors="replace")
        raise AssertionError(f"server did not start ({how}; load {load}):\n{log}")

    def kill(self) -> None:
        """Kill the process with SIGKILL, as a crash would."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        self._close()

    def _close(self) -> None:
        _RUNNING.discard(self)
        if not self._log.closed:
            self._log.close()

    def stop(self) -> None:
        """Stop the process gracefully (SIGTERM), then make sure it is gone."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self._close()
