"""Feed pull: requests per second for `GET /v1/feed` pages of 50 events, under wrk.

newswire (`newswire serve` on a fresh SQLite file holding `--stories`
stories) answers a subscriber's `GET /v1/feed?after=N&limit=50`, with the
cursor rotating over the whole log, so every request authenticates the key,
reads 50 log entries, decides entitlement and renders 50 envelopes. The
baseline is a bare Starlette route returning a body of the same size from
memory, served by uvicorn the same way (`bench/servers.py bytes`). The load
generator, wrk, runs in its own process with `--connections` connections.

Run alone: `python -m bench.feed --stories 500 --seconds 5 --runs 3`.
"""

from __future__ import annotations

from typing import Any

from bench import harness, profiles
from bench.benchmarks import Benchmark, Option, Results, wrk_load
from bench.harness import Figure
from bench.load import wrk

PAGE = 50
FEED = Benchmark(
    "Feed pull: GET /v1/feed pages of 50 events",
    [Option("--stories", 500, "stories in the log"), *wrk_load(seconds=5.0, connections=16)],
    ["Baseline: a bare Starlette route returning the same number of bytes (uvicorn)."],
    profile=True,
)


async def _main(options: Any) -> Results:
    rate = Figure("feed pages per second", "req/s", target=(">=", 0.5))
    p99 = Figure("feed page latency p99 (wrk)", "ms")
    size = 0
    async with harness.newswire_server() as server:
        editor = await server.key("editors")
        subscriber = await server.key("subscribers")
        await harness.file_stories(server, editor, options.stories)
        headers = {"Authorization": f"Bearer {subscriber}"}
        paths = [
            f"/v1/feed?after={after}&limit={PAGE}"
            for after in range(0, options.stories - PAGE + 1, PAGE)
        ]
        page = await server.api.get(paths[0], headers=headers)
        size = len(page.content)
        harness.check(len(page.json()["events"]) == PAGE, "the feed page is not full")
        port = harness.free_port()
        async with harness.python_process(
            "bench.servers", "bytes", "--port", str(port), "--size", str(size), port=port
        ):
            for run in range(options.runs):
                profile = options.profile / f"feed-run{run + 1}.txt" if options.profile else None
                async with profiles.recording(profile, server.pid, options.seconds):
                    ours = await wrk(
                        server.url, paths, headers, options.seconds, options.connections
                    )
                floor = await wrk(
                    f"http://127.0.0.1:{port}", ["/bytes"], headers, options.seconds,
                    options.connections,
                )  # fmt: skip
                harness.check(ours.errors == 0, f"newswire answered {ours.errors} errors")
                print(
                    f"  run {run + 1}: newswire {ours.requests_per_second:8,.0f} req/s"
                    f" (p99 {ours.latency_p99_ms:.1f} ms)"
                    f"  bare route {floor.requests_per_second:8,.0f} req/s"
                    f" (p99 {floor.latency_p99_ms:.1f} ms)",
                    flush=True,
                )
                rate.add(ours.requests_per_second, floor.requests_per_second)
                p99.add(ours.latency_p99_ms, floor.latency_p99_ms)
    return Results([rate, p99], {"page": PAGE, "page bytes": size})


def main(argv: list[str] | None = None) -> int:
    """Run the feed benchmark (see the module's docstring); options: --help."""
    return FEED.main(_main, argv)


if __name__ == "__main__":
    raise SystemExit(main())
