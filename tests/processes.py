"""Start newswire as a real process on a free port, for tests that kill or restart it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx


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
        environment = {**os.environ, "NEWSWIRE_WEBHOOK_ALLOW_PRIVATE": "true", **(env or {})}
        self._log = log_path.open("ab")
        self.process = subprocess.Popen(
            arguments, stdout=self._log, stderr=subprocess.STDOUT, env=environment
        )

    def wait_ready(self, timeout: float = 20.0) -> None:
        """Wait until /healthz answers 200, or fail with the server's log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                break
            try:
                if httpx.get(f"{self.url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"server did not start:\n{self.log_path.read_text(errors='replace')}")

    def kill(self) -> None:
        """Kill the process with SIGKILL, as a crash would."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
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
        self._log.close()
