"""Fan-out: publish-to-receive latency and burst throughput to 1,000 SSE clients.

Each run measures, one after the other, with the same clients (raw-socket SSE
connections held by separate client processes, `bench/clients.py`):

* newswire on SQLite: `newswire serve` on a fresh file; an editor files each
  story with `POST /v1/stories` (validation, summary, SQLite commit, bus),
  and every connection's reader delivers it;
* the baseline: a bare asyncio broadcaster (`bench/broadcaster.py`) that
  writes the same envelope, byte for byte, to every socket when told to;
* newswire on two nodes sharing PostgreSQL + NATS JetStream: half of the
  clients on each node, stories filed on the first node.

Phase 1 (latency): `--stories` stories at a steady `--rate` per second.
Latency is from just before the publish request is sent to the moment a
client's socket delivers the event's `id:` line, over every delivery; the
server's CPU time over the phase is divided by the stories. Phase 2
(throughput): `--burst` stories published back to back (four at a time);
deliveries per second = clients x stories / (last arrival - first publish).

Run alone: `python -m bench.fanout --clients 1000 --stories 200 --runs 3`.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from bench import harness, profiles
from bench.benchmarks import Benchmark, Option, Results
from bench.clients import ClientPool, Target, client_processes
from bench.harness import Figure, Newswire, now

PUBLISHERS = 4  # publish requests in flight during a burst

FANOUT = Benchmark(
    "Fan-out to SSE clients: latency, CPU and burst throughput",
    [
        Option("--clients", 1000, "SSE clients"),
        Option("--processes", client_processes(), "client processes"),
        Option("--subscribers", 10, "subscriber keys the clients use"),
        Option("--stories", 100, "stories in the latency phase"),
        Option("--rate", 10.0, "stories per second in the latency phase"),
        Option("--burst", 100, "stories in the burst phase"),
        Option("--nodes", 2, "nodes on PostgreSQL + NATS"),
        Option("--no-distributed", False, "skip the PostgreSQL + NATS runs"),
    ],
    ["Baseline: bare asyncio broadcaster (bench/broadcaster.py) writing the same bytes."],
    profile=True,  # the SQLite runs
)


@dataclass
class Measured:
    """One server's figures in one run."""

    p50_ms: float
    p99_ms: float
    cpu_ms_per_story: float
    deliveries_per_second: float
    publish_ms: float


Publish = Callable[[int], Awaitable[int]]


async def _steady(
    pool: ClientPool,
    publish: Publish,
    pids: Sequence[int],
    stories: int,
    rate: float,
    profile: Path | None,
) -> tuple[float, float, float, float]:
    """Publish at a steady rate; return p50, p99, CPU ms per story and median publish time."""
    spy = await profiles.record(pids[0], stories / rate, profile) if profile else None
    started_at: dict[int, float] = {}
    publish_times: list[float] = []

    async def one(number: int) -> None:
        started = now()
        seq = await publish(number)
        publish_times.append(now() - started)
        started_at[seq] = started

    cpu_before = sum(harness.cpu_seconds(pid) for pid in pids)
    origin = now()
    tasks = []
    for number in range(stories):
        delay = origin + number / rate - now()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(number)))
    await asyncio.gather(*tasks)
    last = max(started_at)
    complete = await pool.wait_for(last, timeout=60)
    cpu = sum(harness.cpu_seconds(pid) for pid in pids) - cpu_before
    if profile:
        await profiles.finish(spy, profile)
    report = await pool.report(reset=True)
    latencies = [
        arrived - started_at[seq]
        for seq, times in report.arrivals.items()
        if seq in started_at
        for arrived in times
    ]
    expected = pool.clients * stories
    harness.check(
        complete and len(latencies) == expected and report.open == pool.clients,
        f"latency phase: {len(latencies)} of {expected} deliveries,"
        f" {report.open} of {pool.clients} connections open",
    )
    return (
        harness.percentile(latencies, 0.50) * 1000,
        harness.percentile(latencies, 0.99) * 1000,
        cpu / stories * 1000,
        harness.percentile(publish_times, 0.5) * 1000,
    )


async def _burst(pool: ClientPool, publish: Publish, first: int, stories: int) -> float:
    """Publish a burst back to back; return deliveries per second to all clients."""
    gate = asyncio.Semaphore(PUBLISHERS)
    seqs: list[int] = []

    async def one(number: int) -> None:
        async with gate:
            seqs.append(await publish(number))

    origin = now()
    await asyncio.gather(*(one(first + n) for n in range(stories)))
    complete = await pool.wait_for(max(seqs), timeout=120)
    report = await pool.report(reset=True)
    wanted = set(seqs)
    arrivals = [t for seq, times in report.arrivals.items() if seq in wanted for t in times]
    harness.check(
        complete and len(arrivals) == pool.clients * stories,
        f"burst: {len(arrivals)} of {pool.clients * stories} deliveries",
    )
    return len(arrivals) / (max(arrivals) - origin)


async def _phases(
    pool: ClientPool,
    publish: Publish,
    pids: Sequence[int],
    options: Any,
    profile: Path | None = None,
) -> Measured:
    # A first story warms every connection's path (and is not measured).
    warm = await publish(-1)
    harness.check(await pool.wait_for(warm, timeout=60), "the warm-up story did not arrive")
    await pool.report(reset=True)
    p50, p99, cpu, publish_ms = await _steady(
        pool, publish, pids, options.stories, options.rate, profile
    )
    throughput = await _burst(pool, publish, options.stories, options.burst)
    return Measured(p50, p99, cpu, throughput, publish_ms)


def _print(label: str, measured: Measured) -> None:
    print(
        f"    {label:<22} p50 {measured.p50_ms:8.1f} ms  p99 {measured.p99_ms:8.1f} ms"
        f"  cpu {measured.cpu_ms_per_story:6.1f} ms/story"
        f"  burst {measured.deliveries_per_second:9,.0f} deliveries/s"
        f"  publish {measured.publish_ms:5.1f} ms",
        flush=True,
    )


async def _newswire_side(
    servers: Sequence[Newswire], options: Any, profile: Path | None = None
) -> tuple[Measured, bytes]:
    """Measure newswire on the given nodes; return the figures and one event's JSON."""
    first = servers[0]
    editor = await first.key("editors")
    keys = [await first.key("subscribers") for _ in range(options.subscribers)]
    targets = [
        Target(server.port, "/v1/stream", (("Authorization", f"Bearer {key}"),))
        for key in keys
        for server in servers
    ]

    async def publish(number: int) -> int:
        return await first.file(editor, harness.story(number))

    async with ClientPool(targets, options.clients, options.processes) as pool:
        pids = [server.pid for server in servers]
        measured = await _phases(pool, publish, pids, options, profile)
    sample = await first.api.get(
        "/v1/feed", params={"limit": 1}, headers={"Authorization": f"Bearer {keys[0]}"}
    )
    event = sample.json()["events"][0]
    return measured, json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode()


async def _baseline_side(data: bytes, options: Any) -> Measured:
    port = harness.free_port()
    async with (
        harness.python_process("bench.broadcaster", "--port", str(port), port=port) as server,
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=60) as api,
    ):
        targets = [Target(port, "/stream")]

        async def publish(_number: int) -> int:
            response = await api.post("/publish", content=data)
            return int(response.text)

        async with ClientPool(targets, options.clients, options.processes) as pool:
            return await _phases(pool, publish, [server.pid], options)


async def _sqlite(options: Any, run: int) -> tuple[Measured, bytes]:
    profile = options.profile / f"fanout-sqlite-run{run}.txt" if options.profile else None
    async with harness.newswire_server() as server:
        return await _newswire_side([server], options, profile)


async def _distributed(options: Any) -> Measured:
    async with AsyncExitStack() as stack:
        backend = await stack.enter_async_context(harness.distributed_backend())
        servers = [
            await stack.enter_async_context(harness.newswire_server(db=backend.db, bus=backend.bus))
            for _ in range(options.nodes)
        ]
        measured, _ = await _newswire_side(servers, options)
        return measured


async def _main(options: Any) -> Results:
    distributed = not options.no_distributed
    if distributed and (reason := await harness.distributed_available()) is not None:
        print(f"  PostgreSQL + NATS runs skipped: {reason}")
        distributed = False
    where = f"{options.nodes} nodes on PostgreSQL + NATS"
    figures = {
        "p50": Figure("publish-to-receive p50, SQLite", "ms"),
        "p99": Figure("publish-to-receive p99, SQLite", "ms", target=("<=", 1.5)),
        "cpu": Figure("server CPU per story, SQLite", "ms"),
        "burst": Figure("burst deliveries per second, SQLite", "/s", target=(">=", 0.6)),
    }
    if distributed:
        figures |= {
            "dp50": Figure(f"publish-to-receive p50, {where}", "ms"),
            "dp99": Figure(f"publish-to-receive p99, {where}", "ms", target=("<=", 1.5)),
            "dcpu": Figure(f"servers' CPU per story, {where}", "ms"),
            "dburst": Figure(f"burst deliveries per second, {where}", "/s", target=(">=", 0.6)),
        }
    for run in range(options.runs):
        print(f"  run {run + 1}/{options.runs}", flush=True)
        ours, data = await _sqlite(options, run + 1)
        _print("newswire, SQLite", ours)
        floor = await _baseline_side(data, options)
        _print("bare broadcaster", floor)
        figures["p50"].add(ours.p50_ms, floor.p50_ms)
        figures["p99"].add(ours.p99_ms, floor.p99_ms)
        figures["cpu"].add(ours.cpu_ms_per_story, floor.cpu_ms_per_story)
        figures["burst"].add(ours.deliveries_per_second, floor.deliveries_per_second)
        if distributed:
            nodes = await _distributed(options)
            _print(f"newswire, {options.nodes} nodes PG", nodes)
            figures["dp50"].add(nodes.p50_ms, floor.p50_ms)
            figures["dp99"].add(nodes.p99_ms, floor.p99_ms)
            figures["dcpu"].add(nodes.cpu_ms_per_story, floor.cpu_ms_per_story)
            figures["dburst"].add(nodes.deliveries_per_second, floor.deliveries_per_second)
    return Results(list(figures.values()), {"publishers in a burst": PUBLISHERS})


def main(argv: list[str] | None = None) -> int:
    """Run the fan-out benchmark (see the module's docstring); options: --help."""
    return FANOUT.main(_main, argv)


if __name__ == "__main__":
    raise SystemExit(main())
