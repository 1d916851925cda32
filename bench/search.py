"""Search: p50/p95 latency of `GET /v1/search?q=...` over a generated archive, beside raw FTS5.

The corpus (`--stories`, 100,000 for the issue's figure) is generated: a
headline of eight words and a body of 120 drawn from a 3,000-word invented
vocabulary with a Zipf distribution (so some words are in a third of the
stories and some in a handful), written through the storage layer
(`StoryStore.save_version`, which indexes each story in the same transaction) in
one process, without HTTP. Then `newswire serve` runs on that file and a
subscriber searches: 40 queries (common, middling and rare words, and pairs),
`--repeat` times each per run, one request at a time; latency is measured by
the client around each request.

Baseline: the same words as an FTS5 MATCH on the same index (`search_fts`)
through Python's sqlite3, ordered by FTS5's own rank, 20 rows, the page size
of /v1/search: the storage engine's own full-text query.

Run alone: `python -m bench.search --stories 100000 --runs 3`.
"""

from __future__ import annotations

import asyncio
import random
import sqlite3
import tempfile
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from bench import harness, profiles
from bench.benchmarks import Benchmark, Option, Results
from bench.harness import Figure

VOCABULARY = 3000
PAGE = 20

SEARCH = Benchmark(
    "Search over a generated archive",
    [
        Option("--stories", 10_000, "stories in the archive"),
        Option("--repeat", 3, "passes over the queries per run"),
    ],
    ["Baseline: FTS5 MATCH on the same search_fts index via sqlite3, ORDER BY rank."],
    profile=True,
)
_SYLLABLES = ("ka", "lo", "mer", "ti", "san", "dor", "vi", "pel", "ru", "nash", "ob", "quin")


def _vocabulary() -> list[str]:
    words: list[str] = []
    seen: set[str] = set()
    rng = random.Random(7)
    while len(words) < VOCABULARY:
        word = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4)))
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


BATCH = 1000  # stories per transaction while the corpus is written


async def _build_corpus(path: Path, count: int) -> float:
    """Write `count` generated stories through the storage layer; return stories per second.

    `StoryStore.save_version` runs unchanged, but BATCH of them share one
    transaction (the connections' `write()` is pointed at the open one), so building the
    archive does not pay a commit and fsync per story.
    """
    from newswire.models.stories import PubStatus, StoryVersion
    from newswire.storage import open_storage

    words = _vocabulary()
    weights = [1 / rank for rank in range(1, len(words) + 1)]
    rng = random.Random(11)
    storage = open_storage(f"sqlite:///{path}")
    await storage.migrate()
    started = time.perf_counter()
    first = datetime(2026, 1, 1, tzinfo=UTC)
    batch: list[Any] = []
    try:
        for number in range(count):
            headline = " ".join(rng.choices(words, weights, k=8)).capitalize()
            body = " ".join(rng.choices(words, weights, k=120))
            when = first + timedelta(minutes=number)
            story = StoryVersion(
                story_id=f"s{number:07d}", version=1, guid=f"urn:bench:{number}",
                slug=f"s{number:07d}", headline=headline, summary="",
                body_html=f"<p>{body}.</p>", byline="Bench Reporter", dateline="LOOPBACK",
                categories=("World",), subjects=("medtop:11000000",), urgency=4, language="en",
                public=False, pubstatus=PubStatus.USABLE, first_created=when,
                version_created=when, public_summary=headline,
            )  # fmt: skip
            batch.append(story)
            if len(batch) == BATCH or number == count - 1:
                await _save_batch(storage, batch)
                batch = []
    finally:
        await storage.close()
    return count / (time.perf_counter() - started)


async def _save_batch(storage: Any, stories: list[Any]) -> None:
    from newswire.models.stories import EventType

    connections = storage.connections
    async with connections.write() as conn:

        @asynccontextmanager
        async def the_open_transaction() -> AsyncIterator[Any]:
            yield conn

        connections.write = the_open_transaction
        try:
            for story in stories:
                await storage.stories.save_version(story, EventType.PUBLISHED, None)
        finally:
            del connections.write  # the class's method again


def _queries() -> list[str]:
    words = _vocabulary()
    common, middling, rare = words[5:15], words[200:210], words[2500:2510]
    pairs = [f"{a} {b}" for a, b in zip(words[10:20], words[100:110], strict=True)]
    return common + middling + rare + pairs


def _fts_latencies(path: Path, queries: list[str], repeat: int) -> list[float]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    latencies = []
    try:
        for _ in range(repeat):
            for query in queries:
                started = time.perf_counter()
                conn.execute(
                    "SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rank LIMIT ?",
                    (query, PAGE),
                ).fetchall()
                latencies.append(time.perf_counter() - started)
    finally:
        conn.close()
    return latencies


async def _main(options: Any) -> Results:
    queries = _queries()
    p50 = Figure("search latency p50", "ms")
    p95 = Figure("search latency p95", "ms", target=("<=", 2.0))
    with tempfile.TemporaryDirectory(prefix="newswire-search-") as tmp:
        path = Path(tmp) / "archive.db"
        print(f"  writing {options.stories:,} stories through the storage layer...", flush=True)
        rate = await _build_corpus(path, options.stories)
        print(f"  corpus written at {rate:,.0f} stories/s", flush=True)
        async with harness.newswire_server(db=f"sqlite:///{path}") as server:
            headers = {"Authorization": f"Bearer {await server.key('subscribers')}"}
            check = await server.api.get("/v1/search", params={"q": queries[0]}, headers=headers)
            harness.check(check.status_code == 200, f"/v1/search answered {check.status_code}")
            for run in range(options.runs):
                profile = options.profile / f"search-run{run + 1}.txt" if options.profile else None
                ours: list[float] = []
                async with profiles.recording(profile, server.pid, 5):
                    for _ in range(options.repeat):
                        for query in queries:
                            started = time.perf_counter()
                            response = await server.api.get(
                                "/v1/search", params={"q": query, "limit": PAGE}, headers=headers
                            )
                            ours.append(time.perf_counter() - started)
                            harness.check(response.status_code == 200, f"{query}: {response.text}")
                floor = await asyncio.to_thread(_fts_latencies, path, queries, options.repeat)
                a50, a95 = harness.percentile(ours, 0.5), harness.percentile(ours, 0.95)
                b50, b95 = harness.percentile(floor, 0.5), harness.percentile(floor, 0.95)
                print(
                    f"  run {run + 1}: /v1/search p50 {a50 * 1000:6.1f} ms p95 {a95 * 1000:6.1f} ms"
                    f"  FTS5 MATCH p50 {b50 * 1000:6.1f} ms p95 {b95 * 1000:6.1f} ms",
                    flush=True,
                )
                p50.add(a50 * 1000, b50 * 1000)
                p95.add(a95 * 1000, b95 * 1000)
    return Results(
        [p50, p95],
        {"queries": len(queries), "page": PAGE, "corpus written (stories/s)": round(rate)},
    )


def main(argv: list[str] | None = None) -> int:
    """Run the search benchmark (see the module's docstring); options: --help."""
    return SEARCH.main(_main, argv)


if __name__ == "__main__":
    raise SystemExit(main())
