"""The distributed backends for tests: a just-migrated PostgreSQL schema and a NATS stream.

CI starts PostgreSQL on 127.0.0.1:5432 (user postgres, database `test`) and
NATS with JetStream on 127.0.0.1:4222 (`.ci/run`); NEWSWIRE_TEST_PG and
NEWSWIRE_TEST_NATS point elsewhere. When either is unreachable, the tests
that need them skip and say why (under CI=true that skip fails the run:
tests/tiers.py).

Each test gets its own stream, and the schema of the pytest-xdist worker that
runs it (`t_gw0_pool_...`): migrated once, emptied back to its migrated rows
after every test (`_PooledSchema`), so parallel workers never share one and a
left-over schema says which worker made it. A test that watches migrations
run asks for a fresh, empty schema.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from graphlib import TopologicalSorter
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pytest

PG_URL = os.environ.get("NEWSWIRE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")
NATS_URL = os.environ.get("NEWSWIRE_TEST_NATS", "nats://127.0.0.1:4222")

T = TypeVar("T")


def _reachable(url: str, default_port: int) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection(
            (parts.hostname or "127.0.0.1", parts.port or default_port), 1
        ):
            return True
    except OSError:
        return False


async def _probe() -> list[str]:
    import asyncpg
    import nats

    missing = []
    try:
        conn = await asyncpg.connect(_asyncpg_dsn(), timeout=3)
        await conn.close()
    except Exception as error:  # refused, no such database, authentication, ...
        missing.append(f"PostgreSQL at {PG_URL} ({type(error).__name__}: {error})")
    try:
        nc = await nats.connect(NATS_URL, connect_timeout=2, max_reconnect_attempts=0)
        try:
            await nc.jetstream().account_info()
        finally:
            await nc.close()
    except Exception as error:  # refused, or JetStream not enabled (-js)
        missing.append(f"NATS JetStream at {NATS_URL} ({type(error).__name__}: {error})")
    return missing


@cache
def missing_servers() -> str | None:
    """Return why the PostgreSQL + NATS tests cannot run here, or None when they can."""
    missing = []
    if not _reachable(PG_URL, 5432):
        missing.append(f"PostgreSQL at {PG_URL} is not listening")
    if not _reachable(NATS_URL, 4222):
        missing.append(f"NATS at {NATS_URL} is not listening")
    if not missing:
        missing = run_aside(_probe)
    if missing:
        return (
            "needs "
            + "; ".join(missing)
            + " (`.ci/run` starts both; NEWSWIRE_TEST_PG / NEWSWIRE_TEST_NATS point elsewhere)"
        )
    return None


def skip_without_servers() -> None:
    """Skip the calling test when PostgreSQL or NATS is not reachable."""
    reason = missing_servers()
    if reason:
        pytest.skip(reason)


def run_aside(make: Callable[[], Awaitable[T]]) -> T:
    """Run a coroutine to completion on its own loop in a thread (safe inside a test's loop)."""
    result: list[T] = []
    errors: list[BaseException] = []

    def target() -> None:
        try:
            result.append(asyncio.run(make()))  # type: ignore[arg-type]
        except BaseException as error:
            errors.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]
    return result[0]


def _asyncpg_dsn() -> str:
    return PG_URL.replace("postgresql+asyncpg://", "postgresql://")


async def _pg_execute(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(_asyncpg_dsn(), timeout=5)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


async def _delete_stream(name: str) -> None:
    import nats
    from nats.js.errors import NotFoundError

    nc = await nats.connect(NATS_URL, connect_timeout=2, max_reconnect_attempts=0)
    try:
        try:
            await nc.jetstream().delete_stream(name)
        except NotFoundError:
            pass
    finally:
        await nc.close()


def worker_name() -> str:
    """Return the pytest-xdist worker running this process (`gw0`, ...), or `main`."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


@dataclass(frozen=True)
class Distributed:
    """The URLs of one test's private PostgreSQL schema and NATS stream."""

    db: str
    bus: str
    schema: str
    stream: str


def with_query(url: str, **params: str) -> str:
    """Return url with query parameters added."""
    joiner = "&" if "?" in url else "?"
    return url + joiner + "&".join(f"{key}={value}" for key, value in params.items())


@dataclass
class _PooledSchema:
    """A schema migrated once per worker and emptied after each test that used it.

    Migrating a fresh PostgreSQL schema costs about 0.9 s (some 60 migrations,
    each its own transaction). Emptying one deletes the rows of the tables a test
    filled, children before the parents their foreign keys name, restarts the
    sequences, and puts back the rows the migrations themselves wrote (`seed`).
    A DELETE of a few rows is far cheaper than a TRUNCATE of every table, which
    makes new files for each table and index: 0.4 s or more a test. Tests run one
    at a time per worker, so one schema serves them in turn; a nested backend
    gets a fresh schema.
    """

    schema: str
    tables: tuple[str, ...]  # children before parents
    sequences: tuple[str, ...]
    seed: dict[str, tuple[list[str], list[tuple[object, ...]]]]
    in_use: bool = False


_POOLED: list[_PooledSchema] = []  # this worker's pooled schema, once made


async def _migrated_schema(schema: str) -> _PooledSchema:
    import asyncpg

    from newswire.storage import open_storage

    await _pg_execute(f"CREATE SCHEMA {schema}")
    storage = open_storage(with_query(PG_URL, schema=schema))
    try:
        await storage.migrate()
    finally:
        await storage.close()
    conn = await asyncpg.connect(_asyncpg_dsn(), timeout=5)
    try:
        tables = await _children_first(conn, schema)
        sequences = await conn.fetch(
            "SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = $1",
            schema,
        )
        seed = {}
        for table in tables:
            records = await conn.fetch(f'SELECT * FROM "{schema}"."{table}"')
            if records:
                seed[table] = (list(records[0].keys()), [tuple(r.values()) for r in records])
    finally:
        await conn.close()
    return _PooledSchema(schema, tables, tuple(row[0] for row in sequences), seed)


async def _children_first(conn: Any, schema: str) -> tuple[str, ...]:
    """The schema's tables, each before every table its foreign keys reference."""
    references = await conn.fetch(
        "SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k"
        " JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid"
        " JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE k.contype = 'f' AND n.nspname = $1",
        schema,
    )
    parents_first = TopologicalSorter({table: set() for table in await _tables(conn, schema)})
    for row in references:
        if row["child"] != row["parent"]:
            parents_first.add(row["child"], row["parent"])
    return tuple(reversed(tuple(parents_first.static_order())))


async def _tables(conn: object, schema: str) -> list[str]:
    rows = await conn.fetch(  # type: ignore[attr-defined]
        "SELECT tablename FROM pg_tables WHERE schemaname = $1 ORDER BY tablename", schema
    )
    return [row["tablename"] for row in rows]


async def _empty(pooled: _PooledSchema) -> None:
    """Bring the pooled schema back to just-migrated; raise if a test changed its shape."""
    import asyncpg

    conn = await asyncpg.connect(_asyncpg_dsn(), timeout=5)
    try:
        await conn.execute("SET lock_timeout = '5s'")
        if set(await _tables(conn, pooled.schema)) != set(pooled.tables):
            raise RuntimeError(f"a test changed the tables of {pooled.schema}")
        schema = pooled.schema
        async with conn.transaction():
            filled = await conn.fetch(
                " UNION ALL ".join(
                    f'SELECT {index} WHERE EXISTS (SELECT FROM "{schema}"."{table}")'
                    for index, table in enumerate(pooled.tables)
                )
            )
            for (index,) in sorted(filled):
                await conn.execute(f'DELETE FROM "{schema}"."{pooled.tables[index]}"')
            for sequence in pooled.sequences:
                await conn.execute(f'ALTER SEQUENCE "{schema}"."{sequence}" RESTART')
            for table in reversed(pooled.tables):  # parents first
                if table in pooled.seed:
                    columns, records = pooled.seed[table]
                    await conn.copy_records_to_table(
                        table, records=records, columns=columns, schema_name=schema
                    )
    finally:
        await conn.close()


def _pooled_schema() -> _PooledSchema | None:
    """Return this worker's pooled schema, made on first use; None while a test holds it."""
    if not _POOLED:
        schema = f"t_{worker_name()}_pool_{secrets.token_hex(3)}"
        _POOLED.append(run_aside(lambda: _migrated_schema(schema)))
    pooled = _POOLED[0]
    return None if pooled.in_use else pooled


@contextmanager
def distributed_backend(fresh: bool = False) -> Iterator[Distributed]:
    """Give one test a just-migrated schema (or, `fresh`, an empty one) and its own stream.

    The schema is this worker's pooled one, emptied afterwards, unless the test
    asks for a fresh one (to watch migrations run) or already holds the pool.
    """
    skip_without_servers()
    token = f"{worker_name()}_{secrets.token_hex(5)}"
    stream = f"NWT_{token}"
    pooled = None if fresh else _pooled_schema()
    schema = pooled.schema if pooled else f"t_{token}"
    if pooled is None:
        run_aside(lambda: _pg_execute(f"CREATE SCHEMA {schema}"))
    else:
        pooled.in_use = True
    try:
        yield Distributed(
            db=with_query(PG_URL, schema=schema),
            bus=with_query(NATS_URL, stream=stream, subject=f"nwt.{token}.log"),
            schema=schema,
            stream=stream,
        )
    finally:
        if pooled is None:
            run_aside(lambda: _pg_execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        else:
            try:
                run_aside(lambda: _empty(pooled))
                pooled.in_use = False
            except Exception:
                # Locked by a server still running, or reshaped: the next test gets a new pool.
                _POOLED.clear()
                run_aside(lambda: _pg_execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        run_aside(lambda: _delete_stream(stream))
