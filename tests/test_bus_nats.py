"""NatsBus against a real NATS JetStream server: fan-out, dedup, catch-up, the log announcer."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from newswire.app import create_app
from newswire.bus import MemoryBus
from newswire.bus.announcer import announce_log
from newswire.bus.nats import NatsBus
from newswire.monitoring.metrics import BUS_PUBLISHED
from newswire.runtime import Runtime
from newswire.settings import Settings
from newswire.storage import open_storage
from tests.backends import Distributed, distributed_backend, with_query
from tests.conftest import ADMIN, ADMIN_TOKEN, bearer, file_story, read_all
from tests.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.anyio, pytest.mark.postgres]


@pytest.fixture
def urls() -> Iterator[Distributed]:
    with distributed_backend() as urls:  # skips when the servers are not reachable
        yield urls


@pytest.fixture
async def two_buses(urls: Distributed) -> AsyncIterator[tuple[NatsBus, NatsBus]]:
    first, second = NatsBus(urls.bus), NatsBus(urls.bus)
    await first.start()
    await second.start()
    yield first, second
    await first.close()
    await second.close()


def published_count() -> float:
    return BUS_PUBLISHED._value.get()


async def test_an_announcement_on_one_node_wakes_waiters_on_another(
    two_buses: tuple[NatsBus, NatsBus],
) -> None:
    first, second = two_buses
    waiting = asyncio.create_task(second.wait_beyond(0, timeout=10))
    await asyncio.sleep(0)
    await first.announce(7)
    assert await waiting == 7
    assert second.latest == 7 and second.published == 7


async def test_the_same_sequence_number_is_published_once(
    two_buses: tuple[NatsBus, NatsBus],
) -> None:
    first, second = two_buses
    before = published_count()
    await first.announce(3)
    first._published = 0  # forget, as a restarted node or its announcer would
    await first.announce(3)
    await second.announce(3)
    assert published_count() - before == 1, "JetStream dropped the duplicates by Nats-Msg-Id"


async def test_a_node_that_starts_late_learns_the_newest_number_from_the_stream(
    urls: Distributed,
) -> None:
    early = NatsBus(urls.bus)
    await early.start()
    await early.announce(11)
    late = NatsBus(urls.bus)
    await late.start()
    try:
        assert late.latest == 11
    finally:
        await early.close()
        await late.close()


async def test_a_bus_without_nats_reports_unavailable_and_still_wakes_local_waiters() -> None:
    bus = NatsBus("nats://127.0.0.1:1?stream=NWT_NONE&subject=nwt.none.log")
    await bus.start()
    try:
        with pytest.raises(ConnectionError):
            await bus.ping()
        await bus.announce(5)
        assert await bus.wait_beyond(0, timeout=0) == 5
    finally:
        await bus.close()


async def test_a_commit_whose_announcement_was_lost_still_reaches_other_nodes(
    urls: Distributed,
) -> None:
    # The writer announces only in its own process (as if it crashed right
    # after the commit); another node's announcer puts the head on NATS.
    settings = Settings.load(environ={}, db=urls.db, admin_token=ADMIN_TOKEN)
    writer = Runtime.from_settings(settings)
    writer.bus = MemoryBus()
    writer.newsroom.bus = writer.bus
    await writer.start()
    listener = NatsBus(urls.bus)
    await listener.start()
    other_storage = open_storage(urls.db)
    other_bus = NatsBus(urls.bus)
    await other_bus.start()
    stop = asyncio.Event()
    try:
        transport = httpx.ASGITransport(app=create_app(writer))
        async with httpx.AsyncClient(transport=transport, base_url="http://a.test") as client:
            made = await client.post("/v1/editors", json={"name": "Desk"}, headers=ADMIN)
            story = await file_story(client, bearer(made.json()["api_key"]))
        assert listener.latest < story["seq"], "nothing reached NATS from the writer"
        announcer = asyncio.create_task(announce_log(other_storage.log, other_bus, stop, 0.1))
        assert await listener.wait_beyond(story["seq"] - 1, timeout=10) >= story["seq"]
        stop.set()
        await announcer
    finally:
        await listener.close()
        await other_bus.close()
        await other_storage.close()
        await writer.stop()


async def test_while_nats_is_away_filing_works_health_says_so_and_the_bus_recovers(
    urls: Distributed,
) -> None:
    proxy = TcpProxy("127.0.0.1", 4222)
    await proxy.start()
    bus_url = with_query(
        f"nats://127.0.0.1:{proxy.port}",
        **dict(part.split("=") for part in urls.bus.split("?", 1)[1].split("&")),
    )
    settings = Settings.load(environ={}, db=urls.db, bus=bus_url, admin_token=ADMIN_TOKEN)
    runtime = Runtime.from_settings(settings)
    transport = httpx.ASGITransport(app=create_app(runtime))
    listener = NatsBus(urls.bus)  # straight to NATS, as another node would be
    await listener.start()
    try:
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://a.test") as client,
        ):
            await runtime.start()
            made = await client.post("/v1/editors", json={"name": "Desk"}, headers=ADMIN)
            editor = bearer(made.json()["api_key"])
            assert (await client.get("/healthz")).status_code == 200

            await proxy.cut()
            health = await client.get("/healthz")
            assert health.status_code == 503
            assert health.json()["checks"]["bus"].startswith("unavailable")
            ready = await client.get("/readyz")
            assert ready.status_code == 200 and ready.json()["status"] == "degraded", (
                "without the bus a node still serves: streams fall back to polling the log"
            )
            filed = await file_story(client, editor, headline="Filed while the bus was away")
            assert listener.latest < filed["seq"]

            await proxy.start()
            assert await listener.wait_beyond(filed["seq"] - 1, timeout=15) >= filed["seq"], (
                "the announcer published the head once NATS was back"
            )
            for _ in range(100):
                if (await client.get("/healthz")).status_code == 200:
                    break
                await asyncio.sleep(0.1)
            assert (await client.get("/healthz")).status_code == 200
            subscriber = await client.post(
                "/v1/subscribers", json={"name": "S", "entitlements": {}}, headers=ADMIN
            )
            events, _ = await read_all(client, bearer(subscriber.json()["api_key"]))
            assert [e["seq"] for e in events] == [filed["seq"]]
    finally:
        await runtime.stop()
        await listener.close()
        await proxy.cut()
