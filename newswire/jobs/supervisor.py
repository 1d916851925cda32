"""Background jobs: long-running loops such as webhook delivery and the embargo scheduler.

On one box `newswire serve` runs them beside the web app; across several
machines `newswire worker` runs them and `serve --no-jobs` does not. A job is
an async function that runs until `stop` is set and must be safe to run in
several processes at once (it coordinates through storage, not memory).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from newswire.runtime import Runtime

log = logging.getLogger("newswire.jobs.supervisor")

JobFunction = Callable[["Runtime", asyncio.Event], Awaitable[None]]


@dataclass(frozen=True)
class Job:
    """A named background loop."""

    name: str
    run: JobFunction


JOBS: list[Job] = []


def job(name: str) -> Callable[[JobFunction], JobFunction]:
    """Register a background job under a name (used as a decorator)."""

    def register(function: JobFunction) -> JobFunction:
        JOBS.append(Job(name, function))
        return function

    return register


async def _supervise(runtime: Runtime, item: Job, stop: asyncio.Event) -> None:
    # A job that crashes is restarted after a pause: one bad delivery must not
    # stop the wire.
    while not stop.is_set():
        try:
            await item.run(runtime, stop)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("job %s crashed; restarting in 1 s", item.name)
            try:
                await asyncio.wait_for(stop.wait(), 1.0)
            except TimeoutError:
                pass
        else:
            return


def start_jobs(runtime: Runtime, stop: asyncio.Event) -> list[asyncio.Task[None]]:
    """Start every registered job as a supervised task."""
    _load_builtin_jobs()
    return [
        asyncio.create_task(_supervise(runtime, item, stop), name=f"job:{item.name}")
        for item in JOBS
    ]


def _load_builtin_jobs() -> None:
    """Import the modules that register built-in jobs (imports register them once)."""
    import importlib

    for module in BUILTIN_JOB_MODULES:
        importlib.import_module(module)


# Modules whose import registers a job; features add themselves here.
BUILTIN_JOB_MODULES: list[str] = [
    "newswire.newsroom.embargoes",
    "newswire.delivery.webhooks.dispatcher",
]
