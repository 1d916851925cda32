"""The access watcher: cuts live streams whose key stopped working, on every node.

A key is checked when a request or a stream starts. For the streams that
then stay open (SSE, WebSocket, long polls), each connection registers here
with the key hash it authenticated with and gets an `asyncio.Event` that is
set when that key no longer works: suspended, revoked, deleted or rotated
away. `Subscription.run` ends with `Ending.REVOKED` when it is set.

Two ways the events get set:

* the admin call on this node cuts its connections at once (`cut`);
* one background task per process (not one query per connection) polls the
  principals whose `changed_at` moved recently and cuts the connections of
  any that is no longer active or whose key changed, so connections on other
  nodes end within `NEWSWIRE_ACCESS_POLL_SECONDS`. It only queries while
  this process has connections to watch. The poll looks back a few seconds
  every time (harmless, cutting is idempotent), so clock skew between nodes
  and slow commits do not hide a change.

A principal may work with several keys: its own and the personal keys of the
people who act as it (`identity/`). The store lists a changed principal once
per key that still works, so a connection is cut when its key is not among
them. Whoever else must hear of a cut on this node (the sessions watcher of
people's live pages) registers with `on_cut`.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from datetime import timedelta

from newswire.jobs.supervisor import check_while_watching, pause
from newswire.models.clock import Clock
from newswire.models.principals import Principal, PrincipalStatus
from newswire.storage.interfaces import PrincipalStore

log = logging.getLogger("newswire.accounts.access")

# Keys remembered at most (a bound against a flood of distinct keys).
MAX_REMEMBERED_KEYS = 10_000
# How far back each poll looks, at least.
LOOKBACK_SECONDS = 10.0


class AccessWatcher:
    """Tells each live connection when its key stops working."""

    def __init__(self, principals: PrincipalStore, clock: Clock, poll_seconds: float = 0.5) -> None:
        self.principals = principals
        self.clock = clock
        self.poll_seconds = poll_seconds
        # principal id -> {connection's event: the key hash it authenticated with}
        self._live: dict[str, dict[asyncio.Event, str]] = {}
        # Keys that worked a moment ago: key hash -> (principal, monotonic expiry).
        self._keys: dict[str, tuple[Principal, float]] = {}
        self._cut_listeners: list[Callable[[str], None]] = []

    def on_cut(self, listener: Callable[[str], None]) -> None:
        """Call `listener(principal_id)` whenever this node cuts a principal's connections."""
        self._cut_listeners.append(listener)

    def watch(self, principal: Principal) -> asyncio.Event:
        """Register a live connection; the event is set when its key stops working."""
        revoked = asyncio.Event()
        self._live.setdefault(principal.id, {})[revoked] = principal.key_hash
        return revoked

    def unwatch(self, principal: Principal, revoked: asyncio.Event) -> None:
        """Forget a connection that ended."""
        connections = self._live.get(principal.id)
        if connections is not None:
            connections.pop(revoked, None)
            if not connections:
                del self._live[principal.id]

    @property
    def watched(self) -> int:
        """The number of live connections registered."""
        return sum(len(connections) for connections in self._live.values())

    async def principal_for(self, key_hash: str) -> Principal | None:
        """Return the active principal of a key hash, remembered for one poll interval.

        Every request starts with this lookup; a subscriber polling its feed
        many times a second would otherwise make each request wait for the
        database. Only keys that work are remembered, for as long as other
        nodes take to notice a change (`poll_seconds`), and a change made on
        this node forgets them at once (`forget`, `cut`): a suspended key is
        refused here immediately and on other nodes within that interval, the
        same bound as for cutting its streams.
        """
        now = time.monotonic()
        held = self._keys.get(key_hash)
        if held is not None and held[1] > now:
            return held[0]
        principal = await self.principals.with_key_hash(key_hash)
        if principal is None:
            self._keys.pop(key_hash, None)
            return None
        if len(self._keys) >= MAX_REMEMBERED_KEYS:
            self._keys.clear()
        self._keys[key_hash] = (principal, now + self.poll_seconds)
        return principal

    def forget(self, principal_id: str) -> None:
        """Forget the remembered keys of a principal (its access or entitlements changed)."""
        for key_hash in [k for k, (p, _) in self._keys.items() if p.id == principal_id]:
            del self._keys[key_hash]

    def cut(self, principal_id: str) -> int:
        """End every live connection of a principal on this node; return how many."""
        self.forget(principal_id)
        connections = self._live.get(principal_id, {})
        for revoked in connections:
            revoked.set()
        for listener in self._cut_listeners:
            listener(principal_id)
        return len(connections)

    def cut_key(self, principal_id: str, key_hash: str) -> int:
        """End the live connections opened with one key (a revoked personal key); say how many."""
        self._keys.pop(key_hash, None)
        cut = 0
        for revoked, held in self._live.get(principal_id, {}).items():
            if held == key_hash and not revoked.is_set():
                revoked.set()
                cut += 1
        return cut

    def apply(self, changed: Iterable[Principal]) -> int:
        """Cut the connections of changed principals whose key is no longer one that works.

        `changed` holds a principal once per key it has (its own, and each
        working personal key); only an active one's keys still work.
        """
        working: dict[str, set[str]] = {}
        for principal in changed:
            keys = working.setdefault(principal.id, set())
            if principal.status is PrincipalStatus.ACTIVE:
                keys.add(principal.key_hash)
        cut = 0
        for principal_id, keys in working.items():
            self.forget(principal_id)
            for revoked, key_hash in self._live.get(principal_id, {}).items():
                if key_hash not in keys and not revoked.is_set():
                    revoked.set()
                    cut += 1
        return cut

    async def still_active(self, principal: Principal) -> bool:
        """Tell whether a principal's key still works (asked after a long poll's wait)."""
        if not principal.key_hash:
            return True  # the admin token lives in the settings, not in the database
        current = await self.principals.with_key_hash(principal.key_hash)
        return current is not None and current.id == principal.id

    async def poll(self) -> int:
        """Look at recent access changes once; return how many connections were cut."""
        lookback = max(LOOKBACK_SECONDS, 4 * self.poll_seconds)
        since = self.clock() - timedelta(seconds=lookback)
        return self.apply(await self.principals.changed_since(since))

    async def run(self, stop: asyncio.Event) -> None:
        """Poll for access changes while there are connections to watch, until stop is set."""
        await check_while_watching(
            stop,
            wait=lambda: pause(stop, self.poll_seconds),
            watching=lambda: bool(self._live),
            check=self.poll,
            # the database is down: streams keep going meanwhile
            failed=lambda error: log.warning("could not check for revoked keys: %r", error),
        )
