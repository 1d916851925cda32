"""Streaming clients in their own processes: raw-socket SSE and WebSocket connections.

The benchmark process starts a few client processes (`ClientPool`); each
opens its share of the connections and notes, for every event id, the
CLOCK_MONOTONIC time its data arrived (`harness.now()`, the same clock in
every process of the machine). The clients are as cheap as a client can be
in Python (an asyncio Protocol that splits lines), so that the server, not
the clients, is what is measured, and they cost newswire and the baseline the
same.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import multiprocessing
import os
import secrets
from collections import defaultdict
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from bench.harness import now, raise_file_limit

CONNECT_BATCH = 50


@dataclass(frozen=True)
class Target:
    """Where a connection goes and what it sends: an SSE GET or a WebSocket upgrade."""

    port: int
    path: str
    headers: tuple[tuple[str, str], ...] = ()
    websocket: bool = False

    def request(self) -> bytes:
        """Return the bytes of the opening request."""
        lines = [f"GET {self.path} HTTP/1.1", f"Host: 127.0.0.1:{self.port}"]
        if self.websocket:
            key = base64.b64encode(secrets.token_bytes(16)).decode()
            lines += [
                "Upgrade: websocket",
                "Connection: Upgrade",
                f"Sec-WebSocket-Key: {key}",
                "Sec-WebSocket-Version: 13",
            ]
        else:
            lines.append("Accept: text/event-stream")
        lines += [f"{name}: {value}" for name, value in self.headers]
        return ("\r\n".join(lines) + "\r\n\r\n").encode()


@dataclass
class _Tally:
    arrivals: dict[int, list[float]] = field(default_factory=lambda: defaultdict(list))
    open: int = 0
    ready: int = 0
    closed: int = 0
    received_bytes: int = 0


class _SSE(asyncio.Protocol):
    """Counts the stream as open at `retry:` (or a WebSocket at its 101) and notes each `id:`."""

    def __init__(self, request: bytes, tally: _Tally, websocket: bool) -> None:
        self.request = request
        self.tally = tally
        self.websocket = websocket
        self.tail = b""
        self.is_ready = False

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.tally.open += 1
        transport.write(self.request)  # type: ignore[attr-defined]

    def data_received(self, data: bytes) -> None:
        arrived = now()
        self.tally.received_bytes += len(data)
        if self.websocket:
            if not self.is_ready and b" 101 " in data:
                self.is_ready = True
                self.tally.ready += 1
            return
        lines = (self.tail + data).split(b"\n")
        self.tail = lines.pop()
        for line in lines:
            if line.startswith(b"id: "):
                self.tally.arrivals[int(line[4:])].append(arrived)
            elif not self.is_ready and line.startswith(b"retry:"):
                self.is_ready = True
                self.tally.ready += 1

    def connection_lost(self, exc: Exception | None) -> None:
        self.tally.open -= 1
        self.tally.closed += 1


async def _client_main(conn: Connection, targets: list[Target], count: int) -> None:
    loop = asyncio.get_running_loop()
    tally = _Tally()
    transports: list[asyncio.BaseTransport] = []
    failures = 0
    for start in range(0, count, CONNECT_BATCH):
        batch = []
        for n in range(start, min(count, start + CONNECT_BATCH)):
            target = targets[n % len(targets)]
            protocol = _SSE(target.request(), tally, target.websocket)
            batch.append(
                loop.create_connection(lambda p=protocol: p, "127.0.0.1", target.port)  # type: ignore[misc]
            )
        for result in await asyncio.gather(*batch, return_exceptions=True):
            if isinstance(result, BaseException):
                failures += 1
            else:
                transports.append(result[0])
        await asyncio.sleep(0.02)  # let the server accept and start each stream
    deadline = now() + 60
    while tally.ready + failures < count and now() < deadline:  # noqa: ASYNC110 - a poll is simplest
        await asyncio.sleep(0.02)
    conn.send(("ready", tally.ready, failures))

    # Commands are read in a thread: an event loop's reader would make the pipe
    # non-blocking, and a large report would then fail to send.
    while True:
        command = await asyncio.to_thread(conn.recv)
        if command[0] == "report":
            conn.send(
                {
                    "arrivals": dict(tally.arrivals),
                    "open": tally.open,
                    "ready": tally.ready,
                    "closed": tally.closed,
                    "bytes": tally.received_bytes,
                }
            )
            if command[1]:  # reset
                tally.arrivals = defaultdict(list)
                tally.received_bytes = 0
        elif command[0] == "count":  # how many arrivals of one id so far
            conn.send(len(tally.arrivals.get(command[1], ())))
        elif command[0] == "stop":
            break
    for transport in transports:
        transport.close()
    await asyncio.sleep(0.1)
    conn.send("stopped")


def _client_process(conn: Connection, targets: list[Target], count: int) -> None:
    raise_file_limit()
    with contextlib.suppress(ImportError):
        import uvloop

        uvloop.run(_client_main(conn, targets, count))
        return
    asyncio.run(_client_main(conn, targets, count))


@dataclass
class Report:
    """What every client process saw: arrival times per event id, connections open."""

    arrivals: dict[int, list[float]]
    open: int
    ready: int
    closed: int
    received_bytes: int


class ClientPool:
    """`processes` client processes holding `clients` connections spread over the targets."""

    def __init__(self, targets: list[Target], clients: int, processes: int) -> None:
        self.targets = targets
        self.clients = clients
        self.processes = max(1, min(processes, clients))
        self._children: list[tuple[multiprocessing.process.BaseProcess, Connection]] = []

    async def start(self) -> None:
        """Start the processes and wait until every connection has its stream open."""
        context = multiprocessing.get_context("spawn")
        share, extra = divmod(self.clients, self.processes)
        for index in range(self.processes):
            parent, child = context.Pipe()
            count = share + (1 if index < extra else 0)
            # Rotate the targets so several nodes each get an equal share.
            turn = index % len(self.targets)
            targets = self.targets[turn:] + self.targets[:turn]
            process = context.Process(
                target=_client_process, args=(child, targets, count), daemon=True
            )
            process.start()
            child.close()
            self._children.append((process, parent))
        ready = failures = 0
        for _process, parent in self._children:
            _, opened, failed = await asyncio.to_thread(parent.recv)
            ready += opened
            failures += failed
        if ready != self.clients:
            raise RuntimeError(
                f"only {ready} of {self.clients} streams opened ({failures} connections failed)"
            )

    async def _ask(self, command: tuple[Any, ...]) -> list[Any]:
        answers = []
        for _process, parent in self._children:
            parent.send(command)
        for _process, parent in self._children:
            answers.append(await asyncio.to_thread(parent.recv))
        return answers

    async def received(self, event_id: int) -> int:
        """Return how many clients have received the event with this id so far."""
        return sum(await self._ask(("count", event_id)))

    async def wait_for(self, event_id: int, timeout: float) -> bool:
        """Wait until every client has received the event; False after timeout."""
        deadline = now() + timeout
        while now() < deadline:
            if await self.received(event_id) >= self.clients:
                return True
            await asyncio.sleep(0.02)
        return False

    async def report(self, reset: bool = True) -> Report:
        """Collect the arrival times of every process (and forget them when reset)."""
        merged: dict[int, list[float]] = defaultdict(list)
        opened = ready = closed = received = 0
        for answer in await self._ask(("report", reset)):
            for event_id, times in answer["arrivals"].items():
                merged[event_id] += times
            opened += answer["open"]
            ready += answer["ready"]
            closed += answer["closed"]
            received += answer["bytes"]
        return Report(dict(merged), opened, ready, closed, received)

    async def stop(self) -> None:
        """Close every connection and end the processes."""
        for _process, parent in self._children:
            with contextlib.suppress(OSError, ValueError):
                parent.send(("stop",))
        for process, parent in self._children:
            with contextlib.suppress(OSError, ValueError, EOFError):
                if await asyncio.to_thread(parent.poll, 10):
                    parent.recv()
            await asyncio.to_thread(process.join, 5)
            if process.is_alive():
                process.kill()
            parent.close()
        self._children = []

    async def __aenter__(self) -> ClientPool:
        try:
            await self.start()
        except BaseException:
            await self.stop()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()


def client_processes(default: int = 4) -> int:
    """Return how many client processes to use: NEWSWIRE_BENCH_CLIENT_PROCESSES or `default`."""
    return int(os.environ.get("NEWSWIRE_BENCH_CLIENT_PROCESSES", default))
