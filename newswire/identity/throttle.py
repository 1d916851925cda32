"""Sign-in throttling: a few failures per account, more per client network, then wait.

Failures are counted per typed address (whether or not an account has it,
so being throttled says nothing about which addresses exist) and per client
network (the IPv4 address, or the /64 an IPv6 host gets), in the database,
so every node sees one count. Once either count reaches its limit within the
window, sign-ins for that key are refused without checking the password
until the window ends: the answer is 429 with Retry-After. A successful
sign-in clears its account's count, not its network's.
"""

from __future__ import annotations

import ipaddress
import math
from dataclasses import dataclass

from newswire.identity.policy import ThrottlePolicy
from newswire.models.clock import Clock
from newswire.models.errors import TooManyAttempts
from newswire.storage.identity_interfaces import SignInFailureStore


def network_of(address: str) -> str:
    """Return the network a client address is counted under: itself, or its IPv6 /64."""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.IPv6Network((parsed, 64), strict=False))
    return str(parsed)


@dataclass(frozen=True)
class ThrottleKeys:
    """The two counts a sign-in attempt belongs to."""

    account: str
    network: str


@dataclass(eq=False)
class SignInThrottle:
    """Counts failed sign-ins and refuses attempts over the limits."""

    store: SignInFailureStore
    clock: Clock
    policy: ThrottlePolicy

    def keys(self, email: str, address: str) -> ThrottleKeys:
        """Return the keys an attempt with this address from this client is counted under."""
        return ThrottleKeys(f"account:{email}", f"network:{network_of(address)}")

    async def check(self, keys: ThrottleKeys) -> None:
        """Raise TooManyAttempts (with the seconds to wait) when either count is at its limit."""
        now = self.clock()
        counts = await self.store.failures((keys.account, keys.network), now - self.policy.window)
        waits = []
        for key, limit in (
            (keys.account, self.policy.account_failures),
            (keys.network, self.policy.address_failures),
        ):
            if key in counts and counts[key][0] >= limit:
                ends = counts[key][1] + self.policy.window
                waits.append(math.ceil((ends - now).total_seconds()))
        if waits:
            wait = max(1, max(waits))
            minutes = math.ceil(wait / 60)
            raise TooManyAttempts(
                f"too many failed sign-ins; try again in {minutes} minute"
                + ("s" if minutes != 1 else ""),
                wait,
            )

    async def failed(self, keys: ThrottleKeys) -> None:
        """Count a failed attempt under both keys."""
        now = self.clock()
        await self.store.record_failure((keys.account, keys.network), now, now - self.policy.window)

    async def succeeded(self, keys: ThrottleKeys) -> None:
        """Clear the account's count after a successful sign-in."""
        await self.store.clear(keys.account)
