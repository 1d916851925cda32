"""`GET /metrics`: the Prometheus exposition of this process, plus gauges read from the log.

The metrics themselves are described in `newswire/monitoring/metrics.py`.

Who may scrape: with `NEWSWIRE_METRICS_TOKEN` set, whoever sends
`Authorization: Bearer <that token>` (from anywhere; 401 otherwise). Without
it, only loopback clients (403 otherwise): `make run` and a Prometheus on the
same host work out of the box, nothing is exposed to the network. Behind a
reverse proxy on the same host every client looks like loopback: set the token.
Subscriber ids label the lag gauge only with `NEWSWIRE_METRICS_SUBSCRIBER_LABELS`;
otherwise one aggregate gauge (the largest lag) is shown.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from newswire.api.deps import RuntimeDep
from newswire.api.errors import APIError

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
    cursors = await runtime.storage.webhooks.delivery_cursors()
    families.append(
        GaugeMetricFamily(
            "newswire_webhook_lag_max_events",
            "Log head minus the furthest-behind webhook delivery cursor",
            max((max(0, head - cursor) for cursor in cursors.values()), default=0),
        )
    )
    if runtime.settings.metrics_subscriber_labels:
        lag = GaugeMetricFamily(
            "newswire_subscriber_lag_events",
            "Log head minus the subscriber's delivery cursor",
            labels=["subscriber"],
        )
        for subscriber, cursor in sorted(cursors.items()):
            lag.add_metric([subscriber], max(0, head - cursor))
        families.append(lag)
    return families


def _check_scraper(request: Request, token: str) -> None:
    """Let the scrape through, or answer 401 (wrong token) / 403 (not loopback, no token set)."""
    if token:
        sent = request.headers.get("authorization", "")
        if not hmac.compare_digest(sent.encode(), f"Bearer {token}".encode()):
            raise APIError(401, "send the metrics token: Authorization: Bearer <token>")
        return
    host = request.client.host if request.client else ""
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise APIError(403, "/metrics answers loopback clients only unless a metrics token is set")


@router.get("/metrics", response_class=Response, status_code=200)
async def metrics(request: Request, runtime: RuntimeDep) -> Response:
    """Answer the Prometheus text exposition of this process's counters and the log's gauges.

    Needs `NEWSWIRE_METRICS_TOKEN` as a bearer token when set; else loopback clients only.
    """
    _check_scraper(request, runtime.settings.metrics_token)
    body = generate_latest(REGISTRY)
    try:
        snapshot = CollectorRegistry(auto_describe=False)
        snapshot.register(_Snapshot(await _log_families(runtime)))
        body += generate_latest(snapshot)
    except Exception:  # a scrape while the database is away still shows the counters
        body += b"# log gauges unavailable: database unreachable\n"
    return Response(body, media_type=CONTENT_TYPE_LATEST)
