"""Real-time delivery: publish-to-receive latency and memory per idle SSE connection.

Two servers run as child processes on loopback, each measured with the same
raw-socket SSE clients in this process:

* newswire (`newswire serve` on a fresh SQLite file): each connection has its
  own LogReader, bounded buffer and tasks; an event travels editor POST ->
  SQLite commit -> bus -> every connection reads the log -> socket.
* a bare asyncio broadcaster (the baseline): keeps the sockets in a set and
  writes a same-sized frame to each when told to publish. It is the floor:
  no storage, no entitlement, no per-connection reader.

Latency is from just before the publish request is sent to the moment a
client has read the event's `id:` line. Memory is the server's resident set
growth divided by the number of idle connections. Run: `python -m bench.realtime`.
"""

from __future__ import annotations

import asyncio
import os
import resource
import socket
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import httpx

SIZES = (100, 1000)
EVENTS = 10
ADMIN_TOKEN = "nwa_bench-token"
PAYLOAD_BYTES = 1500  # about the size of a newswire ninjs envelope


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _raise_file_limit() -> None:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


async def _stop(process: asyncio.subprocess.Process) -> None:
    process.terminate()
    try:
        await asyncio.wait_for(process.wait(), 15)
    except TimeoutError:
        process.kill()
        await process.wait()


# The baseline broadcaster --------------------------------------------------------


async def _baseline_server(port: int) -> None:
    clients: set[asyncio.StreamWriter] = set()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            return
        if request.startswith(b"POST /publish/"):
            seq = int(request.split(b" ")[1].rsplit(b"/", 1)[1])
            frame = f"id: {seq}\nevent: story.published\ndata: {'x' * PAYLOAD_BYTES}\n\n"
            for client in list(clients):
                client.write(frame.encode())
            writer.write(b"HTTP/1.0 204 No Content\r\n\r\n")
            writer.close()
            return
        writer.write(b"HTTP/1.0 200 OK\r\ncontent-type: text/event-stream\r\n\r\nretry: 2000\n\n")
        clients.add(writer)
        try:
            await reader.read()  # until the client leaves
        finally:
            clients.discard(writer)

    server = await asyncio.start_server(handle, "127.0.0.1", port, backlog=4096)
    async with server:
        await server.serve_forever()


# Clients --------------------------------------------------------------------------


class Clients:
    """Raw-socket SSE clients that note when each event id arrives."""

    def __init__(self) -> None:
        self.arrivals: dict[int, list[float]] = defaultdict(list)
        self.connected = 0
        self.tasks: list[asyncio.Task[None]] = []

    async def _one(self, port: int, request: bytes, ready: asyncio.Event, total: int) -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            writer.write(request)
            while line := await reader.readline():
                if line.startswith(b"retry:"):
                    self.connected += 1
                    if self.connected == total:
                        ready.set()
                elif line.startswith(b"id: "):
                    self.arrivals[int(line[4:])].append(time.perf_counter())
        finally:
            writer.close()

    async def open(self, port: int, request: bytes, count: int) -> None:
        """Connect `count` clients and wait until each has its stream open."""
        ready = asyncio.Event()
        for n in range(count):
            self.tasks.append(asyncio.create_task(self._one(port, request, ready, count)))
            if n % 100 == 99:
                await asyncio.sleep(0.05)  # let the server accept in batches
        await asyncio.wait_for(ready.wait(), 120)

    async def wait_for(self, seq: int, count: int, timeout: float = 60) -> None:
        """Wait until `count` clients have received event `seq`."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if len(self.arrivals[seq]) >= count:
                return
            await asyncio.sleep(0.005)

    async def close(self) -> None:
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


def _summary(latencies: list[float]) -> dict[str, float]:
    ordered = sorted(latencies)
    return {
        "p50": statistics.median(ordered) * 1000,
        "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
        "max": ordered[-1] * 1000,
    }


# Runs -----------------------------------------------------------------------------


async def _measure(
    name: str, pid: int, port: int, request: bytes, count: int, publish: object
) -> dict[str, float]:
    base_rss = _rss_kib(pid)
    clients = Clients()
    await clients.open(port, request, count)
    await asyncio.sleep(0.5)
    per_connection = (_rss_kib(pid) - base_rss) / count
    latencies: list[float] = []
    for _ in range(EVENTS):
        started = time.perf_counter()
        seq = await publish()  # type: ignore[operator]
        await clients.wait_for(seq, count)
        latencies += [arrived - started for arrived in clients.arrivals[seq]]
    received = sum(len(clients.arrivals[s]) for s in list(clients.arrivals))
    await clients.close()
    result = {"kib_per_connection": per_connection, **_summary(latencies)}
    result["delivered"] = received / (count * EVENTS)
    print(
        f"  {name:<9} {count:>5} clients: p50 {result['p50']:7.1f} ms  p99 {result['p99']:7.1f} ms"
        f"  max {result['max']:7.1f} ms  {per_connection:6.1f} KiB/connection"
        f"  delivered {result['delivered']:.0%}",
        flush=True,
    )
    return result


async def _run_newswire(count: int) -> dict[str, float]:
    port = _free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "NEWSWIRE_ADMIN_TOKEN": ADMIN_TOKEN,
            "NEWSWIRE_LOG_LEVEL": "warning",
            "NEWSWIRE_STREAM_BUFFER_EVENTS": "256",
        }
        command = [sys.executable, "-m", "newswire", "serve", "--no-demo", "--no-jobs"]
        command += ["--db", f"sqlite:///{tmp}/bench.db", "--port", str(port)]
        server = await asyncio.create_subprocess_exec(
            *command, env=env, stdout=asyncio.subprocess.DEVNULL
        )
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as api:
                for _ in range(200):
                    try:
                        if (await api.get("/healthz")).status_code == 200:
                            break
                    except httpx.HTTPError:
                        pass
                    await asyncio.sleep(0.1)
                admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
                editor_key = (
                    await api.post("/v1/editors", json={"name": "B"}, headers=admin)
                ).json()
                sub_key = (
                    await api.post("/v1/subscribers", json={"name": "S"}, headers=admin)
                ).json()
                editor = {"Authorization": f"Bearer {editor_key['api_key']}"}
                story = {
                    "headline": "Benchmark story",
                    "body": "Wire copy for the benchmark, one sentence long.",
                    "byline": "Bench",
                    "dateline": "LOOPBACK",
                    "categories": ["World"],
                    "language": "en",
                }

                async def publish() -> int:
                    response = await api.post("/v1/stories", json=story, headers=editor)
                    return int(response.json()["seq"])

                request = (
                    f"GET /v1/stream HTTP/1.0\r\nAuthorization: Bearer {sub_key['api_key']}\r\n\r\n"
                ).encode()
                return await _measure("newswire", server.pid, port, request, count, publish)
        finally:
            await _stop(server)


async def _run_baseline(count: int) -> dict[str, float]:
    port = _free_port()
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.realtime", "--baseline", str(port)
    )
    seq = 0
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), 1).close()
                break
            except OSError:
                await asyncio.sleep(0.05)

        async def publish() -> int:
            nonlocal seq
            seq += 1
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(f"POST /publish/{seq} HTTP/1.0\r\n\r\n".encode())
            await reader.read()
            writer.close()
            return seq

        request = b"GET /stream HTTP/1.0\r\n\r\n"
        return await _measure("baseline", server.pid, port, request, count, publish)
    finally:
        await _stop(server)


async def _main() -> None:
    _raise_file_limit()
    print(f"publish-to-receive latency over {EVENTS} events, loopback, one server process")
    for count in SIZES:
        ours = await _run_newswire(count)
        floor = await _run_baseline(count)
        print(
            f"  ratio     {count:>5} clients: p50 x{ours['p50'] / floor['p50']:.1f}"
            f"  p99 x{ours['p99'] / floor['p99']:.1f}"
            f"  memory x{ours['kib_per_connection'] / max(floor['kib_per_connection'], 0.1):.1f}",
            flush=True,
        )


def main() -> None:
    """Run the benchmark and print one line per server and size, then the ratios."""
    asyncio.run(_main())


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--baseline":
        _raise_file_limit()
        asyncio.run(_baseline_server(int(sys.argv[2])))
    else:
        main()
