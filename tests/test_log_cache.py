"""The in-memory log cache answers repeated reads as the database does and never hides news."""

from __future__ import annotations

import pytest

from newswire.models.stories import EventType
from newswire.runtime import Runtime
from tests.story_factory import full_story

pytestmark = pytest.mark.anyio


async def _file(runtime: Runtime, number: int, version: int = 1) -> None:
    story = full_story(
        version=version,
        embargoed_until=None,
        story_id=f"story{number}",
        guid=f"urn:test:{number}",
        slug=f"story-{number}",
    )
    event = EventType.PUBLISHED if version == 1 else EventType.UPDATED
    await runtime.storage.stories.save_version(story, event, None)


async def test_cached_reads_equal_fresh_reads_and_the_head_is_always_read_again(
    runtime: Runtime,
) -> None:
    for number in range(6):
        await _file(runtime, number)
    first = await runtime.storage.log.entries_after(0, 4)
    again = await runtime.storage.log.entries_after(0, 4)
    assert [e.event.seq for e in again] == [e.event.seq for e in first] == [1, 2, 3, 4]
    head = await runtime.storage.log.entries_after(4, 10)
    assert [e.event.seq for e in head] == [5, 6]
    await _file(runtime, 6)
    # A short page came from the head of the log: asking again must see the new entry.
    assert [e.event.seq for e in await runtime.storage.log.entries_after(4, 10)] == [5, 6, 7]


async def test_a_story_history_to_the_end_is_never_frozen(runtime: Runtime) -> None:
    await _file(runtime, 1)
    await runtime.storage.log.entries_after(0, 10)
    everything = await runtime.storage.log.entries_for_story("story1", 2**62)
    assert [e.story.version for e in everything] == [1]
    await _file(runtime, 1, version=2)
    everything = await runtime.storage.log.entries_for_story("story1", 2**62)
    assert [e.story.version for e in everything] == [1, 2], "a later version shows at once"
    before_second = await runtime.storage.log.entries_for_story("story1", 2)
    assert [e.story.version for e in before_second] == [1]
    both = await runtime.storage.log.entries_for_stories(["story1", "nothing"], 3)
    assert [e.event.seq for e in both] == [1, 2]
