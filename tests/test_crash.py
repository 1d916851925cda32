"""Kill -9 the server mid-burst: the log has no gap and loses nothing acknowledged."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import httpx
import pytest

from tests.conftest import story_json
from tests.processes import ServerProcess

pytestmark = [pytest.mark.anyio, pytest.mark.slow]
ADMIN_TOKEN = "nwa_crash-test-token"


async def _publish_until_killed(server: ServerProcess, editor_key: str) -> list[tuple[str, int]]:
    acknowledged: list[tuple[str, int]] = []
    stop = asyncio.Event()
    enough = asyncio.Event()

    async def publisher(client: httpx.AsyncClient, worker: int) -> None:
        n = 0
        while not stop.is_set():
            n += 1
            try:
                response = await client.post(
                    "/v1/stories",
                    json=story_json(headline=f"Burst {worker}-{n}"),
                    headers={"Authorization": f"Bearer {editor_key}"},
                )
            except httpx.HTTPError:
                return  # the server died under us: this filing was never acknowledged
            if response.status_code == 201:
                acknowledged.append((response.json()["id"], response.json()["seq"]))
                if len(acknowledged) >= 40:
                    enough.set()

    async with httpx.AsyncClient(base_url=server.url, timeout=10) as client:
        tasks = [asyncio.create_task(publisher(client, w)) for w in range(6)]
        await asyncio.wait_for(enough.wait(), 60)
        server.kill()  # mid-burst: requests are in flight
        stop.set()
        await asyncio.gather(*tasks)
    return acknowledged


async def test_kill_9_mid_publish_leaves_a_gapless_log_with_every_acknowledged_story(
    tmp_path: Path,
) -> None:
    db = tmp_path / "crash.db"
    env = {"NEWSWIRE_ADMIN_TOKEN": ADMIN_TOKEN}
    server = ServerProcess(f"sqlite:///{db}", tmp_path / "server.log", env=env)
    server.wait_ready()
    async with httpx.AsyncClient(base_url=server.url) as client:
        created = await client.post(
            "/v1/editors",
            json={"name": "Burst"},
            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
        )
    editor_key = created.json()["api_key"]
    acknowledged = await _publish_until_killed(server, editor_key)

    with sqlite3.connect(db) as conn:
        seqs = [row[0] for row in conn.execute("SELECT seq FROM events ORDER BY seq")]
        logged = dict(conn.execute("SELECT story_id, seq FROM events"))
        counter = conn.execute("SELECT last_seq FROM log_counter").fetchone()[0]
        versions = conn.execute("SELECT COUNT(*) FROM story_versions").fetchone()[0]
    assert seqs == list(range(1, len(seqs) + 1)), "sequence numbers have no gap"
    assert counter == len(seqs) == versions, "no event without its version, no counter drift"
    for story_id, seq in acknowledged:
        assert logged.get(story_id) == seq, f"acknowledged story {story_id} was lost"

    restarted = ServerProcess(f"sqlite:///{db}", tmp_path / "server2.log", env=env)
    restarted.wait_ready()
    try:
        async with httpx.AsyncClient(base_url=restarted.url) as client:
            filed = await client.post(
                "/v1/stories",
                json=story_json(headline="After the crash"),
                headers={"Authorization": f"Bearer {editor_key}"},
            )
        assert filed.status_code == 201
        assert filed.json()["seq"] == len(seqs) + 1, "the log continues without a gap"
    finally:
        restarted.stop()
