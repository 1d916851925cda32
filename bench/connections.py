"""Memory per idle connection: SSE and WebSocket, in KiB of server resident memory.

A fresh server takes `--warm` connections first (so one-time allocations,
imports and pools are not counted), then `--clients` more idle connections
from separate client processes; the figure is the growth of the server's
resident set divided by `--clients`, read two seconds after the last
connection opened. newswire (`newswire serve`, SQLite) is compared with
the bare asyncio broadcaster (`bench/broadcaster.py`), which holds a socket
and nothing else; a fresh process for each kind and each run. Target: under
64 KiB per connection.

Run alone: `python -m bench.connections --clients 1000 --runs 3`.
"""

from __future__ import annotations

import asyncio
from typing import Any

from bench import harness
from bench.benchmarks import Benchmark, Option, Results
from bench.clients import ClientPool, Target, client_processes
from bench.harness import Figure

CONNECTIONS = Benchmark(
    "Memory per idle streaming connection",
    [
        Option("--clients", 1000, "idle connections measured"),
        Option("--warm", 50, "warm-up connections"),
        Option("--processes", client_processes(), "client processes"),
    ],
    ["Baseline: the bare asyncio broadcaster holding the same sockets."],
)


async def _grow(pid: int, targets: list[Target], options: Any) -> float:
    """Open warm-up then measured connections; return KiB of RSS per measured connection."""
    async with ClientPool(targets, options.warm, 1):
        await asyncio.sleep(1.0)
        before = harness.rss_kib(pid)
        async with ClientPool(targets, options.clients, options.processes):
            await asyncio.sleep(2.0)
            after = harness.rss_kib(pid)
    return (after - before) / options.clients


async def _newswire(websocket: bool, options: Any) -> float:
    async with harness.newswire_server() as server:
        key = await server.key("subscribers")
        auth = (("Authorization", f"Bearer {key}"),)
        path = "/v1/ws" if websocket else "/v1/stream"
        return await _grow(server.pid, [Target(server.port, path, auth, websocket)], options)


async def _baseline(websocket: bool, options: Any) -> float:
    port = harness.free_port()
    async with harness.python_process("bench.broadcaster", "--port", str(port), port=port) as bare:
        path = "/ws" if websocket else "/stream"
        return await _grow(bare.pid, [Target(port, path, (), websocket)], options)


async def _main(options: Any) -> Results:
    limit = ("<=", 64.0)
    figures = {
        False: Figure("memory per idle SSE connection", "KiB", absolute_target=limit),
        True: Figure("memory per idle WebSocket connection", "KiB", absolute_target=limit),
    }
    for run in range(options.runs):
        for websocket, figure in figures.items():
            ours = await _newswire(websocket, options)
            floor = await _baseline(websocket, options)
            kind = "WebSocket" if websocket else "SSE"
            print(
                f"  run {run + 1} {kind:<9}: newswire {ours:6.1f} KiB  bare {floor:6.1f} KiB",
                flush=True,
            )
            figure.add(ours, floor)
    return Results(list(figures.values()))


def main(argv: list[str] | None = None) -> int:
    """Run the memory benchmark (see the module's docstring); options: --help."""
    return CONNECTIONS.main(_main, argv)


if __name__ == "__main__":
    raise SystemExit(main())
