"""The embargo scheduler: release each embargoed story on time, exactly once.

The schedule lives in the database (the current version's `embargoed_until`),
not in memory, so a restart during an embargo changes nothing: the next loop
finds the story due and releases it. Several schedulers may run (one per
worker); storage accepts only one version N+1, so exactly one release is filed.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from newswire.jobs.supervisor import job
from newswire.newsroom.filing import NotEmbargoed, StoryKilled, StoryNotFound
from newswire.storage import VersionConflict

if TYPE_CHECKING:
    from newswire.runtime import Runtime

log = logging.getLogger("newswire.newsroom.embargoes")

# The longest the scheduler sleeps: an embargo filed while it sleeps is still
# released within this time of being due (bus announcements wake it sooner).
MAX_SLEEP_SECONDS = 0.5


async def release_due_stories(runtime: Runtime, now: datetime) -> list[str]:
    """Release every story whose embargo time has come; return the ids this call released."""
    released = []
    for story_id in await runtime.storage.stories_due_for_release(now):
        try:
            await runtime.wire.release_story(story_id)
        except (VersionConflict, NotEmbargoed, StoryKilled, StoryNotFound):
            continue  # another scheduler released it first, or it changed meanwhile
        log.info("released story %s from embargo", story_id)
        released.append(story_id)
    return released


@job("embargo-release")
async def run_embargo_scheduler(runtime: Runtime, stop: asyncio.Event) -> None:
    """Release embargoed stories as their time comes, until stop is set."""
    while not stop.is_set():
        await release_due_stories(runtime, datetime.now(UTC))
        next_release = await runtime.storage.next_embargo_release()
        delay = MAX_SLEEP_SECONDS
        if next_release is not None:
            delay = min(delay, max((next_release - datetime.now(UTC)).total_seconds(), 0.0))
        if delay > 0:
            await runtime.bus.wait_beyond(runtime.bus.latest, delay)
