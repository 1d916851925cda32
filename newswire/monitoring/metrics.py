"""Prometheus metrics: what a node published, delivered and serves, and how far readers lag.

Counters and gauges live in prometheus-client's process registry, as its
exporters expect; `GET /metrics` (`api/metrics.py`) adds the log-derived
gauges, computed from storage at scrape time so every node reports the same
log head:

- `newswire_events_published_total{type}`: log events this process appended.
- `newswire_bus_published_total`: sequence numbers this process put on the bus
  (JetStream duplicates not counted).
- `newswire_webhook_deliveries_total{outcome}`: webhook attempts by outcome
  (`record_delivery`, called by the webhook dispatcher).
- `newswire_render_failures_total{format}`: events sent as an error notice because
  their item failed to render (`delivery/envelopes.py`); any value above 0 is a bug.
- `newswire_job_crashes_total{job}`: background job crashes (each is restarted).
- `newswire_stream_clients{channel}`: SSE and WebSocket clients connected to
  this node (`stream_connected`).
- `newswire_log_head_seq`: the newest sequence number in the log.
- `newswire_bus_lag_events`: log head minus the newest number this node heard
  of on the bus (how far its real-time wake-ups are behind).
- `newswire_subscriber_lag_events{subscriber}`: log head minus each webhook
  endpoint's cursor, when the storage keeps delivery cursors.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import Counter, Gauge

EVENTS_PUBLISHED = Counter(
    "newswire_events_published", "Log events appended by this process", ["type"]
)
BUS_PUBLISHED = Counter(
    "newswire_bus_published", "Log sequence numbers this process published on the bus"
)
DELIVERIES = Counter(
    "newswire_webhook_deliveries", "Webhook delivery attempts by outcome", ["outcome"]
)
RENDER_FAILURES = Counter(
    "newswire_render_failures", "Events sent without their item: it failed to render", ["format"]
)
JOB_CRASHES = Counter("newswire_job_crashes", "Background job crashes (restarted)", ["job"])
STREAM_CLIENTS = Gauge(
    "newswire_stream_clients", "Streaming clients connected to this node", ["channel"]
)


def record_event(event_type: str) -> None:
    """Count one event appended to the log by this process."""
    EVENTS_PUBLISHED.labels(type=event_type).inc()


def record_bus_publish() -> None:
    """Count one sequence number published on the bus (not a dropped duplicate)."""
    BUS_PUBLISHED.inc()


def record_delivery(outcome: str) -> None:
    """Count one webhook delivery attempt: e.g. delivered, failed, retrying, dead."""
    DELIVERIES.labels(outcome=outcome).inc()


def record_render_failure(format_name: str) -> None:
    """Count one event whose item failed to render in a format."""
    RENDER_FAILURES.labels(format=format_name).inc()


def record_job_crash(job: str) -> None:
    """Count one crash of a background job."""
    JOB_CRASHES.labels(job=job).inc()


@contextmanager
def stream_connected(channel: str) -> Iterator[None]:
    """Count a streaming client (channel "sse" or "ws") as connected while inside the block."""
    gauge = STREAM_CLIENTS.labels(channel=channel)
    gauge.inc()
    try:
        yield
    finally:
        gauge.dec()
