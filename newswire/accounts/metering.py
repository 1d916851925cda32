"""The meter: what every channel does with each delivery to a subscriber.

A channel asks its `Meter` how many deliveries it may hand over
(`grant`, from the daily quota), hands them over, then tells the meter
(`delivered`): that records their usage and the cursor served. Editors and
the admin are not metered: they are the agency's own staff.

A delivery counts when it is handed to the connection: a feed page when it
is answered, an SSE or WebSocket frame when it is written, a webhook when
its receiver answers 2xx.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from newswire.delivery.reader import Delivery, Page
from newswire.models.principals import Principal, Role
from newswire.models.stories import StoryVersion
from newswire.models.usage import Channel

if TYPE_CHECKING:
    from newswire.runtime import Runtime


def trim(page: Page, count: int) -> Page:
    """Keep the first `count` deliveries of a page; `next` becomes the last kept one's cursor.

    The resume cursor (not the seq) of the last delivery kept: after a flash
    item overtook routine ones it is below the seq, so nothing is skipped.
    """
    if count >= len(page.deliveries):
        return page
    kept = page.deliveries[: max(count, 0)]
    return Page(kept, kept[-1].resume_cursor if kept else page.next)


@dataclass
class Meter:
    """Counts one channel's deliveries to one principal against its quota, then into usage."""

    runtime: Runtime
    principal: Principal
    channel: Channel
    format: str
    _held: int = 0  # granted by the quota, not yet recorded or given back

    @property
    def metered(self) -> bool:
        """Tell whether this principal's deliveries are counted (subscribers only)."""
        return self.principal.role is Role.SUBSCRIBER

    async def allowance(self) -> int | None:
        """Return how many deliveries today's quota still allows (None: unlimited)."""
        if not self.metered or self.principal.daily_quota is None:
            return None
        return (await self.runtime.quotas.status(self.principal)).remaining

    async def grant(self, wanted: int) -> int:
        """Take up to `wanted` deliveries from the quota; return how many may be handed over."""
        granted = await self.runtime.quotas.take(self.principal, wanted)
        if self.metered and self.principal.daily_quota is not None:
            self._held += granted
        return granted

    def give_back(self, count: int) -> None:
        """Return granted deliveries that were not handed over after all."""
        self._release(count)

    def _release(self, count: int) -> None:
        released = min(count, self._held)
        if released:
            self._held -= released
            self.runtime.quotas.release(self.principal.id, released)

    def delivered(self, deliveries: Sequence[Delivery], cursor: int | None = None) -> None:
        """Record deliveries handed over, and the cursor the channel now stands at."""
        if not self.metered:
            return
        items = [(d.entry.story.story_id, d.entry.story.version, d.seq) for d in deliveries]
        self.runtime.usage.record(self.principal.id, self.channel, self.format, items)
        self._release(len(items))
        if cursor is None and deliveries:
            cursor = deliveries[-1].resume_cursor
        if cursor is not None:
            self.runtime.usage.served(self.principal.id, self.channel, cursor)

    def delivered_versions(self, versions: Sequence[tuple[StoryVersion, int | None]]) -> None:
        """Record story versions handed over outside a log read: (version, its seq or None)."""
        if not self.metered:
            return
        items = [(story.story_id, story.version, seq) for story, seq in versions]
        self.runtime.usage.record(self.principal.id, self.channel, self.format, items)
        self._release(len(items))
