"""The live fan-out: the head of the log read once per process for every caught-up connection.

A streaming connection (`streams.Subscription`) replays its backlog
with its own `LogReader`. Once it has read to the head of the log it joins
the process's fan-out (the runtime holds one): one task follows the head (waits on the bus,
reads each new page once) and hands every page to the connections waiting
there. Connections with the same principal, entitlements and saved search
form an *audience*: they receive exactly the same deliveries, so one
`LogReader` decides each page for all of them, with the one entitlement
check, and `reader.flash_first` orders it once. Each member then queues the
page without waiting (rendering is cached per delivery and format, see
`envelopes.envelope_json`), so a thousand idle connections woken by a story
cost one read, one decision per audience and a thousand queue puts, not a
thousand readers.

Nothing about a connection's guarantees changes: it receives the same
deliveries in the same order with the same cursors as its own reader would
give it, from its own cursor on (a member ahead of the fan-out skips what it
already has). A member whose buffer is full leaves with the deliveries it
could not take; its producer then gives them the usual overflow grace and
goes on reading by itself, joining again once caught up. If the fan-out
cannot read the log, every member fails as its own reader would have.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from typing import Any, Protocol

from newswire.bus import Bus
from newswire.delivery.reader import POLL_SECONDS, Delivery, LogReader, flash_first
from newswire.models.stories import LogEntry

log = logging.getLogger("newswire.streams")

# Log entries read per query by the fan-out.
READ_BATCH = 100
# An audience's reader remembers which stories it delivered; renew it now and
# then so a process up for weeks does not grow without bound.
READER_RENEWAL_DELIVERIES = 5_000

ReadAfter = Callable[[int, int], Awaitable[list[LogEntry]]]


@dataclass(frozen=True)
class Page:
    """A page the fan-out read after `after` up to `upto`, as one audience receives it.

    `deliveries` are the page's deliveries in log order, `ordered` the same
    flash-first after `after`. `frames` is shared by the audience's members:
    the rendering of `ordered[i]` by a render function `f` is kept under `(f, i)`,
    so members with the same render function render each delivery once.
    """

    deliveries: list[Delivery]
    ordered: list[Delivery]
    after: int
    upto: int
    frames: dict[tuple[object, int], Any] = field(default_factory=dict)

    def seen_from(self, cursor: int) -> Page:
        """Return the page for a member at `cursor`: only what is new to it, ordered from there.

        A member already past `after` gets its own ordering (and so its own
        frames); a member at `after` shares this page, its order and frames.
        """
        if cursor <= self.after:
            return self
        newer = [Delivery(d.entry, d.type) for d in self.deliveries if d.seq > cursor]
        return Page(newer, flash_first(newer, cursor), cursor, self.upto)


class Member(Protocol):
    """A connection waiting at the head of the log (implemented by Subscription)."""

    cursor: int

    def take(self, page: Page) -> bool:
        """Queue a page the fan-out read (see `Page.seen_from`); False when the buffer is full."""
        ...

    def fail(self, error: BaseException) -> None:
        """End the member's stay because the fan-out could not read the log."""
        ...


class _Audience:
    """Members that receive the same deliveries, and the one reader that decides for them."""

    def __init__(self, make_reader: Callable[[], LogReader]) -> None:
        self.make_reader = make_reader
        self.reader = make_reader()
        self.delivered = 0
        self.members: set[Member] = set()

    async def decide(self, entries: list[LogEntry]) -> list[Delivery]:
        deliveries = await self.reader.decide(entries)
        self.delivered += len(deliveries)
        if self.delivered >= READER_RENEWAL_DELIVERIES:
            self.reader, self.delivered = self.make_reader(), 0
        return deliveries


class Fanout:
    """Follows the head of the log for every member of this process and hands pages out."""

    def __init__(self, read_after: ReadAfter, bus: Bus) -> None:
        self.read_after = read_after
        self.bus = bus
        self.position = 0  # the last seq handed out (meaningful while the task runs)
        self._audiences: dict[Hashable, _Audience] = {}
        self._member_of: dict[Member, Hashable] = {}
        self._task: asyncio.Task[None] | None = None

    @property
    def members(self) -> int:
        """The number of connections waiting at the head."""
        return len(self._member_of)

    def join(
        self, member: Member, audience: Hashable, make_reader: Callable[[], LogReader]
    ) -> bool:
        """Add a member that has read up to its cursor; False when the fan-out is already past it.

        A member behind the fan-out must read the gap itself first (its cursor
        would otherwise skip entries); one at or ahead of it is handed every
        later page and skips what it already has.
        """
        if self._task is None:
            self.position = member.cursor
            self._task = asyncio.create_task(self._follow(), name="fanout")
        elif member.cursor < self.position:
            return False
        group = self._audiences.get(audience)
        if group is None:
            group = self._audiences[audience] = _Audience(make_reader)
        group.members.add(member)
        self._member_of[member] = audience
        return True

    def leave(self, member: Member) -> None:
        """Remove a member (when its connection ends or its buffer is full); idempotent."""
        audience = self._member_of.pop(member, None)
        if audience is None:
            return
        group = self._audiences[audience]
        group.members.discard(member)
        if not group.members:
            del self._audiences[audience]
        if not self._member_of and self._task is not None:
            self._task.cancel()  # nobody left to follow the head for
            self._task = None

    async def _follow(self) -> None:
        try:
            while self._member_of:
                await self.bus.wait_beyond(self.position, POLL_SECONDS)
                while self._member_of:
                    entries = await self.read_after(self.position, READ_BATCH)
                    if entries:
                        await self._hand_out(entries)
                    if len(entries) < READ_BATCH:
                        break
        except asyncio.CancelledError:
            raise
        except Exception as error:  # the log cannot be read: each member fails as its reader would
            members = list(self._member_of)
            self._audiences.clear()
            self._member_of.clear()
            for member in members:
                member.fail(error)
        finally:
            if self._task is asyncio.current_task():
                self._task = None

    async def _hand_out(self, entries: list[LogEntry]) -> None:
        after, upto = self.position, entries[-1].event.seq
        # Moved first: whoever joins while this page is decided must be at or past it.
        self.position = upto
        groups = [group for group in self._audiences.values() if group.members]
        # Decided side by side, so the audiences' history look-ups of the same
        # new stories are one query (SharedLog merges identical reads in flight).
        decided = await asyncio.gather(*(group.decide(entries) for group in groups))
        for group, deliveries in zip(groups, decided, strict=True):
            page = Page(deliveries, flash_first(deliveries, after), after, upto)
            for member in list(group.members):
                try:
                    taken = member.take(page)
                except Exception as error:  # e.g. rendering: this member alone fails
                    self.leave(member)
                    member.fail(error)
                    continue
                if not taken:
                    self.leave(member)


__all__ = ["READ_BATCH", "Fanout", "Member", "Page"]
