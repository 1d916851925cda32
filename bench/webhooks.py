"""Webhook throughput: signed deliveries per second to a local receiver across 100 endpoints.

newswire (`newswire serve` with its jobs, SQLite,
NEWSWIRE_WEBHOOK_ALLOW_PRIVATE=true) has `--endpoints` endpoints spread over
`--subscribers` subscribers, all pointing at one local receiver
(`bench/servers.py receiver`, a bare asyncio server that answers 204). The
editor files `--stories` stories (four requests at a time); the figure is the
deliveries the receiver got divided by the time from the first filing to the
last delivery. Each delivery is leased, signed (Standard Webhooks), sent,
recorded and moves the endpoint's cursor in the database.

Baseline: a bare httpx.AsyncClient posting the very same bodies (the
envelopes, fetched from the feed) to the same receiver, each endpoint's
bodies in order, with newswire's concurrency (one request in flight per
endpoint, at most `webhooks.delivery.MAX_ENDPOINTS` endpoints at once).

Run alone: `python -m bench.webhooks --endpoints 100 --stories 20 --runs 3`.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx

from bench import harness, profiles
from bench.benchmarks import Benchmark, Option, Results
from bench.harness import Figure, now
from newswire.delivery.webhooks.dispatcher import MAX_ENDPOINTS

WEBHOOKS = Benchmark(
    "Webhook delivery throughput",
    [
        Option("--endpoints", 100, "webhook endpoints"),
        Option("--subscribers", 10, "subscribers owning them"),
        Option("--stories", 20, "stories filed"),
    ],
    ["Baseline: bare httpx.AsyncClient posting the same bodies, same concurrency."],
    profile=True,
)


async def _stats(receiver: httpx.AsyncClient) -> dict[str, Any]:
    result: dict[str, Any] = (await receiver.get("/stats")).json()
    return result


async def _wait_for(receiver: httpx.AsyncClient, count: int, timeout: float) -> dict[str, Any]:
    deadline = now() + timeout
    stats = await _stats(receiver)
    while stats["count"] < count and now() < deadline:
        await asyncio.sleep(0.05)
        stats = await _stats(receiver)
    return stats


async def _newswire(
    receiver: httpx.AsyncClient, port: int, options: Any
) -> tuple[float, list[str]]:
    env = {"NEWSWIRE_WEBHOOK_ALLOW_PRIVATE": "true"}
    async with harness.newswire_server(jobs=True, env=env) as server:
        editor = await server.key("editors")
        keys = [await server.key("subscribers") for _ in range(options.subscribers)]
        for number in range(options.endpoints):
            key = keys[number % len(keys)]
            response = await server.api.post(
                "/v1/webhooks",
                json={"url": f"http://127.0.0.1:{port}/hook/{number}"},
                headers={"Authorization": f"Bearer {key}"},
            )
            response.raise_for_status()
        await receiver.post("/reset")
        expected = options.endpoints * options.stories
        profile = options.profile / "webhooks.txt" if options.profile else None
        async with profiles.recording(profile, server.pid, 8):
            started = now()
            await harness.file_stories(server, editor, options.stories)
            stats = await _wait_for(receiver, expected, timeout=300)
        harness.check(stats["count"] == expected, f"{stats['count']} of {expected} delivered")
        feed = await server.api.get(
            "/v1/feed",
            params={"after": 0, "limit": options.stories},
            headers={"Authorization": f"Bearer {keys[0]}"},
        )
        bodies = [
            json.dumps(event, ensure_ascii=False, separators=(",", ":"))
            for event in feed.json()["events"]
        ]
        return expected / (stats["last"] - started), bodies


async def _baseline(
    receiver: httpx.AsyncClient, port: int, bodies: list[str], options: Any
) -> float:
    await receiver.post("/reset")
    queue: asyncio.Queue[int] = asyncio.Queue()
    for number in range(options.endpoints):
        queue.put_nowait(number)
    limits = httpx.Limits(max_connections=MAX_ENDPOINTS, max_keepalive_connections=MAX_ENDPOINTS)
    async with httpx.AsyncClient(timeout=15, limits=limits) as client:

        async def worker() -> None:
            while not queue.empty():
                number = queue.get_nowait()
                for body in bodies:
                    response = await client.post(
                        f"http://127.0.0.1:{port}/hook/{number}",
                        content=body.encode(),
                        headers={"content-type": "application/json"},
                    )
                    response.raise_for_status()

        started = now()
        await asyncio.gather(*(worker() for _ in range(min(MAX_ENDPOINTS, options.endpoints))))
    expected = options.endpoints * len(bodies)
    stats = await _wait_for(receiver, expected, timeout=60)
    harness.check(stats["count"] == expected, f"baseline: {stats['count']} of {expected}")
    return float(expected / (stats["last"] - started))


async def _main(options: Any) -> Results:
    figure = Figure("webhook deliveries per second", "/s", target=(">=", 0.7))
    port = harness.free_port()
    async with (
        harness.python_process("bench.servers", "receiver", "--port", str(port), port=port),
        httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30) as receiver,
    ):
        for run in range(options.runs):
            ours, bodies = await _newswire(receiver, port, options)
            floor = await _baseline(receiver, port, bodies, options)
            print(
                f"  run {run + 1}: newswire {ours:8,.0f} deliveries/s"
                f"  bare httpx {floor:8,.0f} deliveries/s",
                flush=True,
            )
            figure.add(ours, floor)
    return Results([figure], {"concurrency": f"one per endpoint, at most {MAX_ENDPOINTS}"})


def main(argv: list[str] | None = None) -> int:
    """Run the webhook benchmark (see the module's docstring); options: --help."""
    return WEBHOOKS.main(_main, argv)


if __name__ == "__main__":
    raise SystemExit(main())
