"""Background jobs: long-running loops such as webhook delivery and the embargo scheduler.

On one box `newswire serve` runs them beside the web app; across several
machines `newswire worker` runs them and `serve --no-jobs` does not. A job is
a named async function that runs until `stop` is set and must be safe to run
in several processes at once (it coordinates through storage, not memory).
The runtime builds the list of jobs (`Runtime.jobs`); nothing registers
itself at import.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from newswire.monitoring.health import JobHealth
from newswire.monitoring.metrics import record_job_crash

log = logging.getLogger("newswire.jobs")

# How long a crashed job waits before it starts again.
RESTART_SECONDS = 1.0


@dataclass(frozen=True)
class Job:
    """A named background loop: `run(stop)` returns once stop is set."""

    name: str
    run: Callable[[asyncio.Event], Awaitable[None]]


async def supervise(job: Job, stop: asyncio.Event, health: JobHealth | None = None) -> None:
    """Run a job until stop is set, restarting it after a pause whenever it crashes.

    Each crash is logged, counted and noted in `health` (`/readyz` reports it).
    """
    # One bad delivery must not stop the wire: a crash is logged and the loop restarts.
    while not stop.is_set():
        try:
            await job.run(stop)
        except asyncio.CancelledError:
            raise
        except Exception as error:
            log.exception("job %s crashed; restarting in %g s", job.name, RESTART_SECONDS)
            record_job_crash(job.name)
            if health is not None:
                health.failed(job.name, error)
            await pause(stop, RESTART_SECONDS)
        else:
            return


async def pause(wake: asyncio.Event, seconds: float) -> None:
    """Wait until `wake` is set or `seconds` have passed, whichever comes first."""
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(seconds):
            await wake.wait()


async def check_while_watching(
    stop: asyncio.Event,
    wait: Callable[[], Awaitable[object]],
    watching: Callable[[], bool],
    check: Callable[[], Awaitable[object]],
    failed: Callable[[Exception], None],
) -> None:
    """After each `wait`, run `check` if anything is `watching`; until stop is set.

    The loop of the watchers that cut live connections (revoked keys, ended
    sessions). A check that fails (the database is down) is handed to `failed`
    and tried again after the next wait: the connections keep going meanwhile.
    """
    while not stop.is_set():
        await wait()
        if not watching() or stop.is_set():
            continue
        try:
            await check()
        except Exception as error:  # CancelledError is no Exception: a stop still ends it
            failed(error)


def start_jobs(
    jobs: list[Job], stop: asyncio.Event, health: JobHealth | None = None
) -> list[asyncio.Task[None]]:
    """Start every job as a supervised task."""
    return [
        asyncio.create_task(supervise(job, stop, health), name=f"job:{job.name}") for job in jobs
    ]
