"""`GET /metrics`: Prometheus counters of what this process did, gauges read from the log."""

from __future__ import annotations

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from newswire.monitoring.metrics import record_delivery, stream_connected
from tests.conftest import file_story

pytestmark = pytest.mark.anyio


async def scrape(client: httpx.AsyncClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


async def test_metrics_count_published_events_and_report_the_log_head(
    client: httpx.AsyncClient, editor: dict[str, str]
) -> None:
    published = ("newswire_events_published_total", (("type", "story.published"),))
    before = (await scrape(client)).get(published, 0.0)
    filed = [await file_story(client, editor, headline=f"Story {n}") for n in range(3)]
    after = await scrape(client)
    assert after[published] - before == 3
    assert after[("newswire_log_head_seq", ())] == filed[-1]["seq"]
    assert after[("newswire_bus_lag_events", ())] == 0, "this node announced what it filed"


async def test_metrics_show_deliveries_by_outcome_and_connected_stream_clients(
    client: httpx.AsyncClient,
) -> None:
    delivered = ("newswire_webhook_deliveries_total", (("outcome", "delivered"),))
    clients = ("newswire_stream_clients", (("channel", "sse"),))
    before = await scrape(client)
    record_delivery("delivered")
    with stream_connected("sse"), stream_connected("sse"):
        during = await scrape(client)
    after = await scrape(client)
    assert during[delivered] - before.get(delivered, 0.0) == 1
    assert during[clients] - before.get(clients, 0.0) == 2
    assert after[clients] == before.get(clients, 0.0)
