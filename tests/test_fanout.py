"""The live fan-out and the batched history look-up decide exactly what a lone reader decides."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from newswire.delivery.entitlement import Visibility
from newswire.delivery.fanout import Fanout, Page
from newswire.delivery.reader import Delivery, LogReader
from newswire.models.principals import Entitlements, Principal, Role
from newswire.newsroom.drafts import StoryDraft
from newswire.runtime import Runtime

pytestmark = pytest.mark.anyio

WORLD_DESK = Principal("p1", Role.SUBSCRIBER, "World desk", Entitlements(categories=["World"]))


def draft(headline: str, category: str, urgency: int = 4) -> StoryDraft:
    return StoryDraft(
        headline=headline, body="A paragraph of wire copy.", categories=[category], urgency=urgency
    )


async def file_mixed_log(runtime: Runtime) -> None:
    """Stories that enter and leave the World desk's entitlement, over several pages."""
    wire = runtime.newsroom
    world = await wire.file_story(draft("World one", "World"))
    sport = await wire.file_story(draft("Sport one", "Sport"))
    await wire.file_story(draft("World two", "World"))
    await wire.update_story(world.story.story_id, draft("World one, now sport", "Sport"))
    await wire.update_story(sport.story.story_id, draft("Sport one, now world", "World"))
    await wire.kill_story(world.story.story_id, "Wrong")
    await wire.file_story(draft("Flash", "World", urgency=1))
    await wire.update_story(sport.story.story_id, draft("Sport one, sport again", "Sport"))


def decided(deliveries: list[Delivery]) -> list[tuple[int, str]]:
    return [(d.seq, d.type.value) for d in deliveries]


async def test_one_history_query_per_page_decides_as_one_query_per_story(
    runtime: Runtime,
) -> None:
    await file_mixed_log(runtime)
    storage = runtime.storage
    entries = await storage.log.entries_after(0, 100)
    for size in (1, 2, 3, len(entries)):  # pages that cut stories' histories anywhere
        batched = LogReader(storage.log, runtime.bus, WORLD_DESK)
        alone = Visibility(WORLD_DESK, storage.log.entries_for_story)
        for start in range(0, len(entries), size):
            page = entries[start : start + size]
            ours = await batched.decide(page)
            theirs = [
                Delivery(entry, kind)
                for entry in page
                if (kind := await alone.delivered_type(entry)) is not None
            ]
            assert decided(ours) == decided(theirs), (size, start)


class Member:
    """A stand-in connection with a small buffer."""

    def __init__(self, cursor: int, room: int = 100) -> None:
        self.cursor = cursor
        self.room = room
        self.taken: list[Delivery] = []
        self.left: list[Delivery] | None = None
        self.error: BaseException | None = None

    def take(self, page: Page) -> bool:
        if self.cursor >= page.upto:
            return True
        page = page.seen_from(self.cursor)
        for index, delivery in enumerate(page.ordered):
            if len(self.taken) == self.room:
                self.left, self.cursor = page.ordered[index:], page.upto
                return False
            self.taken.append(delivery)
        self.cursor = page.upto
        return True

    def fail(self, error: BaseException) -> None:
        self.error = error


async def until(condition: Any) -> None:
    async with asyncio.timeout(10):
        while not condition():  # noqa: ASYNC110 - polling a plain object is simplest
            await asyncio.sleep(0.01)


async def test_the_fanout_hands_each_member_what_a_lone_reader_would_from_its_cursor(
    runtime: Runtime,
) -> None:
    storage = runtime.storage
    fanout = Fanout(storage.log.entries_after, runtime.bus)

    def reader() -> LogReader:
        return LogReader(storage.log, runtime.bus, WORLD_DESK)

    start = await storage.log.last_seq()
    early, small = Member(start), Member(start, room=1)
    assert fanout.join(early, "world", reader)
    assert fanout.join(small, "world", reader)
    await file_mixed_log(runtime)
    head = await storage.log.last_seq()
    await until(lambda: early.cursor == head and small.left is not None)
    expected = await LogReader(storage.log, runtime.bus, WORLD_DESK).read(start, 100)
    # The same deliveries (pages may cut differently, so flash-first order may differ).
    assert {d.seq for d in early.taken} == {d.seq for d in expected.deliveries}
    assert [d.seq for d in early.taken if d.entry.story.urgency == 1]
    # The member with a one-event buffer left with the rest, its cursor past them.
    assert small.taken and small.left and fanout.members == 1
    assert {d.seq for d in small.taken + small.left} <= {d.seq for d in expected.deliveries}

    # Behind the fan-out: refused (it must read the gap itself). At or ahead: taken.
    assert not fanout.join(Member(start), "world", reader)
    late = Member(head)
    assert fanout.join(late, "world", reader)
    extra = await runtime.newsroom.file_story(draft("World three", "World"))
    await until(lambda: late.cursor == extra.event.seq)
    assert [d.seq for d in late.taken] == [extra.event.seq]
    assert early.taken[-1].seq == extra.event.seq
    fanout.leave(early)
    fanout.leave(late)
    assert fanout.members == 0
