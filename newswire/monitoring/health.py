"""Whether this node's background jobs keep failing, for `/readyz` to say "degraded".

A job that crashes is restarted (`jobs/supervisor.py`), and the webhook
dispatcher catches a failing endpoint loop so the others carry on; both are
right for the wire and both hide a job that fails over and over. Each failure
is noted here; a job counts as failing while its last failure is more recent
than `window` seconds, so one that keeps failing stays reported and one that
recovered drops out by itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

# A failure older than this no longer makes the node degraded.
FAILING_WINDOW_SECONDS = 60.0


@dataclass
class JobFailure:
    """The latest failure of one job, and how many it had in that run of failures."""

    at: float
    count: int
    error: str


@dataclass
class JobHealth:
    """Recent failures of each background job of this process."""

    window: float = FAILING_WINDOW_SECONDS
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, JobFailure] = field(default_factory=dict)

    def failed(self, job: str, error: BaseException | str) -> None:
        """Note that a job failed (crashed, or a loop inside it did)."""
        now = self.clock()
        previous = self._failures.get(job)
        count = previous.count + 1 if previous and now - previous.at <= self.window else 1
        text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
        self._failures[job] = JobFailure(now, count, text[:200])

    def failing(self) -> dict[str, str]:
        """Return each job that failed within the window, with its count and last error."""
        now = self.clock()
        return {
            job: f"failing ({failure.count} in a row, last: {failure.error})"
            for job, failure in sorted(self._failures.items())
            if now - failure.at <= self.window
        }
