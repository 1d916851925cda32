"""Several nodes on PostgreSQL + NATS JetStream: cross-node streams, failover, outages.

Two `newswire serve --no-jobs` nodes and one `newswire worker` run as real
processes against a private PostgreSQL schema and NATS stream; the outage test
puts a loopback TCP proxy that the test cuts between the API and PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from newswire.app import create_app
from newswire.runtime import Runtime
from newswire.settings import Settings
from tests.backends import Distributed, distributed_backend, with_query
from tests.conftest import ADMIN, ADMIN_TOKEN, bearer, file_story, read_all, story_json
from tests.processes import ServerProcess
from tests.servers import sse_events
from tests.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.anyio, pytest.mark.postgres]

ENV = {"NEWSWIRE_ADMIN_TOKEN": ADMIN_TOKEN, "NEWSWIRE_LOG_LEVEL": "warning"}


@pytest.fixture
def urls() -> Iterator[Distributed]:
    with distributed_backend() as urls:  # skips when the servers are not reachable
        yield urls


def worker_process(urls: Distributed, log_path: Path) -> ServerProcess:
    """Start `newswire worker` against the distributed backends (it answers /healthz)."""
    return ServerProcess(urls.db, log_path, "--bus", urls.bus, env=ENV, command="worker")


@pytest.fixture
def cluster(urls: Distributed, tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Node A, node B (API and streams, no jobs) and a worker, all on one schema and stream."""
    extra = ("--no-demo", "--no-jobs", "--bus", urls.bus)
    # Start A first so it applies the migrations; B and the worker find them done.
    node_a = ServerProcess(urls.db, tmp_path / "a.log", *extra, env=ENV)
    node_a.wait_ready()
    node_b = ServerProcess(urls.db, tmp_path / "b.log", *extra, env=ENV)
    worker = worker_process(urls, tmp_path / "worker.log")
    node_b.wait_ready()
    worker.wait_ready()
    yield {"a": node_a, "b": node_b, "worker": worker}
    for process in (node_a, node_b):
        if process.process.poll() is None:
            process.stop()
    worker.stop()


async def _next_events(stream: Any, count: int) -> list[dict[str, Any]]:
    received: list[dict[str, Any]] = []
    with anyio.fail_after(20):
        async for event in stream:
            received.append(event)
            if len(received) == count:
                break
    return received


async def test_stories_filed_on_one_node_stream_from_another_and_survive_its_death(
    cluster: dict[str, Any],
) -> None:
    node_a, node_b = cluster["a"], cluster["b"]
    async with httpx.AsyncClient(timeout=30) as http:
        made = await http.post(f"{node_a.url}/v1/editors", json={"name": "Desk"}, headers=ADMIN)
        editor = bearer(made.json()["api_key"])
        made = await http.post(
            f"{node_a.url}/v1/subscribers",
            json={"name": "S", "entitlements": {"embargoed": True}},
            headers=ADMIN,
        )
        subscriber = bearer(made.json()["api_key"])

        async def file_on_a(headline: str, **fields: Any) -> int:
            response = await http.post(
                f"{node_a.url}/v1/stories", json=story_json(headline=headline, **fields),
                headers=editor,
            )  # fmt: skip
            assert response.status_code == 201, response.text
            return int(response.json()["seq"])

        seen: list[dict[str, Any]] = []
        async with http.stream(
            "GET", f"{node_b.url}/v1/stream", params={"after": "0"}, headers=subscriber
        ) as response:
            assert response.status_code == 200
            events = sse_events(response)
            filed = [await file_on_a(f"Filed on A {n}") for n in range(3)]
            # An embargo the worker (not the nodes: they run --no-jobs) releases.
            soon = (datetime.now(UTC) + timedelta(seconds=1)).isoformat()
            filed.append(await file_on_a("Embargoed on A", embargoed_until=soon))
            seen += await _next_events(events, 5)
            await anyio.to_thread.run_sync(node_b.kill)  # SIGKILL: the client's stream breaks
            with pytest.raises((httpx.HTTPError, StopAsyncIteration)):
                with anyio.fail_after(10):
                    await events.__anext__()

        assert [e["event"] for e in seen] == ["story.published"] * 4 + ["story.released"], (
            "the worker released the embargo and node B streamed it"
        )
        missed = [await file_on_a(f"Filed while the client was away {n}") for n in range(2)]
        last_id = seen[-1]["id"]
        async with http.stream(
            "GET", f"{node_a.url}/v1/stream", headers={**subscriber, "Last-Event-ID": last_id}
        ) as response:
            assert response.status_code == 200
            events = sse_events(response)
            seen += await _next_events(events, 2)
            later = await file_on_a("Filed after the client resumed on A")
            seen += await _next_events(events, 1)

    ids = [int(event["id"]) for event in seen]
    assert ids == list(range(ids[0], ids[0] + len(ids))), "no gap and no duplicate"
    assert set(filed + missed + [later]) <= set(ids)


async def test_the_api_answers_503_while_postgres_is_away_and_loses_nothing(
    urls: Distributed,
) -> None:
    proxy = TcpProxy("127.0.0.1", 5432)
    await proxy.start()
    db = with_query(f"postgresql://postgres@127.0.0.1:{proxy.port}/test", schema=urls.schema)
    settings = Settings.load(environ={}, db=db, bus=urls.bus, admin_token=ADMIN_TOKEN)
    runtime = Runtime.from_settings(settings)
    await runtime.start()
    transport = httpx.ASGITransport(app=create_app(runtime))
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://a.test") as client:
            made = await client.post("/v1/editors", json={"name": "Desk"}, headers=ADMIN)
            editor = bearer(made.json()["api_key"])
            accepted = [(await file_story(client, editor, headline="Before"))["seq"]]

            await proxy.cut()
            refused = await client.post(
                "/v1/stories", json=story_json(headline="During the outage"), headers=editor
            )
            assert refused.status_code == 503
            assert refused.headers["Retry-After"]
            assert "nothing was written" in refused.json()["error"]["message"]
            health = await client.get("/healthz")
            assert health.status_code == 503
            assert health.json()["checks"]["database"].startswith("unavailable")
            assert (await client.get("/readyz")).status_code == 503

            await proxy.start()
            for _ in range(50):
                if (await client.get("/healthz")).status_code == 200:
                    break
                await asyncio.sleep(0.1)
            accepted.append((await file_story(client, editor, headline="After"))["seq"])

            made = await client.post(
                "/v1/subscribers", json={"name": "S", "entitlements": {}}, headers=ADMIN
            )
            events, _ = await read_all(client, bearer(made.json()["api_key"]))
            assert [e["seq"] for e in events] == accepted == [1, 2], "gapless, nothing half-written"
            assert [e["item"]["headlines"][0]["value"] for e in events] == ["Before", "After"]
    finally:
        await runtime.stop()
        await proxy.cut()


async def test_migrate_applies_the_same_versions_on_postgresql() -> None:
    with distributed_backend(fresh=True) as urls:
        await _migrate_twice_and_compare(urls)


async def _migrate_twice_and_compare(urls: Distributed) -> None:
    def migrate() -> str:
        result = subprocess.run(
            [sys.executable, "-m", "newswire", "migrate", "--db", urls.db],
            capture_output=True, text=True, check=True, env={**os.environ, "COLUMNS": "200"},
        )  # fmt: skip
        return result.stdout

    first = await anyio.to_thread.run_sync(migrate)
    again = await anyio.to_thread.run_sync(migrate)
    from newswire.storage.migrations import MIGRATIONS

    assert all(str(m.version) in first for m in MIGRATIONS)
    assert "up to date" in again


async def test_two_nodes_filing_at_once_share_one_gapless_log(urls: Distributed) -> None:
    settings = Settings.load(environ={}, db=urls.db, bus=urls.bus, admin_token=ADMIN_TOKEN)
    nodes = [Runtime.from_settings(settings) for _ in range(2)]
    for node in nodes:
        await node.start()
    clients = [
        httpx.AsyncClient(transport=httpx.ASGITransport(app=create_app(node)), base_url="http://n")
        for node in nodes
    ]
    try:
        made = await clients[0].post("/v1/editors", json={"name": "Desk"}, headers=ADMIN)
        editor = bearer(made.json()["api_key"])

        async def file_many(client: httpx.AsyncClient, name: str) -> list[int]:
            return [
                (await file_story(client, editor, headline=f"{name} {n}"))["seq"] for n in range(15)
            ]

        a, b = await asyncio.gather(file_many(clients[0], "A"), file_many(clients[1], "B"))
        assert sorted(a + b) == list(range(1, 31)), "one counter for every node: no gap, no clash"

        same_guid = story_json(headline="Same item from two ingest nodes", guid="urn:x:1")
        answers = await asyncio.gather(
            *(client.post("/v1/stories", json=same_guid, headers=editor) for client in clients)
        )
        codes = sorted(answer.status_code for answer in answers)
        assert codes in ([201, 201], [201, 409]), "the loser is a clean conflict, never a 500"
        made = await clients[1].post(
            "/v1/subscribers", json={"name": "S", "entitlements": {}}, headers=ADMIN
        )
        events, _ = await read_all(clients[1], bearer(made.json()["api_key"]))
        seqs = [event["seq"] for event in events]
        assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) == 30 + codes.count(201)
    finally:
        for client in clients:
            await client.aclose()
        for node in nodes:
            await node.stop()
