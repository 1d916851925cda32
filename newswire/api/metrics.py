"""`GET /metrics`: the Prometheus exposition of this process, plus gauges read from the log.

The metrics themselves are described in `newswire/metrics.py`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from newswire.api.deps import RuntimeDep

router = APIRouter(tags=["health"])


class _Snapshot(Collector):
    """Gauges computed before the scrape, handed to prometheus-client as they are."""

    def __init__(self, families: list[GaugeMetricFamily]) -> None:
        self.families = families

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield from self.families


async def _log_families(runtime: Any) -> list[GaugeMetricFamily]:
    head = await runtime.storage.log.last_seq()
    families = [
        GaugeMetricFamily("newswire_log_head_seq", "Newest sequence number in the log", head),
        GaugeMetricFamily(
            "newswire_bus_lag_events",
            "Log head minus the newest number this node heard of on the bus",
            max(0, head - runtime.bus.latest),
        ),
    ]
    lag = GaugeMetricFamily(
        "newswire_subscriber_lag_events",
        "Log head minus the subscriber's delivery cursor",
        labels=["subscriber"],
    )
    for subscriber, cursor in sorted((await runtime.storage.webhooks.delivery_cursors()).items()):
        lag.add_metric([subscriber], max(0, head - cursor))
    families.append(lag)
    return families


@router.get("/metrics", response_class=Response, status_code=200)
async def metrics(runtime: RuntimeDep) -> Response:
    """Answer the Prometheus text exposition of this process's counters and the log's gauges."""
    body = generate_latest(REGISTRY)
    try:
        snapshot = CollectorRegistry(auto_describe=False)
        snapshot.register(_Snapshot(await _log_families(runtime)))
        body += generate_latest(snapshot)
    except Exception:  # a scrape while the database is away still shows the counters
        body += b"# log gauges unavailable: database unreachable\n"
    return Response(body, media_type=CONTENT_TYPE_LATEST)
