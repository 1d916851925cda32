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

from newswire.accounts.quotas import Quotas
from newswire.accounts.usage import Item, UsageRecorder
from newswire.models.principals import Principal, Role
from newswire.models.usage import Channel


@dataclass
class Meter:
    """Counts one channel's deliveries to one principal against its quota, then into usage."""

    quotas: Quotas
    recorder: UsageRecorder
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
        return (await self.quotas.status(self.principal)).remaining

    async def allow(self, wanted: int) -> int:
        """Return how many of `wanted` deliveries the quota allows; QuotaExhausted when none."""
        allowance = await self.allowance()
        if allowance is None:
            return wanted
        if allowance <= 0:
            raise self.quotas.exhausted(self.principal)
        return min(wanted, allowance)

    async def grant(self, wanted: int) -> int:
        """Take up to `wanted` deliveries from the quota; return how many may be handed over."""
        granted = await self.quotas.take(self.principal, wanted)
        if self.metered and self.principal.daily_quota is not None:
            self._held += granted
        return granted

    def give_back(self, count: int) -> None:
        """Return granted deliveries that were not handed over after all."""
        released = min(count, self._held)
        if released:
            self._held -= released
            self.quotas.release(self.principal.id, released)

    def delivered(self, items: Sequence[Item], cursor: int | None = None) -> None:
        """Record items handed over (story id, version, seq or None) and the channel's cursor."""
        if not self.metered:
            return
        self.recorder.record(self.principal.id, self.channel, self.format, items)
        self.give_back(len(items))
        if cursor is not None:
            self.recorder.served(self.principal.id, self.channel, cursor)


@dataclass(frozen=True)
class Metering:
    """Makes the meter of each channel's connection or request (the runtime holds one)."""

    quotas: Quotas
    recorder: UsageRecorder

    def meter(self, principal: Principal, channel: Channel, format_name: str) -> Meter:
        """Return a meter for one principal's deliveries on one channel, in one format."""
        return Meter(self.quotas, self.recorder, principal, channel, format_name)
