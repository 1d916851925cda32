"""The distributed bus: NATS JetStream carries each new log sequence number to every node.

A node publishes a sequence number after its transaction commits, with the
number as `Nats-Msg-Id`, so JetStream drops the duplicates that the log
announcer (`announcer.py`) and several nodes announcing the same head send.
Every node subscribes to the stream's subject and wakes its local waiters, as
`MemoryBus` does in one process. The bus only carries hints: readers read the
log itself from their cursor, and poll it every second anyway, so a message
lost while NATS is away delays a delivery but never loses one.

URL: `nats://HOST:PORT[,nats://HOST2:PORT...][?stream=NAME&subject=SUBJECT]`;
by default stream `NEWSWIRE` on subject `newswire.log`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription
from nats.js import JetStreamContext
from nats.js.api import StorageType
from nats.js.errors import BadRequestError, NotFoundError

from newswire.bus.memory import MemoryBus
from newswire.monitoring.metrics import record_bus_publish

log = logging.getLogger("newswire.bus.nats")

DEFAULT_STREAM = "NEWSWIRE"
DEFAULT_SUBJECT = "newswire.log"
# JetStream remembers message ids this long; re-announcements inside it are dropped.
DUPLICATE_WINDOW_SECONDS = 120.0
# Messages are hints, not data: keep an hour for late joiners to read the head.
MAX_AGE_SECONDS = 3600.0
PUBLISH_TIMEOUT_SECONDS = 2.0
CONNECT_TIMEOUT_SECONDS = 2
RECONNECT_WAIT_SECONDS = 0.5
# How long start() waits for NATS before letting the node run without it.
START_WAIT_SECONDS = 3.0


def parse_url(url: str) -> tuple[list[str], str, str]:
    """Return the server URLs, stream name and subject a nats:// bus URL names."""
    base, _, query = url.partition("?")
    options = dict(parse_qsl(query))
    servers = []
    for server in base.split(","):
        parts = urlsplit(server.strip())
        servers.append(urlunsplit((parts.scheme, parts.netloc, "", "", "")))
    return (
        servers,
        options.get("stream", DEFAULT_STREAM),
        options.get("subject", DEFAULT_SUBJECT),
    )


class NatsBus:
    """A bus across processes and machines over a NATS JetStream stream."""

    def __init__(self, url: str) -> None:
        self.servers, self.stream, self.subject = parse_url(url)
        self._local = MemoryBus()
        self._published = 0
        self._nc: Client | None = None
        self._js: JetStreamContext | None = None
        self._subscription: Subscription | None = None
        self._connecting: asyncio.Task[None] | None = None
        self._pending: Client | None = None
        self._closed = False

    # The contract --------------------------------------------------------------

    @property
    def latest(self) -> int:
        """The newest sequence number this node has heard of, from itself or NATS."""
        return self._local.latest

    @property
    def published(self) -> int:
        """The newest sequence number known to be in the stream (acked or received)."""
        return self._published

    @property
    def connected(self) -> bool:
        """Whether NATS is reachable right now."""
        return self._nc is not None and self._nc.is_connected and self._js is not None

    async def start(self) -> None:
        """Connect and subscribe; when NATS is down, keep trying in the background."""
        self._closed = False
        self._connecting = asyncio.create_task(self._keep_connecting(), name="nats-connect")
        # Usually NATS answers at once; a node whose NATS is away still starts,
        # reports the bus unavailable, and relies on polling the log meanwhile.
        await asyncio.wait({self._connecting}, timeout=START_WAIT_SECONDS)
        if not self.connected:
            log.warning("NATS at %s unavailable; retrying in the background", self.servers)

    async def close(self) -> None:
        """Disconnect and wake every waiter."""
        self._closed = True
        if self._connecting is not None:
            self._connecting.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._connecting
            self._connecting = None
        if self._nc is not None:
            with contextlib.suppress(Exception):
                await self._nc.close()
            self._nc = None
            self._js = None
        await self._local.close()

    async def ping(self) -> None:
        """Raise ConnectionError unless connected to NATS."""
        if not self.connected:
            raise ConnectionError(f"not connected to NATS at {','.join(self.servers)}")

    async def announce(self, seq: int) -> None:
        """Wake this node's waiters, then publish seq to the stream once it is committed."""
        await self._local.announce(seq)
        if seq <= self._published or not self.connected:
            # Already in the stream, or NATS is away: the log announcer sends the
            # head when NATS is back. Never make an editor wait for the bus.
            return
        assert self._js is not None
        try:
            ack = await self._js.publish(
                self.subject,
                str(seq).encode(),
                timeout=PUBLISH_TIMEOUT_SECONDS,
                headers={"Nats-Msg-Id": str(seq)},
            )
        except Exception as error:  # the story is committed; the announcer retries
            log.warning("could not publish log seq %d to NATS: %s", seq, error)
            return
        if not ack.duplicate:
            record_bus_publish()
        self._published = max(self._published, seq)

    async def wait_beyond(self, seq: int, timeout: float) -> int:
        """Wait until a known number exceeds seq or timeout passes; return the newest known."""
        return await self._local.wait_beyond(seq, timeout)

    # Connection ----------------------------------------------------------------

    async def _connect(self) -> None:
        nc = Client()
        self._pending = nc
        try:
            # Retries for ever, also on the first connection; close() cancels it.
            await nc.connect(
                servers=self.servers,
                name="newswire",
                connect_timeout=CONNECT_TIMEOUT_SECONDS,
                reconnect_time_wait=RECONNECT_WAIT_SECONDS,  # type: ignore[arg-type]
                max_reconnect_attempts=-1,
                allow_reconnect=True,
                disconnected_cb=self._on_disconnected,
                reconnected_cb=self._on_reconnected,
                error_cb=self._on_error,
            )
            js = nc.jetstream(timeout=PUBLISH_TIMEOUT_SECONDS)
            await self._ensure_stream(js)
            self._subscription = await nc.subscribe(self.subject, cb=self._on_message)
        except BaseException:
            with contextlib.suppress(Exception):
                await nc.close()
            raise
        finally:
            self._pending = None
        self._nc, self._js = nc, js
        await self._catch_up()

    async def _keep_connecting(self) -> None:
        while not self._closed:
            try:
                await self._connect()
            except Exception as error:  # e.g. JetStream not enabled yet; try again
                log.warning("cannot use NATS at %s: %s", self.servers, error)
                await asyncio.sleep(RECONNECT_WAIT_SECONDS * 2)
            else:
                log.info("connected to NATS at %s", self.servers)
                return

    async def _ensure_stream(self, js: JetStreamContext) -> None:
        config: dict[str, Any] = {
            "name": self.stream,
            "subjects": [self.subject],
            "duplicate_window": DUPLICATE_WINDOW_SECONDS,
            "max_age": MAX_AGE_SECONDS,
            "storage": StorageType.FILE,
        }
        try:
            await js.add_stream(**config)
        except BadRequestError as error:
            # Another node created it first, perhaps with other limits: use it.
            info = await js.stream_info(self.stream)
            if self.subject not in (info.config.subjects or []):
                raise ConnectionError(
                    f"NATS stream {self.stream} exists without subject {self.subject}"
                ) from error

    async def _catch_up(self) -> None:
        """Learn the newest number in the stream (announcements missed while away)."""
        if self._js is None:
            return
        try:
            message = await self._js.get_last_msg(self.stream, self.subject)
        except NotFoundError:
            return
        except Exception as error:
            log.debug("could not read the stream's last message: %s", error)
            return
        await self._heard(message.data)

    async def _heard(self, data: bytes | None) -> None:
        try:
            seq = int(data or b"")
        except ValueError:
            log.warning("ignoring a malformed message on %s: %r", self.subject, data)
            return
        self._published = max(self._published, seq)
        await self._local.announce(seq)

    async def _on_message(self, message: Msg) -> None:
        await self._heard(message.data)

    async def _on_disconnected(self) -> None:
        if not self._closed:
            log.warning("disconnected from NATS; reconnecting")

    async def _on_reconnected(self) -> None:
        log.info("reconnected to NATS")
        await self._catch_up()

    async def _on_error(self, error: Exception) -> None:
        log.debug("NATS error: %s", error)
