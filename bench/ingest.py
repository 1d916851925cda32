"""Ingest: stories per second through `POST /v1/stories`, beside the raw insert of the same rows.

newswire (`newswire serve` on a fresh SQLite file) is loaded by wrk, in its
own process, with `--editors` concurrent connections posting realistic
stories (six paragraphs, rotating over 50 texts) for `--seconds`: each
request is decoded, validated (nh3, BCP 47, IPTC subjects), summarized
(the extractive public summary), written (version + log event + public
projection, one transaction, fsync) and announced.

Baseline: the raw insert of exactly the rows newswire wrote, read back from
its database: into a fresh database of the same schema (newswire's
migrations, so indexes and triggers are the same), with the same pragmas
(WAL, synchronous=FULL), one transaction per story taking the log counter,
using Python's sqlite3 directly: the cost of the storage engine alone.

Run alone: `python -m bench.ingest --seconds 5 --runs 3`.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import harness, profiles
from bench.benchmarks import Benchmark, Option, Results
from bench.harness import Figure
from bench.load import wrk

INGEST = Benchmark(
    "Ingest: POST /v1/stories",
    [
        Option("--seconds", 5.0, "seconds per run"),
        Option("--editors", 4, "concurrent editors (wrk connections)"),
    ],
    [
        "Baseline: the same rows inserted with sqlite3, one transaction per story,"
        " WAL and synchronous=FULL, into the same schema."
    ],
    profile=True,
)


def _story_tables(db: Path) -> list[str]:
    """Return the tables holding one story's rows (a story_id column, or `stories` itself)."""
    with sqlite3.connect(db) as conn:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master"
                " WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
            )
        ]
        tables = []
        for name in names:
            columns = {row[1] for row in conn.execute(f'PRAGMA table_info("{name}")')}
            if name == "stories" or ("story_id" in columns and name != "usage_records"):
                tables.append(name)
    return tables


def _rows_by_story(
    db: Path, tables: list[str]
) -> dict[str, list[tuple[str, list[str], tuple[Any, ...]]]]:
    """Return every story's rows, table by table, in the order the log has the stories."""
    with sqlite3.connect(db) as conn:
        order = [row[0] for row in conn.execute("SELECT story_id FROM events ORDER BY seq")]
        stories: dict[str, list[tuple[str, list[str], tuple[Any, ...]]]] = {s: [] for s in order}
        for table in tables:
            key = "id" if table == "stories" else "story_id"
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            columns = [description[0] for description in cursor.description]
            where = columns.index(key)
            for row in cursor:
                if row[where] in stories:
                    stories[row[where]].append((table, columns, row))
    return stories


async def _fresh_schema(path: Path) -> None:
    from newswire.storage import open_storage

    storage = open_storage(f"sqlite:///{path}")
    try:
        await storage.migrate()
    finally:
        await storage.close()


def _raw_insert(
    path: Path, stories: dict[str, list[tuple[str, list[str], tuple[Any, ...]]]]
) -> float:
    """Insert the rows story by story, as newswire's transaction does; return stories per second."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    # events refer to story_versions, story_versions to stories: insert parents first.
    rank = {"stories": 0, "story_versions": 1, "events": 2}
    started = time.perf_counter()
    for rows in stories.values():
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "UPDATE log_counter SET last_seq = last_seq + 1 WHERE id = 1 RETURNING last_seq"
        )
        for table, columns, row in sorted(rows, key=lambda item: rank.get(item[0], 3)):
            names = ", ".join(f'"{column}"' for column in columns)
            marks = ", ".join("?" for _ in columns)
            conn.execute(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', row)
        conn.execute("COMMIT")
    elapsed = time.perf_counter() - started
    conn.close()
    return len(stories) / elapsed


async def _run(options: Any) -> tuple[float, float, int]:
    with tempfile.TemporaryDirectory(prefix="newswire-ingest-") as tmp:
        db = Path(tmp) / "wire.db"
        async with harness.newswire_server(db=f"sqlite:///{db}") as server:
            editor = await server.key("editors")
            bodies = [json.dumps(harness.story(number)) for number in range(50)]
            profile = options.profile / f"ingest-{db.parent.name}.txt" if options.profile else None
            async with profiles.recording(profile, server.pid, options.seconds):
                load = await wrk(
                    server.url,
                    ["/v1/stories"],
                    {"Authorization": f"Bearer {editor}", "Content-Type": "application/json"},
                    options.seconds,
                    options.editors,
                    bodies=bodies,
                )
            harness.check(load.errors == 0, f"ingest: {load.errors} errors")
        tables = await asyncio.to_thread(_story_tables, db)
        stories = await asyncio.to_thread(_rows_by_story, db, tables)
        raw_db = Path(tmp) / "raw.db"
        await _fresh_schema(raw_db)
        raw = await asyncio.to_thread(_raw_insert, raw_db, stories)
        return load.requests_per_second, raw, len(stories)


async def _main(options: Any) -> Results:
    figure = Figure("stories filed per second", "/s")
    filed = 0
    for run in range(options.runs):
        ours, raw, filed = await _run(options)
        print(
            f"  run {run + 1}: newswire {ours:7,.0f} stories/s  raw insert {raw:7,.0f} stories/s"
            f"  ({filed} stories)",
            flush=True,
        )
        figure.add(ours, raw)
    return Results([figure], {"stories in the last run": filed})


def main(argv: list[str] | None = None) -> int:
    """Run the ingest benchmark (see the module's docstring); options: --help."""
    return INGEST.main(_main, argv)


if __name__ == "__main__":
    raise SystemExit(main())
