"""What every benchmark shares: servers in child processes, load tools, statistics, results files.

A benchmark measures newswire and a baseline in the same run, several runs in
a row, and records each figure as the median, minimum and maximum over the
runs, beside the baseline's and the ratio newswire / baseline (computed per
run, then summarized). Absolute numbers on a shared two-core machine are
noise; the ratio of two things measured side by side is the figure.

How a benchmark declares its options and records its figures in
`bench/results.*`: `bench/benchmarks.py`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

BENCH_DIR = Path(__file__).resolve().parent
ADMIN_TOKEN = "nwa_bench-admin-token"
PG_URL = os.environ.get("NEWSWIRE_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/test")
NATS_URL = os.environ.get("NEWSWIRE_BENCH_NATS", "nats://127.0.0.1:4222")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def now() -> float:
    """Return CLOCK_MONOTONIC in seconds: one clock shared by every process on this machine."""
    return time.clock_gettime(time.CLOCK_MONOTONIC)


# Statistics ----------------------------------------------------------------------


@dataclass(frozen=True)
class Spread:
    """The median of several runs with the smallest and largest beside it."""

    median: float
    min: float
    max: float

    @classmethod
    def of(cls, values: Iterable[float]) -> Spread:
        """Summarize a non-empty series of per-run values."""
        ordered = sorted(values)
        return cls(statistics.median(ordered), ordered[0], ordered[-1])

    def as_dict(self) -> dict[str, float]:
        """Return {median, min, max}."""
        return {"median": self.median, "min": self.min, "max": self.max}


def percentile(values: Sequence[float], fraction: float) -> float:
    """Return the nearest-rank percentile (0 < fraction <= 1) of a non-empty series."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-fraction * len(ordered) // 1))))
    return ordered[rank - 1]


@dataclass
class Figure:
    """One measured quantity: newswire's and the baseline's value in each run, and a target.

    `target` is a bound on the ratio newswire / baseline: ("<=", 1.5) for a
    latency at most 1.5x the baseline's, (">=", 0.6) for a throughput at least
    0.6x. `absolute_target` bounds newswire's own value instead (memory).
    """

    name: str
    unit: str
    newswire: list[float] = field(default_factory=list)
    baseline: list[float] = field(default_factory=list)
    target: tuple[str, float] | None = None
    absolute_target: tuple[str, float] | None = None
    note: str = ""

    def add(self, ours: float, floor: float) -> None:
        """Record one run's pair of values."""
        self.newswire.append(ours)
        self.baseline.append(floor)

    def ratios(self) -> list[float]:
        """Return newswire / baseline for each run (inf where the baseline measured 0)."""
        return [
            ours / floor if floor else float("inf")
            for ours, floor in zip(self.newswire, self.baseline, strict=True)
        ]

    def verdict(self) -> str:
        """Return 'met', 'missed' or '' (no target), judged on the median."""
        checks: list[bool] = []
        if self.target is not None and self.newswire:
            checks.append(_holds(Spread.of(self.ratios()).median, self.target))
        if self.absolute_target is not None and self.newswire:
            checks.append(_holds(Spread.of(self.newswire).median, self.absolute_target))
        if not checks:
            return ""
        return "met" if all(checks) else "missed"

    def as_dict(self) -> dict[str, Any]:
        """Return the figure with its spreads, for results.json."""
        body: dict[str, Any] = {"name": self.name, "unit": self.unit, "runs": len(self.newswire)}
        if self.newswire:
            body["newswire"] = Spread.of(self.newswire).as_dict()
            body["baseline"] = Spread.of(self.baseline).as_dict()
            body["ratio"] = Spread.of(self.ratios()).as_dict()
            body["samples"] = {"newswire": self.newswire, "baseline": self.baseline}
        if self.target is not None:
            body["target"] = f"ratio {self.target[0]} {self.target[1]:g}"
        if self.absolute_target is not None:
            body["target"] = f"{self.absolute_target[0]} {self.absolute_target[1]:g} {self.unit}"
        body["verdict"] = self.verdict()
        if self.note:
            body["note"] = self.note
        return body


def _holds(value: float, bound: tuple[str, float]) -> bool:
    operator, limit = bound
    return value <= limit if operator == "<=" else value >= limit


# Processes -------------------------------------------------------------------------


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_kib(pid: int) -> int:
    """Return a process's resident set size in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def cpu_seconds(pid: int) -> float:
    """Return the user + system CPU time a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def raise_file_limit() -> None:
    """Allow as many open files as the hard limit does (thousands of sockets)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


async def wait_listening(port: int, process: asyncio.subprocess.Process, timeout: float) -> None:
    """Wait until something accepts connections on the port (or the process died)."""
    deadline = now() + timeout
    while now() < deadline:
        if process.returncode is not None:
            raise RuntimeError(f"process {process.pid} exited with {process.returncode}")
        try:
            _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.05)
            continue
        writer.close()
        return
    raise TimeoutError(f"nothing listens on port {port} after {timeout} s")


async def stop_process(process: asyncio.subprocess.Process) -> None:
    """Terminate a child process and wait for it (kill it if it does not go)."""
    if process.returncode is not None:
        return
    process.terminate()
    try:
        await asyncio.wait_for(process.wait(), 15)
    except TimeoutError:
        process.kill()
        await process.wait()


@asynccontextmanager
async def python_process(
    *arguments: str, port: int, env: dict[str, str] | None = None
) -> AsyncIterator[asyncio.subprocess.Process]:
    """Run `python -m <arguments>` (a baseline server) until the block ends."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        *arguments,
        stdout=asyncio.subprocess.DEVNULL,
        env={**os.environ, "NEWSWIRE_ADMIN_TOKEN": ADMIN_TOKEN, **(env or {})},
    )
    try:
        await wait_listening(port, process, 30)
        yield process
    finally:
        await stop_process(process)


Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


async def serve_connections(port: int, handle: Handler) -> None:
    """Serve every TCP connection on 127.0.0.1:port with `handle` until killed.

    For the bare baseline servers: a client that leaves mid-request ends its
    own connection quietly, and every socket is closed when its handler ends.
    """

    async def connection(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            await handle(reader, writer)
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    server = await asyncio.start_server(connection, "127.0.0.1", port, backlog=4096)
    async with server:
        await server.serve_forever()


async def read_head(reader: asyncio.StreamReader) -> tuple[bytes, dict[bytes, bytes]]:
    """Read one HTTP/1.1 request head; return it and its headers (names in lower case)."""
    head = await reader.readuntil(b"\r\n\r\n")
    headers = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(b":") for line in head.split(b"\r\n")[1:] if line)
    }
    return head, headers


# newswire servers ------------------------------------------------------------------


def story(number: int, urgency: int = 4, paragraphs: int = 6) -> dict[str, Any]:
    """Return a realistic story to file: headline, byline, dateline, a body of whole sentences."""
    topics = ("budget", "election", "harbour", "railway", "drought", "museum", "vaccine", "court")
    topic = topics[number % len(topics)]
    sentences = [
        f"The {topic} committee met on Tuesday to discuss item {number} of its agenda.",
        f"Officials said the {topic} plan would cost more than expected this year.",
        '"We will publish the figures next week," a spokesperson told reporters in the capital.',
        f"Critics of the {topic} proposal argued that it ignored smaller towns and villages.",
        "The opposition called for an inquiry and asked for the documents to be released.",
        f"Analysts expect a decision on the {topic} before the end of the month.",
    ]
    body = "\n\n".join(
        " ".join(sentences[(p + s) % len(sentences)] for s in range(3)) for p in range(paragraphs)
    )
    return {
        "headline": f"Bench story {number}: {topic} committee meets again",
        "body": body,
        "byline": "Bench Reporter",
        "dateline": "LOOPBACK",
        "categories": ["World"],
        "subjects": ["medtop:11000000"],
        "language": "en",
        "urgency": urgency,
        "public": True,
    }


@dataclass
class Newswire:
    """A `newswire serve` child process, with an admin client to create keys and file stories."""

    process: asyncio.subprocess.Process
    port: int
    api: httpx.AsyncClient

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self.process.pid

    @property
    def url(self) -> str:
        """The server's base URL."""
        return f"http://127.0.0.1:{self.port}"

    async def key(self, role: str, **fields: Any) -> str:
        """Create an editor or subscriber ('editors' / 'subscribers') and return its key."""
        response = await self.api.post(
            f"/v1/{role}",
            json={"name": f"bench {secrets.token_hex(3)}", **fields},
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        )
        response.raise_for_status()
        return str(response.json()["api_key"])

    async def file(self, editor_key: str, body: dict[str, Any]) -> int:
        """File a story as an editor; return its log sequence number."""
        response = await self.api.post(
            "/v1/stories", json=body, headers={"Authorization": f"Bearer {editor_key}"}
        )
        response.raise_for_status()
        return int(response.json()["seq"])


async def file_stories(server: Newswire, editor_key: str, count: int, start: int = 0) -> list[int]:
    """File `count` stories, four requests at a time; return their sequence numbers."""
    gate = asyncio.Semaphore(4)

    async def one(number: int) -> int:
        async with gate:
            return await server.file(editor_key, story(number))

    return list(await asyncio.gather(*(one(start + n) for n in range(count))))


@asynccontextmanager
async def newswire_server(
    db: str | None = None,
    bus: str | None = None,
    jobs: bool = False,
    env: dict[str, str] | None = None,
) -> AsyncIterator[Newswire]:
    """Run `newswire serve` on a free port (a fresh SQLite file unless `db` is given)."""
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="newswire-bench-") as tmp:
        command = [sys.executable, "-m", "newswire", "serve", "--no-demo"]
        command += ["--jobs" if jobs else "--no-jobs", "--port", str(port)]
        command += ["--db", db or f"sqlite:///{tmp}/bench.db"]
        if bus:
            command += ["--bus", bus]
        environment = {
            **os.environ,
            "NEWSWIRE_ADMIN_TOKEN": ADMIN_TOKEN,
            "NEWSWIRE_LOG_LEVEL": "warning",
            **(env or {}),
        }
        # NEWSWIRE_BENCH_LOGS=DIR keeps each server's output there (else it goes with the run).
        logs = Path(os.environ.get("NEWSWIRE_BENCH_LOGS") or tmp)
        log_path = logs / f"newswire-{port}.log"
        with log_path.open("wb") as log:
            process = await asyncio.create_subprocess_exec(
                *command, env=environment, stdout=log, stderr=subprocess.STDOUT
            )
            try:
                async with httpx.AsyncClient(
                    base_url=f"http://127.0.0.1:{port}", timeout=60
                ) as api:
                    await _wait_healthy(api, process, log_path)
                    yield Newswire(process, port, api)
            finally:
                await stop_process(process)


async def _wait_healthy(
    api: httpx.AsyncClient, process: asyncio.subprocess.Process, log_path: Path
) -> None:
    deadline = now() + 60
    while now() < deadline and process.returncode is None:
        try:
            if (await api.get("/healthz")).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        await asyncio.sleep(0.1)
    log = await asyncio.to_thread(log_path.read_text, errors="replace")
    raise RuntimeError(f"newswire did not start:\n{log}")


@dataclass(frozen=True)
class Distributed:
    """A private PostgreSQL schema and NATS stream for one run with several nodes."""

    db: str
    bus: str


async def _postgres(sql: str, timeout: float = 5) -> None:
    """Run one statement on PostgreSQL, on a connection of its own."""
    import asyncpg

    dsn = PG_URL.replace("postgresql+asyncpg://", "postgresql://")
    conn = await asyncpg.connect(dsn, timeout=timeout)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@asynccontextmanager
async def _jetstream() -> AsyncIterator[Any]:
    """Connect to NATS (no reconnecting) for a JetStream call or two, then close."""
    import nats

    client = await nats.connect(NATS_URL, connect_timeout=2, max_reconnect_attempts=0)
    try:
        yield client.jetstream()
    finally:
        await client.close()


@asynccontextmanager
async def distributed_backend() -> AsyncIterator[Distributed]:
    """Create a fresh schema and JetStream stream, and drop them afterwards."""
    from nats.js.errors import NotFoundError

    token = secrets.token_hex(5)
    schema, stream = f"bench_{token}", f"NWBENCH_{token}"
    await _postgres(f"CREATE SCHEMA {schema}")
    joiner = "&" if "?" in PG_URL else "?"
    try:
        yield Distributed(
            db=f"{PG_URL}{joiner}schema={schema}",
            bus=f"{NATS_URL}?stream={stream}&subject=nwbench.{token}.log",
        )
    finally:
        await _postgres(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        async with _jetstream() as jetstream:
            with contextlib.suppress(NotFoundError):  # no node got as far as creating it
                await jetstream.delete_stream(stream)


async def distributed_available() -> str | None:
    """Return why PostgreSQL + NATS cannot be used here, or None when both answer."""
    try:
        await _postgres("SELECT 1", timeout=3)
        async with _jetstream() as jetstream:
            await jetstream.account_info()
    except Exception as error:  # refused, no database, no JetStream: say which
        return f"{type(error).__name__}: {error}"
    return None


def check(condition: bool, message: str) -> None:
    """Stop a benchmark whose measurement would be meaningless (every client must get all)."""
    if not condition:
        raise RuntimeError(message)


def run_async(main: Callable[[], Any]) -> Any:
    """Run a benchmark's async main on uvloop when it is installed (as uvicorn does)."""
    raise_file_limit()
    try:
        import uvloop
    except ImportError:
        return asyncio.run(main())
    return uvloop.run(main())
