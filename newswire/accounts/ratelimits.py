"""Per-key rate limits: so many requests per minute per key, set per role.

The algorithm is GCRA (the generic cell rate algorithm, a token bucket kept
as one number per key): a key may send `limit` requests at once, then one
every `60 / limit` seconds; it never waits longer than it has to. State is
one float per key, in this process: with several nodes, each node enforces
the limit on its own, so a key spread over N nodes may make up to N times
the limit. A limit of 0 means unlimited.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from newswire.models.principals import Principal, Role

WINDOW_SECONDS = 60.0
# Keys whose bucket is full again are forgotten after this many checks.
_SWEEP_EVERY = 4096
_EPSILON = 1e-9


@dataclass(frozen=True)
class Decision:
    """The answer to one request: allowed or not, and the key's limit as it now stands."""

    allowed: bool
    limit: int  # requests per minute
    remaining: int  # requests that may be made at once right now
    reset_seconds: float  # until the full limit is available again
    retry_after: float = 0.0  # when refused: seconds until one request is allowed


class RateLimiter:
    """Requests per minute per key, for the limits of each role (0: unlimited)."""

    def __init__(
        self, limits: Mapping[Role, int], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.limits = dict(limits)
        self.clock = clock
        self._tat: dict[str, float] = {}  # theoretical arrival time of each key's next request
        self._checks = 0

    def limit_for(self, principal: Principal) -> int:
        """Return a principal's requests per minute (0: unlimited)."""
        return max(0, int(self.limits.get(principal.role, 0)))

    def check(self, principal: Principal) -> Decision | None:
        """Count one request of a principal; return the decision (None when unlimited)."""
        return self._count(principal.id, self.limit_for(principal))

    def check_unknown(self, address: str, limit: int) -> Decision | None:
        """Count one request with a missing or unknown key from a client address.

        Guessing keys costs the guesser: each address gets `limit` refusals a
        minute, then 429 (None when unlimited).
        """
        return self._count(f"address:{address}", max(0, limit))

    def _count(self, key: str, limit: int) -> Decision | None:
        if not limit:
            return None
        now = self.clock()
        self._sweep(now)
        interval = WINDOW_SECONDS / limit
        tat = max(self._tat.get(key, now), now)
        new_tat = tat + interval
        if new_tat - now > WINDOW_SECONDS + _EPSILON:
            wait = new_tat - WINDOW_SECONDS - now
            return Decision(False, limit, 0, tat - now, retry_after=wait)
        self._tat[key] = new_tat
        return Decision(True, limit, _remaining(now, new_tat, interval), new_tat - now)

    def peek(self, principal: Principal) -> Decision | None:
        """Return a principal's limit as it stands, without counting a request."""
        limit = self.limit_for(principal)
        if not limit:
            return None
        now = self.clock()
        tat = max(self._tat.get(principal.id, now), now)
        return Decision(True, limit, _remaining(now, tat, WINDOW_SECONDS / limit), tat - now)

    def _sweep(self, now: float) -> None:
        self._checks += 1
        if self._checks % _SWEEP_EVERY == 0:
            self._tat = {key: tat for key, tat in self._tat.items() if tat > now}


def _remaining(now: float, tat: float, interval: float) -> int:
    return max(0, math.floor((WINDOW_SECONDS - (tat - now)) / interval + _EPSILON))
